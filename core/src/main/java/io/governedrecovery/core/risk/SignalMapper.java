package io.governedrecovery.core.risk;

import java.util.Locale;
import java.util.Set;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;

/** Reduces a recovery event to the scorer's {@link Signal}, or null when the event does not feed any rule. */
public final class SignalMapper {

    private static final Set<String> SENT_CODE_METHODS = Set.of("email-code", "sms-code");
    private static final Set<String> METHOD_EVENTS = Set.of("UPDATE_EMAIL", "UPDATE_TOTP", "REMOVE_TOTP",
            "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL");

    private SignalMapper() {
    }

    public static Signal map(RecoveryEvent e) {
        if (e.kind() == RecoveryEvent.Kind.ADMIN
                && EventDetails.VERDICT_FALSE_POSITIVE.equals(e.details().get(EventDetails.VERDICT))) {
            // A triage: the subject is the finding's (account or address), not the administrator's.
            String realm = e.realmId();
            return new Signal(SignalKind.FALSE_POSITIVE, e.time(),
                    Hashing.scoped(realm, e.details().get(EventDetails.SUBJECT_ACCOUNT)),
                    Hashing.scoped(realm, e.details().get(EventDetails.SUBJECT_ADDRESS)), 0, 0, Signal.STANDARD);
        }
        SignalKind kind = kind(e);
        if (kind == null) {
            return null;
        }
        String realm = e.realmId();
        return new Signal(kind, e.time(), Hashing.scoped(realm, AnomalyScorer.accountName(e)),
                Hashing.scoped(realm, e.ipAddress()), Hashing.scoped(realm, AnomalyScorer.subnetOf(e.ipAddress())),
                Hashing.scoped(realm, e.details().get(EventDetails.DEPARTMENT)), tier(e));
    }

    private static SignalKind kind(RecoveryEvent e) {
        String step = e.details().get(EventDetails.STEP);
        if ("true".equals(e.details().get(EventDetails.METHOD_CHANGE))) {
            return SignalKind.METHOD_CHANGED;
        }
        switch (e.type()) {
            case "RESET_PASSWORD":
                if ("identify".equals(step)) {
                    return SignalKind.RESET_STARTED;
                }
                String method = e.details().get(EventDetails.METHOD);
                if ("challenge".equals(step) && method != null && SENT_CODE_METHODS.contains(method)) {
                    return SignalKind.CODE_SENT;
                }
                if ("waiting".equals(step) && "started".equals(e.details().get(EventDetails.OUTCOME))) {
                    return SignalKind.WAITING_STARTED;
                }
                if ("finish".equals(step) && "reset".equals(e.details().get(EventDetails.OUTCOME))) {
                    return SignalKind.RESET_COMPLETED;
                }
                return null;
            case "RESET_PASSWORD_ERROR":
                if ("identify".equals(step)) {
                    return SignalKind.RESET_STARTED; // a refused start (a break-glass account) is still a start
                }
                return "verify".equals(step) ? SignalKind.RESET_FAILED : null;
            case "SEND_RESET_PASSWORD":
                // Keycloak's stock flow sends its mail on the request (with the address); ours reports delivery later.
                return step == null && e.ipAddress() != null ? SignalKind.CODE_SENT : null;
            case "CUSTOM_REQUIRED_ACTION":
                // A verified contact change sends codes too: they count towards the same send volume.
                String outcome = e.details().get(EventDetails.OUTCOME);
                return "contact_change".equals(step)
                        && ("code_sent".equals(outcome) || "step_up_code_sent".equals(outcome))
                        ? SignalKind.CODE_SENT : null;
            case "EXECUTE_ACTION_TOKEN":
                return EventDetails.STEP_NOT_ME.equals(step) ? SignalKind.OWNER_REPORT : null;
            case "LOGIN":
                return SignalKind.LOGIN;
            case "LOGIN_ERROR":
                return SignalKind.LOGIN_FAILED;
            default:
                if (METHOD_EVENTS.contains(e.type())) {
                    String credential = e.details().get(EventDetails.CREDENTIAL_TYPE);
                    return credential != null && credential.toLowerCase(Locale.ROOT).equals("password") ? null
                            : SignalKind.METHOD_CHANGED;
                }
                return null;
        }
    }

    private static int tier(RecoveryEvent e) {
        String tier = e.details().get(EventDetails.TIER);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return Signal.BREAK_GLASS;
        }
        return EventDetails.TIER_PRIVILEGED.equals(tier) ? Signal.PRIVILEGED : Signal.STANDARD;
    }
}
