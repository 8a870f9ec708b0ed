package io.governedrecovery.adminapi;

import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.models.UserModel;

import io.governedrecovery.approval.ApprovalDecisions;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../console/access}: which views of the recovery console the caller may use, decided by Keycloak's admin
 * permission evaluator (roles and fine-grained admin permissions) and the approval step's approvers group. Each view
 * still calls endpoints that check the caller again; this only spares people views that would answer 403. A caller
 * who may use none gets 403 here too.
 *
 * <ul>
 *   <li>{@code helpdesk}: may search users (the recovery picture then needs view on the account, a pass reset-password);</li>
 *   <li>{@code approvals}: a member of the approvers group of the realm's approval step;</li>
 *   <li>{@code security}: may view the realm's events (findings, activity);</li>
 *   <li>{@code policy}: may view the realm (policy summary) and its users (break-glass accounts).</li>
 * </ul>
 */
public final class ConsoleAccessResource {

    private final Api api;

    ConsoleAccessResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response access() {
        UserModel caller = api.caller();
        Map<String, Object> views = new LinkedHashMap<>();
        views.put("helpdesk", api.auth.users().canQuery());
        views.put("approvals", api.realm.getId().equals(api.auth.adminAuth().getRealm().getId())
                && new ApprovalDecisions(api.session, api.realm).isApproverOfRealm(caller));
        views.put("security", api.auth.realm().canViewEvents());
        views.put("policy", api.auth.realm().canViewRealm() && api.auth.users().canView());
        if (!views.containsValue(Boolean.TRUE)) {
            throw new ApiException(Response.Status.FORBIDDEN, "Your account may use no view of the recovery console. "
                    + "Ask an administrator of this realm for access.");
        }
        return Api.json(Response.Status.OK, Api.map("username", caller.getUsername(), "views", views));
    }
}
