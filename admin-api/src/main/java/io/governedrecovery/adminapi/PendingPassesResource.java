package io.governedrecovery.adminapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * newest first, at most {@value #MAX} ({@code truncated} true when there are more). Only requests made within the
 * longest lifetime of a pass ({@value PassesResource#MAX_LIFETIME_MINUTES} minutes) can still wait, so older ones are
 * not read; the requests of accounts the caller may not reset are skipped and reading goes on, so they never crowd
 * out the caller's own queue. Each names the account and the issuer; {@code mine} marks the caller's own requests
 * (which the caller cannot approve). Approving is {@code POST users/{id}/temporary-access-passes/{passId}/approval}.
 */
public final class PendingPassesResource {

    static final int MAX = 200;
    /** Requests read from the database at a time. */
    static final int PAGE = 200;

    private final Api api;

    PendingPassesResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response pending() {
        api.auth.users().requireQuery();
        long now = Time.currentTimeMillis();
        long since = now - PassesResource.MAX_LIFETIME_MINUTES * 60_000L;
        String caller = api.caller().getId();
        List<Map<String, Object>> queue = new ArrayList<>();
        Set<String> read = new HashSet<>();
        boolean truncated = false;
        reading:
        for (int first = 0; ; first += PAGE) {
            List<String> page = TemporaryAccessPasses.holdersOfPending(api.session, api.realm, since, first, PAGE);
            for (String id : page) {
                if (!read.add(id)) {
                    continue; // a user's requests are all taken the first time the user comes up
                }
                UserModel user = api.session.users().getUserById(api.realm, id);
                if (user == null || !api.auth.users().canResetPassword(user)) {
                    continue;
                }
                List<Map.Entry<CredentialModel, TemporaryAccessPasses.Details>> waiting = new ArrayList<>();
                for (CredentialModel credential : TemporaryAccessPasses.list(user)) {
                    TemporaryAccessPasses.details(credential)
                            .filter(d -> d.pending() && now < d.expiresAt())
                            .ifPresent(d -> waiting.add(Map.entry(credential, d)));
                }
                waiting.sort(Comparator.comparingLong(
                        (Map.Entry<CredentialModel, TemporaryAccessPasses.Details> e) -> e.getValue().issuedAt())
                        .reversed());
                for (var entry : waiting) {
                    if (queue.size() == MAX) {
                        truncated = true;
                        break reading;
                    }
                    TemporaryAccessPasses.Details d = entry.getValue();
                    queue.add(Api.map("userId", user.getId(), "username", user.getUsername(),
                            "mine", caller.equals(d.issuerId()) || caller.equals(user.getId()),
                            "pass", PassesResource.PassView.of(entry.getKey().getId(), d, now, null)));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pending", queue);
        answer.put("truncated", truncated);
        return Api.json(Response.Status.OK, answer);
    }
}
