package io.governedrecovery.adminapi;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.governedrecovery.events.store.OutboxRecord;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * {@code /admin/realms/{realm}/governed-recovery}: one resource per capability, each checking the caller's
 * permission with Keycloak's evaluator before it reads or changes anything.
 */
public final class GovernedRecoveryAdmin {

    private final Api api;
    private final int compliancePageSize;
    private final ReportSlots complianceSlots;

    GovernedRecoveryAdmin(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                          AdminEventBuilder adminEvent, int compliancePageSize, ReportSlots complianceSlots) {
        this.api = new Api(session, realm, auth, adminEvent);
        this.compliancePageSize = compliancePageSize;
        this.complianceSlots = complianceSlots;
    }

    /** Temporary access passes of one account. */
    @Path("users/{userId}/temporary-access-passes")
    public PassesResource passes(@PathParam("userId") String userId) {
        return new PassesResource(api, userId);
    }

    /** One account's recovery picture for the helpdesk. */
    @Path("users/{userId}/recovery")
    public RecoveryPictureResource recoveryPicture(@PathParam("userId") String userId) {
        return new RecoveryPictureResource(api, userId);
    }

    /** Passes for privileged accounts waiting for a second helpdesk member. */
    @Path("temporary-access-passes/pending")
    public PendingPassesResource pendingPasses() {
        return new PendingPassesResource(api);
    }

    /** Which views of the recovery console the caller may use. */
    @Path("console/access")
    public ConsoleAccessResource consoleAccess() {
        return new ConsoleAccessResource(api);
    }

    /** Break-glass accounts: their status, and recorded tests. */
    @Path("break-glass")
    public BreakGlassResource breakGlass() {
        return new BreakGlassResource(api);
    }

    /** Registration compliance of the realm's users. */
    @Path("compliance")
    public ComplianceResource compliance() {
        return new ComplianceResource(api, compliancePageSize, complianceSlots);
    }

    /** Recent recovery events of the realm (not findings). */
    @Path("events")
    public EventsResource events() {
        return new EventsResource(api, null);
    }

    /** Anomaly findings of the realm. */
    @Path("findings")
    public EventsResource findings() {
        return new EventsResource(api, OutboxRecord.Kind.FINDING);
    }

    /** Reset attempts, completions and findings per hour. */
    @Path("activity")
    public ActivityResource activity() {
        return new ActivityResource(api);
    }

    /** A security analyst's verdict on one finding. */
    @Path("findings/{findingId}/triage")
    public TriageResource triage(@PathParam("findingId") String findingId) {
        return new TriageResource(api, findingId);
    }

    /** Whether one account's self-service recovery is frozen; the helpdesk lifts a freeze here. */
    @Path("users/{userId}/recovery-freeze")
    public FreezeResource freeze(@PathParam("userId") String userId) {
        return new FreezeResource(api, userId);
    }

    /** Waiting-period recoveries under way; the helpdesk ends one here. */
    @Path("waiting-recoveries")
    public WaitingRecoveriesResource waitingRecoveries() {
        return new WaitingRecoveriesResource(api);
    }

    /** The recovery policy in force, in plain words, with its problems. */
    @Path("policy")
    public PolicyResource policy() {
        return new PolicyResource(api);
    }
}
