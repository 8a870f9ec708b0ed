package io.governedrecovery.adminapi;

import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.governance.ComplianceReport;
import io.governedrecovery.governance.ComplianceUsers;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
 */
public final class ComplianceResource {

    private static final Logger LOG = Logger.getLogger(ComplianceResource.class);

    private final Api api;
    private final int pageSize;

    ComplianceResource(Api api, int pageSize) {
        this.api = api;
        this.pageSize = pageSize;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response report(@QueryParam("format") String format, @QueryParam("department") String department,
                           @QueryParam("group") String groupFilter) {
        api.auth.users().requireQuery();
        String attribute = department == null || department.isBlank() ? "department" : department.trim();
        if (attribute.length() > 64 || !attribute.matches("[A-Za-z0-9._-]+")) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    "'department' names a user attribute: letters, digits, . _ -");
        }
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'format' is json or csv.");
        }
        GroupModel only = null;
        if (groupFilter != null && !groupFilter.isBlank()) {
            only = groupFilter.length() > 255 ? null
                    : KeycloakModelUtils.findGroupByPath(api.session, api.realm, groupFilter);
            if (only == null) {
                throw new ApiException(Response.Status.NOT_FOUND, "No group " + groupFilter);
            }
        }
        boolean everyone = api.auth.users().canView();
        ComplianceUsers users = new ComplianceUsers(api.session, only, attribute, everyone,
                user -> everyone || api.auth.users().canView(user));
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
        boolean csv = "csv".equals(format);
        String realmName = api.realm.getName();
        StreamingOutput body = out -> {
            try {
                ComplianceReport.write(users, first, pageSize,
                        csv ? ComplianceReport.csv(out) : ComplianceReport.json(out, attribute));
            } catch (ComplianceReport.Aborted aborted) {
                // The request itself changed nothing; ending it without a commit keeps a dead connection quiet.
                api.session.getTransactionManager().setRollbackOnly();
                LOG.warnf("The compliance report of realm '%s' stopped after %d users, its transfer is cut off: %s",
                        realmName, aborted.written(), aborted.getCause().toString());
                LOG.debug("Compliance report failure", aborted.getCause());
                throw aborted;
            }
        };
        if (csv) {
            return Response.ok(body, "text/csv; charset=utf-8").header("Cache-Control", "no-store")
                    .header("Content-Disposition", "attachment; filename=\"recovery-compliance.csv\"").build();
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }
}
