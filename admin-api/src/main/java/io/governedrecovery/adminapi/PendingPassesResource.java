package io.governedrecovery.adminapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.tap.TemporaryAccessPasses;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../temporary-access-passes/pending}: the queue of a second helpdesk member: passes for privileged accounts
 * that wait for approval, of the accounts whose password the caller may reset (roles or fine-grained permissions),
 * oldest first, at most {@value #MAX}. Each names the account and the issuer; {@code mine} marks the caller's own
 * requests (which the caller cannot approve). Approving is {@code POST users/{id}/temporary-access-passes/{passId}/approval}.
 */
public final class PendingPassesResource {

    static final int MAX = 200;

    private final Api api;

    PendingPassesResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response pending() {
        api.auth.users().requireQuery();
        long now = Time.currentTimeMillis();
        String caller = api.caller().getId();
        List<Map<String, Object>> queue = new ArrayList<>();
        for (String id : TemporaryAccessPasses.holdersOfPending(api.session, api.realm, MAX)) {
            UserModel user = api.session.users().getUserById(api.realm, id);
            if (user == null || !api.auth.users().canResetPassword(user)) {
                continue;
            }
            for (CredentialModel credential : TemporaryAccessPasses.list(user)) {
                TemporaryAccessPasses.details(credential)
                        .filter(d -> d.pending() && now < d.expiresAt())
                        .ifPresent(d -> queue.add(Api.map("userId", user.getId(), "username", user.getUsername(),
                                "mine", caller.equals(d.issuerId()) || caller.equals(user.getId()),
                                "pass", PassesResource.PassView.of(credential.getId(), d, now, null))));
            }
        }
        return Api.json(Response.Status.OK, Map.of("pending", queue));
    }
}
