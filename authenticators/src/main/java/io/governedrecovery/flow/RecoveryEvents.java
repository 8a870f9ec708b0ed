package io.governedrecovery.flow;

import java.util.Map;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.privacy.Pseudonyms;

/**
 * Names and helpers for the events each recovery step emits. Details carry the step, method, channel kind, outcome
 * and policy decision; never a code, a secret or a destination address.
 */
public final class RecoveryEvents {

    /**
     * The id of the events listener a realm turns on to have these events scored and exported (the event pipeline's
     * factory registers under it); a sign-in it takes also ends a waiting-period recovery.
     */
    public static final String LISTENER_ID = "governed-recovery-events";

    /** Whether the realm has the pipeline's events listener on. */
    public static boolean listenerOn(RealmModel realm) {
        return realm.getEventsListenersStream().anyMatch(LISTENER_ID::equals);
    }

    public static final String STEP = EventDetails.STEP;
    public static final String METHOD = EventDetails.METHOD;
    public static final String CHANNEL = EventDetails.CHANNEL;
    public static final String STRENGTH = EventDetails.STRENGTH;
    public static final String OUTCOME = EventDetails.OUTCOME;
    public static final String DECISION = EventDetails.DECISION;
    public static final String TIER = EventDetails.TIER;
    public static final String ERROR_RATE_LIMITED = "governed_recovery_rate_limited";
    public static final String REASON = EventDetails.REASON;
    public static final String PURPOSE = EventDetails.PURPOSE;
    public static final String PROVEN = EventDetails.PROVEN;
    public static final String REQUIRED = EventDetails.REQUIRED;

    public static final String ERROR_INVALID_CODE = "governed_recovery_invalid_code";
    public static final String ERROR_METHOD_PAUSED = "governed_recovery_method_paused";
    public static final String ERROR_POLICY_UNREACHABLE = "governed_recovery_policy_unreachable";
    public static final String ERROR_DELIVERY_FAILED = "governed_recovery_delivery_failed";
    public static final String ERROR_MISCONFIGURED = "governed_recovery_misconfigured";
    public static final String ERROR_FLOW_TAMPERED = "governed_recovery_flow_tampered";
    public static final String ERROR_INVALID_INPUT = "governed_recovery_invalid_input";
    public static final String ERROR_BREAK_GLASS = "governed_recovery_break_glass";
    /** A reset named an account whose self-service recovery is frozen. */
    public static final String ERROR_FROZEN = "governed_recovery_frozen";
    public static final String ERROR_PRIVILEGED_UNBRANCHED = "governed_recovery_privileged_unbranched";
    public static final String ERROR_APPROVAL_DENIED = "governed_recovery_approval_denied";
    public static final String ERROR_APPROVAL_EXPIRED = "governed_recovery_approval_expired";
    public static final String ERROR_NO_APPROVERS = "governed_recovery_no_approvers";

    /**
     * Auth note: the id of a break-glass account whose name was typed. Its pages are those of an unknown name, but its
     * events (every wrong code included) name the account, so the security team sees an attack on it as one.
     */
    public static final String REFUSED_ACCOUNT = "gr.refused-account";
    public static final String REFUSED_FROZEN = "gr.refused-frozen";

    private RecoveryEvents() {
    }

    /** Marks the flow as one for a refused break-glass account (see {@link #REFUSED_ACCOUNT}), or unmarks it. */
    public static void refusedAccount(org.keycloak.sessions.AuthenticationSessionModel authSession,
                               org.keycloak.models.UserModel account) {
        refusedAccount(authSession, account, false);
    }

    /** The same for an account refused because its recovery is frozen ({@code frozen}) rather than break-glass. */
    public static void refusedAccount(org.keycloak.sessions.AuthenticationSessionModel authSession,
                               org.keycloak.models.UserModel account, boolean frozen) {
        if (account == null) {
            authSession.removeAuthNote(REFUSED_ACCOUNT);
            authSession.removeAuthNote(REFUSED_FROZEN);
        } else {
            authSession.setAuthNote(REFUSED_ACCOUNT, account.getId());
            if (frozen) {
                authSession.setAuthNote(REFUSED_FROZEN, "true");
            } else {
                authSession.removeAuthNote(REFUSED_FROZEN);
            }
        }
    }

    /** The closing event of a reset, from the finishing required action. */
    public static EventBuilder finished(org.keycloak.authentication.RequiredActionContext context, String outcome,
                                 int sessionsEnded) {
        return context.getEvent().clone().event(EventType.RESET_PASSWORD).user(context.getUser())
                .detail(STEP, "finish").detail(OUTCOME, outcome)
                .detail(EventDetails.SESSIONS_ENDED, Integer.toString(sessionsEnded));
    }

    /**
     * A step event of the reset flow, typed {@code RESET_PASSWORD}, with the given details. For a name that matched
     * no account it carries the name's pseudonym instead, so the security team (and the anomaly scorer) can tell
     * repeated tries for one unknown name from tries spread over many, without the typed text. A break-glass account's
     * flow (which walks an unknown name's pages) names the account and its tier.
     */
    public static EventBuilder step(AuthenticationFlowContext context, String step, Map<String, String> details) {
        EventBuilder event = context.getEvent().clone().event(EventType.RESET_PASSWORD).detail(STEP, step);
        String refused = context.getAuthenticationSession().getAuthNote(REFUSED_ACCOUNT);
        if (context.getUser() != null) {
            event.user(context.getUser());
        } else if (refused != null) {
            event.user(refused);
            if ("true".equals(context.getAuthenticationSession().getAuthNote(REFUSED_FROZEN))) {
                event.detail(EventDetails.FROZEN, "true");
            } else {
                event.detail(TIER, EventDetails.TIER_BREAK_GLASS);
            }
        } else {
            String typed = context.getAuthenticationSession()
                    .getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
            if (typed != null) {
                event.detail(EventDetails.USERNAME, Pseudonyms.of(context.getSession(), context.getRealm(), typed));
            }
        }
        details.forEach(event::detail);
        return event;
    }
}
