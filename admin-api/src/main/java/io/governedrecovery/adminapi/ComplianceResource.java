package io.governedrecovery.adminapi;

import org.keycloak.models.GroupModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.governance.ComplianceReport;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../compliance}: which users meet their tier's recovery policy, as JSON or CSV ({@code format=csv}),
 * optionally for one group ({@code group=/path}) and by department ({@code department=<attribute>}). It lists only the
 * users the caller may view, so a helpdesk limited to one group sees that group.
 */
public final class ComplianceResource {

    private final Api api;

    ComplianceResource(Api api) {
        this.api = api;
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
        ComplianceReport report = ComplianceReport.of(api.session, api.realm, only, attribute,
                user -> everyone || api.auth.users().canView(user));
        if ("csv".equals(format)) {
            return Response.ok(report.asCsv(), "text/csv; charset=utf-8").header("Cache-Control", "no-store")
                    .header("Content-Disposition", "attachment; filename=\"recovery-compliance.csv\"").build();
        }
        return Api.json(Response.Status.OK, report.asMap());
    }
}
