package io.governedrecovery.adminapi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.approval.Approval;
import io.governedrecovery.approval.Approvals;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.risk.Risk;
import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.governance.Compliance;
import io.governedrecovery.limits.FailureBudget;
import io.governedrecovery.risk.RecoveryRisk;
import io.governedrecovery.store.Counters;
import io.governedrecovery.tap.TemporaryAccessPasses;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../users/{userId}/recovery}: one account's recovery picture for the helpdesk (callers who may view that
 * account): its tier, its registered methods with their dates and whether they count now (cooldown), its standing
 * against its tier's policy, its recent resets with where each ended and why, the methods paused for its name, its
 * current risk, its open approval requests and its temporary access passes (never a secret, a code or a contact
 * address beyond the account's own email).
 *
 * <p>Recent resets come from the event pipeline's outbox (the last {@value #DAYS} days, at most {@value #ATTEMPTS}
 * resets, grouped by Keycloak's authentication session; a code's delivery, reported without it, joins the reset that
 * started last before it); only the reset events are read, so sign-ins, however many, never push them out. Without
 * the pipeline on this server {@code attempts} is null.
 *
 * <p>The client addresses of the resets and of the approval requests are event history: as in Keycloak's own event
 * views they are shown only to callers who may view the realm's events ({@code view-events});
 * for others they are null and {@code addressesShown} is false.
 */
public final class RecoveryPictureResource {

    static final int DAYS = 7;
    static final int ATTEMPTS = 10;
    /** Reset events read; a reset has about ten. */
    static final int EVENTS = 300;
    /** The event types of a reset (Keycloak's reset events, which the reset steps use, and the code's delivery). */
    static final List<String> RESET_TYPES = List.of(EventType.RESET_PASSWORD.name(),
            EventType.RESET_PASSWORD_ERROR.name(), EventType.SEND_RESET_PASSWORD.name(),
            EventType.SEND_RESET_PASSWORD_ERROR.name());

    private final Api api;
    private final String userId;

