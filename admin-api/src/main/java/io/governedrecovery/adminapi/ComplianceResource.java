package io.governedrecovery.adminapi;

import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.common.Profile;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

import io.governedrecovery.governance.ComplianceReport;
import io.governedrecovery.governance.ComplianceUsers;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * {@code .../compliance}: which users meet their tier's recovery policy, as JSON or CSV ({@code format=csv}),
 * optionally for one group ({@code group=/path}) and by department ({@code department=<attribute>}). It lists only the
 * users the caller may view, so a helpdesk limited to one group sees that group.
 *
 * <p>Every user is listed, however many: the report is written while the users are read, a page at a time (each in a
 * transaction of its own), so it needs no more memory for a million users than for a thousand. The first page is read
 * before the answer starts, so a database that does not answer is a clear 503; should a later page fail, the transfer
 * is cut off (no complete-looking document, no error page in the middle of it) and the server log says why.
 *
 * <p>A node writes only a few reports at once ({@code compliance-concurrent-reports}): each reads every user the
 * caller may view, and a caller whose rights are per user makes Keycloak's evaluator decide user by user. A request
 * beyond them is answered 429 with {@code Retry-After}; a slot is given back when the report's transfer ends, however
 * it ends, or a minute after it was taken if the transfer never began ({@link ReportSlots}).
 */
public final class ComplianceResource {

    private static final Logger LOG = Logger.getLogger(ComplianceResource.class);

    static final String RETRY_AFTER_SECONDS = "10";
    /** Every user (JSON or CSV), or the counts only: JSON, or CSV by department. */
    static final java.util.List<String> FORMATS = java.util.List.of("json", "csv", "summary", "summary-csv");

    private final Api api;
    private final int pageSize;
    private final ReportSlots slots;

    ComplianceResource(Api api, int pageSize, ReportSlots slots) {
        this.api = api;
        this.pageSize = pageSize;
        this.slots = slots;
    }

