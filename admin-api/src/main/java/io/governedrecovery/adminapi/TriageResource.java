package io.governedrecovery.adminapi;

import java.io.IOException;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.events.intake.RecoveryEventSelection;
import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.freeze.RecoveryFreeze;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST .../findings/{id}/triage}: a security analyst's verdict on a finding. "false-positive" takes the
 * finding's rule out of its account's or address's risk on every node (the anomaly scorer reads the triage from the
 * event pipeline like any event), so the next reset is no longer stepped up; "confirmed" may also freeze self-service
 * recovery for the account until the helpdesk lifts it. Every triage is an admin event (resource type
 * {@value #RESOURCE_TYPE}) and so an exported record.
 *
 * <p>For callers who may view the realm's events and, for a finding about an account, manage that account (for any
 * other finding, whose risk weighs on every account's reset from there: manage the realm's users).
 */
public final class TriageResource {

    private static final Logger LOG = Logger.getLogger(TriageResource.class);
    public static final String RESOURCE_TYPE = RecoveryEventSelection.FINDING_RESOURCE;
    static final String EXAMPLE = "{\"verdict\": \"false-positive\", \"note\": \"she mistyped her code\"}";
    static final int MAX_NOTE = 500;

    /** The verdict ({@code false-positive} or {@code confirmed}), whether to freeze (confirmed only) and a note. */
    public record TriageRequest(String verdict, Boolean freeze, String note) {
    }

    /** A triage as answered and as the admin event's representation. */
    public record Triage(String finding, String rule, String verdict, boolean frozen, String note, String by,
                         long at) {
    }

    private final Api api;
    private final String findingId;

    TriageResource(Api api, String findingId) {
        this.api = api;
        this.findingId = findingId;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response triage(String body) {
        api.auth.realm().requireViewEvents();
        TriageRequest request = Api.body(body, TriageRequest.class, EXAMPLE);
        String verdict = verdict(request.verdict());
        boolean freeze = Boolean.TRUE.equals(request.freeze());
        String note = request.note() == null ? "" : request.note().strip();
        if (note.length() > MAX_NOTE || note.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw error("note", "text of at most " + MAX_NOTE + " characters");
        }
        if (freeze && !EventDetails.VERDICT_CONFIRMED.equals(verdict)) {
            throw error("freeze", "only a confirmed finding freezes an account's recovery");
        }
        EventPipeline pipeline = Api.pipeline(api.session);
        if (pipeline == null) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                    "The governed-recovery-events listener is not running on this server.");
        }
        OutboxRecord record = findingId == null || findingId.length() > 100 ? null
                : pipeline.outbox().find(api.realm.getId(), findingId)
                        .filter(r -> r.kind() == OutboxRecord.Kind.FINDING).orElse(null);
        if (record == null) {
            throw new ApiException(Response.Status.NOT_FOUND, "No finding with this id.");
        }
        Finding finding = finding(record);
        UserModel user = finding.userId() == null ? null
                : api.session.users().getUserById(api.realm, finding.userId());
        if (user != null) {
            api.auth.users().requireManage(user);
        } else {
            // An address, a department or an unknown name: its risk weighs on every account's reset from there.
            api.auth.users().requireManage();
        }
        if (freeze && user == null) {
            throw error("freeze", "this finding names no account of this realm");
        }
        long now = Time.currentTimeMillis();
        UserModel caller = api.caller();
        if (freeze) {
            RecoveryFreeze.freeze(user, now, caller.getUsername(), finding.id());
            // A waiting recovery under way ends with the freeze (its own event): lifting the freeze revives none.
            io.governedrecovery.reset.WaitingPeriod.endCurrent(api.session, api.realm, user,
                    io.governedrecovery.reset.WaitingPeriod.FROZEN, now, new org.keycloak.events.EventBuilder(
                            api.realm, api.session, api.session.getContext().getConnection()));
        }
        Triage triage = new Triage(finding.id(), finding.rule(), verdict, freeze, note, caller.getUsername(), now);
        var event = api.adminEvent.operation(OperationType.ACTION).resource(RESOURCE_TYPE)
                .detail(EventDetails.FINDING, finding.id()).detail(EventDetails.RULE, finding.rule())
                .detail(EventDetails.VERDICT, verdict).detail(BY, caller.getUsername()).representation(triage);
        if (user != null) {
            event.resourcePath("users", user.getId(), "governed-recovery", "findings", finding.id(), "triage");
        } else {
            event.resourcePath("governed-recovery", "findings", finding.id(), "triage");
        }
        // The subject as the scorer keys it: the account (or typed name) and the address the finding is about.
        if (finding.userId() != null) {
            event.detail(EventDetails.SUBJECT_ACCOUNT, "user:" + finding.userId());
        } else if (Finding.SUBJECT_NAME.equals(finding.subject()) && finding.username() != null) {
            event.detail(EventDetails.SUBJECT_ACCOUNT, "name:" + finding.username().toLowerCase(Locale.ROOT));
        }
        if (Finding.SUBJECT_ADDRESS.equals(finding.subject()) && finding.ipAddress() != null) {
            event.detail(EventDetails.SUBJECT_ADDRESS, finding.ipAddress());
        }
        if (freeze) {
            event.detail(EventDetails.FROZEN, "true");
        }
        if (!note.isEmpty()) {
            event.detail(NOTE, note);
        }
        event.success();
        LOG.infof("Governed Recovery: finding %s of realm '%s' triaged as %s by %s%s", finding.id(),
                api.realm.getName(), verdict, caller.getUsername(), freeze ? " (recovery frozen)" : "");
        return Api.json(Response.Status.OK, triage);
    }

    /** The analyst's note and username, in the admin event's details (and so in the exported record). */
    static final String NOTE = "gr_note";
    static final String BY = "gr_by";

    private static String verdict(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (v.equals(EventDetails.VERDICT_FALSE_POSITIVE) || v.equals(EventDetails.VERDICT_CONFIRMED)) {
            return v;
        }
        throw error("verdict", "use false-positive or confirmed");
    }

    private static Finding finding(OutboxRecord record) {
        try {
            return JsonSerialization.mapper.readValue(record.payload(), Finding.class);
        } catch (IOException unreadable) {
            throw new ApiException(Response.Status.CONFLICT, "This finding's stored record cannot be read.");
        }
    }

    private static ApiException error(String field, String message) {
        return new ApiException(Response.Status.BAD_REQUEST, "'" + field + "': " + message + ".");
    }
}
