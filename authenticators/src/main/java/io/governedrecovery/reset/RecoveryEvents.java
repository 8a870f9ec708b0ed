package io.governedrecovery.reset;

import java.util.Map;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;

/**
 * Names and helpers for the events each recovery step emits. Details carry the step, method, channel kind, outcome
 * and policy decision; never a code, a secret or a destination address.
 */
public final class RecoveryEvents {

    public static final String STEP = "gr_step";
    public static final String METHOD = "gr_method";
    public static final String CHANNEL = "gr_channel";
    public static final String STRENGTH = "gr_strength";
    public static final String OUTCOME = "gr_outcome";
    public static final String DECISION = "gr_decision";
    public static final String TIER = "gr_tier";
    public static final String REASON = "gr_reason";
    public static final String PURPOSE = "gr_purpose";
    public static final String PROVEN = "gr_proven";
    public static final String REQUIRED = "gr_required";

    public static final String ERROR_INVALID_CODE = "governed_recovery_invalid_code";
    public static final String ERROR_METHOD_PAUSED = "governed_recovery_method_paused";
    public static final String ERROR_POLICY_UNREACHABLE = "governed_recovery_policy_unreachable";
    public static final String ERROR_DELIVERY_FAILED = "governed_recovery_delivery_failed";
    public static final String ERROR_MISCONFIGURED = "governed_recovery_misconfigured";
    public static final String ERROR_FLOW_TAMPERED = "governed_recovery_flow_tampered";
    public static final String ERROR_INVALID_INPUT = "governed_recovery_invalid_input";

    private RecoveryEvents() {
    }

    /** The closing event of a reset, from the finishing required action. */
    static EventBuilder finished(org.keycloak.authentication.RequiredActionContext context, String outcome,
                                 int sessionsEnded) {
        return context.getEvent().clone().event(EventType.RESET_PASSWORD).user(context.getUser())
                .detail(STEP, "finish").detail(OUTCOME, outcome)
                .detail("gr_sessions_ended", Integer.toString(sessionsEnded));
    }

    /** A step event of the reset flow, typed {@code RESET_PASSWORD}, with the given details. */
    static EventBuilder step(AuthenticationFlowContext context, String step, Map<String, String> details) {
        EventBuilder event = context.getEvent().clone().event(EventType.RESET_PASSWORD).detail(STEP, step);
        if (context.getUser() != null) {
            event.user(context.getUser());
        }
        details.forEach(event::detail);
        return event;
    }
}