    /** The report's headers only: checks the caller and the parameters, reads no user and takes no slot. */
    @HEAD
    public Response headers(@QueryParam("format") String format, @QueryParam("department") String department,
                            @QueryParam("group") String groupFilter) {
        checked(format, department, groupFilter);
        return Response.ok().type(format != null && format.endsWith("csv") ? "text/csv; charset=utf-8"
                        : MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response report(@QueryParam("format") String format, @QueryParam("department") String department,
                           @QueryParam("group") String groupFilter) {
        Query query = checked(format, department, groupFilter);
        ReportSlots.Slot slot = slots.tryTake();
        if (slot == null) {
            throw new WebApplicationException(Response.fromResponse(Api.json(Response.Status.TOO_MANY_REQUESTS,
                    Map.of("error", "Other compliance reports are being written on this server; try again shortly.")))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build());
        }
        try {
            return report(format, query.attribute(), query.only(), slot);
        } catch (RuntimeException | Error refused) {
            slot.release();
            throw refused;
        }
    }

    private record Query(String attribute, GroupModel only) {
    }

    private Query checked(String format, String department, String groupFilter) {
        api.auth.users().requireQuery();
        String attribute = department == null || department.isBlank() ? "department" : department.trim();
        if (attribute.length() > 64 || !attribute.matches("[A-Za-z0-9._-]+")) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    "'department' names a user attribute: letters, digits, . _ -");
        }
        if (format != null && !FORMATS.contains(format)) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'format' is json, csv, summary or summary-csv.");
        }
        GroupModel only = null;
        if (groupFilter != null && !groupFilter.isBlank()) {
            only = groupFilter.length() > 255 ? null
                    : KeycloakModelUtils.findGroupByPath(api.session, api.realm, groupFilter);
            if (only == null) {
                throw new ApiException(Response.Status.NOT_FOUND, "No group " + groupFilter);
            }
        }
        return new Query(attribute, only);
    }

    private Response report(String format, String attribute, GroupModel only, ReportSlots.Slot slot) {
        boolean everyone = mayViewEveryUser(api.auth, api.realm);
        ComplianceUsers users = new ComplianceUsers(api.session, only, attribute, everyone,
                callerIn(api.auth.adminAuth(), api.realm.getId(), everyone));
        ComplianceReport.Page first;
        try {
            first = users.read(0, pageSize);
        } catch (RuntimeException failed) {
            LOG.warnf("The compliance report of realm '%s' cannot read its users: %s", api.realm.getName(),
                    failed.toString());
            LOG.debug("Compliance report failure", failed);
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                    "The users cannot be read now; try the report again later.");
        }
        // The request itself reads and writes nothing more: its transaction ends with a rollback, whenever the stream
        // ends (a slow reader may outlast the transaction timeout, and a commit then would fail at the very end).
        api.session.getTransactionManager().setRollbackOnly();
        String shape = format == null ? "json" : format;
        boolean csv = shape.endsWith("csv");
        String realmName = api.realm.getName();
        StreamingOutput body = out -> {
            slot.started();
            try {
                ComplianceReport.write(users, first, pageSize, switch (shape) {
                    case "csv" -> ComplianceReport.csv(out);
                    case "summary" -> ComplianceReport.summary(out, attribute);
                    case "summary-csv" -> ComplianceReport.departmentsCsv(out);
                    default -> ComplianceReport.json(out, attribute);
                });
            } catch (ComplianceReport.Aborted aborted) {
                LOG.warnf("The compliance report of realm '%s' stopped after %d users, its transfer is cut off: %s",
                        realmName, aborted.written(), aborted.getCause().toString());
                LOG.debug("Compliance report failure", aborted.getCause());
                throw aborted;
            } finally {
                slot.release();
            }
        };
        if (csv) {
            return Response.ok(body, "text/csv; charset=utf-8").header("Cache-Control", "no-store")
                    .header("Content-Disposition", "attachment; filename=\"" + (shape.equals("csv")
                            ? "recovery-compliance.csv" : "recovery-compliance-by-department.csv") + "\"").build();
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }
    /**
     * Whether the caller may view every user of the realm with no exception. With fine-grained admin permissions v2 a
     * permission on one user (or group) may deny what a permission on all users grants, and Keycloak's own user list
     * honours it: then only the realm-management roles {@code view-users} and {@code manage-users} see everyone, and
     * every other caller's users are checked one by one.
     */
    static boolean mayViewEveryUser(AdminPermissionEvaluator auth, RealmModel realm) {
        if (realm.isAdminPermissionsEnabled()) {
            return auth.hasOneAdminRole(AdminRoles.VIEW_USERS, AdminRoles.MANAGE_USERS);
        }
        return auth.users().canView();
    }

    /**
     * The caller, found again in each page's session: a token that expired, an account disabled or removed, or a
     * client removed since the report began stops it; which users the caller may view is decided by Keycloak's
     * permission evaluator in that session.
     */
    private static ComplianceUsers.Visibility callerIn(AdminAuth caller, String realmId, boolean everyone) {
        AccessToken token = caller.getToken();
        String adminsRealmId = caller.getRealm().getId();
        String userId = caller.getUser().getId();
        String clientId = caller.getClient().getId();
        return page -> {
            if (token.isExpired()) {
                throw new IllegalStateException("the caller's token expired");
            }
            RealmModel adminsRealm = page.realms().getRealm(adminsRealmId);
            RealmModel realm = page.realms().getRealm(realmId);
            UserModel user = adminsRealm == null ? null : page.users().getUserById(adminsRealm, userId);
            ClientModel client = adminsRealm == null ? null : adminsRealm.getClientById(clientId);
            if (realm == null || user == null || !user.isEnabled() || client == null || !client.isEnabled()) {
                throw new IllegalStateException("the caller may no longer read the report");
            }
            AdminPermissionEvaluator auth = AdminPermissions.evaluator(page, realm,
                    new AdminAuth(adminsRealm, token, user, client));
            auth.users().requireQuery();
            boolean all = mayViewEveryUser(auth, realm);
            if (all) {
                return u -> true;
            }
            if (everyone) {
                throw new IllegalStateException("the caller may no longer view every user");
            }
            if (!realm.isAdminPermissionsEnabled()) {
                // Without permissions v2 a user is visible by a group's "view members" (v1) or not at all: pages are
                // read from those groups' members only, as Keycloak's own user list does, or not read at all.
                Set<String> groups = Profile.isFeatureEnabled(Profile.Feature.ADMIN_FINE_GRAINED_AUTHZ)
                        ? auth.groups().getGroupIdsWithViewPermission() : Set.of();
                if (groups.isEmpty()) {
                    return ComplianceUsers.NOBODY;
                }
                page.setAttribute(UserModel.GROUPS, groups);
            }
            return u -> auth.users().canView(u);
        };
    }
}