    RecoveryPictureResource(Api api, String userId) {
        this.api = api;
        this.userId = userId;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response picture() {
        UserModel user = api.viewable(userId);
        long now = Time.currentTimeMillis();
        Compliance compliance = new Compliance(api.session, api.realm);
        Compliance.Standing standing = compliance.of(user);
        boolean addresses = api.auth.realm().canViewEvents();

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", Api.map("id", user.getId(), "username", user.getUsername(), "firstName",
                user.getFirstName(), "lastName", user.getLastName(), "email", user.getEmail(), "enabled",
                user.isEnabled()));
        answer.put("tier", standing.tier());
        // Self-service recovery frozen (its owner reported a change, or an analyst confirmed a finding): the helpdesk
        // lifts it here, with a ticket, if the caller may manage the account.
        answer.put("freeze", FreezeResource.state(user));
        answer.put("mayManage", api.auth.users().canManage(user));
        var settings = compliance.settings(standing.tier());
        answer.put("cooldownHours", settings.map(s -> s.policy().cooldown().toHours()).orElse(null));
        answer.put("compliance", Api.map("applicable", standing.applicable(), "meets", standing.meets(),
                "requiredMethods", standing.requiredMethods(), "requiredStrong", standing.requiredStrong(),
                "reason", standing.reason()));
        answer.put("methods", compliance.methods(user));
        answer.put("paused", paused(user, settings.orElse(null), now));
        Risk risk = risk(user);
        answer.put("risk", Api.map("level", risk.level().name(), "score", risk.score(), "reasons", risk.reasons()));
        answer.put("addressesShown", addresses);
        answer.put("attempts", attempts(user, now, addresses));
        answer.put("approvals", approvals(user, now, addresses));
        answer.put("passes", TemporaryAccessPasses.list(user).stream()
                .flatMap(c -> TemporaryAccessPasses.details(c)
                        .map(d -> PassesResource.PassView.of(c.getId(), d, now, null)).stream())
                .toList());
        return Api.json(Response.Status.OK, answer);
    }

    /** Methods paused for the account's username or email address, typed from any address (the total budget spent). */
    private List<Map<String, Object>> paused(UserModel user, io.governedrecovery.reset.ResetSettings settings,
                                             long now) {
        List<Map<String, Object>> paused = new ArrayList<>();
        if (settings == null) {
            return paused;
        }
        FailureBudget budget = new FailureBudget(new Counters(api.session), settings.failureBudget(),
                settings.failureBudgetTotal(), settings.failureWindow());
        var at = java.time.Instant.ofEpochMilli(now);
        // Where the email address is the username (a realm that signs in by email), it is one name, listed once.
        String email = user.getEmail() != null && user.getEmail().equalsIgnoreCase(user.getUsername()) ? null
                : user.getEmail();
        for (String method : settings.methods()) {
            for (String name : new String[] {user.getUsername(), email}) {
                if (name != null && budget.pausedEverywhere(api.realm.getId(), method, name, at)) {
                    paused.add(Api.map("method", method, "name", name.equals(user.getUsername()) ? "username"
                            : "email", "minutes", settings.failureWindow().toMinutes()));
                }
            }
        }
        return paused;
    }

    private Risk risk(UserModel user) {
        RecoveryRisk provider = api.session.getProvider(RecoveryRisk.class);
        return provider == null ? Risk.NONE : provider.of(api.realm, user, null, null);
    }

    private List<Map<String, Object>> approvals(UserModel user, long now, boolean addresses) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Approval a : new Approvals(api.session).pending(api.realm.getId(), now)) {
            if (a.userId().equals(user.getId())) {
                list.add(Api.map("id", a.id(), "status", a.statusAt(now).name(), "createdAt", a.createdAt(),
                        "expiresAt", a.expiresAt(), "ip", addresses ? a.requesterIp() : null, "methods", a.methods()));
            }
        }
        return list;
    }

    /**
     * The account's recent resets, newest first: its reset events grouped by Keycloak's authentication session (the
     * detail {@code code_id}), each with its steps and the last one, where it ended; with their client addresses
     * only when {@code addresses}.
     */
    private List<Map<String, Object>> attempts(UserModel user, long now, boolean addresses) {
        EventPipeline pipeline = Api.pipeline(api.session);
        if (pipeline == null) {
            return null;
        }
        List<OutboxRecord> rows = pipeline.outbox().search(api.realm.getId(), OutboxRecord.Kind.USER, user.getId(),
                null, null, RESET_TYPES, now - DAYS * 86_400_000L, Long.MAX_VALUE, EVENTS);
        Map<String, List<Map<String, Object>>> byReset = new LinkedHashMap<>();
        List<Map<String, Object>> unbound = new ArrayList<>();
        for (OutboxRecord row : rows) {
            JsonNode record = read(row.payload());
            JsonNode details = record.path("details");
            String reset = details.path("code_id").asText(null);
            if (reset != null && !byReset.containsKey(reset) && byReset.size() == ATTEMPTS) {
                continue;
            }
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("time", row.eventTime());
            step.put("type", row.type());
            step.put("step", text(details, EventDetails.STEP));
            step.put("method", text(details, EventDetails.METHOD));
            step.put("outcome", text(details, EventDetails.OUTCOME));
            step.put("decision", text(details, EventDetails.DECISION));
            step.put("reason", text(details, EventDetails.REASON));
            step.put("error", record.path("error").isTextual() ? record.path("error").asText() : null);
            step.put("ip", addresses ? row.ip() : null);
            if (reset == null) {
                unbound.add(step); // a code's delivery, reported by the sender after the request
            } else {
                byReset.computeIfAbsent(reset, k -> new ArrayList<>()).add(0, step); // rows come newest first
            }
        }
        for (Map<String, Object> step : unbound) {
            // Into the latest reset that started before it.
            long at = (Long) step.get("time");
            byReset.values().stream().filter(steps -> (Long) steps.get(0).get("time") <= at)
                    .max(java.util.Comparator.comparingLong(steps -> (Long) steps.get(0).get("time")))
                    .ifPresent(steps -> {
                        int i = 0;
                        while (i < steps.size() && (Long) steps.get(i).get("time") <= at) {
                            i++;
                        }
                        steps.add(i, step);
                    });
        }
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (List<Map<String, Object>> steps : byReset.values()) {
            Map<String, Object> last = steps.get(steps.size() - 1);
            Map<String, Object> attempt = new LinkedHashMap<>();
            attempt.put("startedAt", steps.get(0).get("time"));
            attempt.put("endedAt", last.get("time"));
            attempt.put("ip", steps.get(0).get("ip"));
            attempt.put("methods", steps.stream().filter(s -> "verified".equals(s.get("outcome")))
                    .map(s -> s.get("method")).filter(java.util.Objects::nonNull).distinct().toList());
            attempt.put("finished", steps.stream().anyMatch(s -> "finish".equals(s.get("step"))));
            attempt.put("last", last);
            attempt.put("steps", steps);
            attempts.add(attempt);
        }
        return attempts;
    }

    private static String text(JsonNode details, String key) {
        JsonNode value = details.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode read(String payload) {
        try {
            return JsonSerialization.mapper.readTree(payload);
        } catch (IOException e) {
            return JsonSerialization.mapper.createObjectNode();
        }
    }
}
