package io.governedrecovery.flow;

import java.util.Optional;

import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What the controls step decided for this flow and account, read by the reset steps: how many more strong methods
 * the policy needs, whether self-service is refused (high risk), the cluster-wide send limits, and the client address
 * the limits count. Bound to the account named when the decision was taken; another account gets nothing from it.
 */
public record AppliedControls(int extraStrong, boolean refused, int sendsPerUserHour, int sendsPerAddressHour,
                              String clientAddress) {

    static final String NOTE = "governed-recovery.controls";
    /** Codes sent to one account per hour when the controls step did not run in this flow (its own default). */
    public static final int DEFAULT_SENDS_PER_USER_HOUR = 3;
    /** Codes asked from one address per hour when the controls step did not run in this flow (its own default). */
    public static final int DEFAULT_SENDS_PER_ADDRESS_HOUR = 20;
    /** The controls step's provider id: a reset step checks whether the realm's flow has it. */
    public static final String STEP_ID = "governed-recovery-controls";

    public void store(AuthenticationSessionModel authSession, UserModel user) {
        authSession.setAuthNote(NOTE, String.join("|", subject(user), Integer.toString(extraStrong),
                Boolean.toString(refused), Integer.toString(sendsPerUserHour), Integer.toString(sendsPerAddressHour),
                clientAddress == null ? "" : clientAddress));
    }

    /** The decision for {@code user} in this flow, if the controls step ran for that account. */
    public static Optional<AppliedControls> of(AuthenticationSessionModel authSession, UserModel user) {
        String raw = authSession.getAuthNote(NOTE);
        if (raw == null) {
            return Optional.empty();
        }
        String[] parts = raw.split("\\|", -1);
        if (parts.length != 6 || !parts[0].equals(subject(user))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AppliedControls(Integer.parseInt(parts[1]), Boolean.parseBoolean(parts[2]),
                    Integer.parseInt(parts[3]), Integer.parseInt(parts[4]), parts[5].isEmpty() ? null : parts[5]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A reset step drops {@code user} from the flow (a break-glass account, a privileged one without a branch): the
     * decision taken for it now serves the flow's unknown account, exactly as it would for a name that matched
     * nothing, so the pages go on the same way.
     */
    public static void unbind(AuthenticationSessionModel authSession, UserModel user) {
        String raw = authSession.getAuthNote(NOTE);
        String bound = subject(user) + "|";
        if (raw != null && user != null && raw.startsWith(bound)) {
            authSession.setAuthNote(NOTE, "-|" + raw.substring(bound.length()));
        }
    }

    private static String subject(UserModel user) {
        return user == null ? "-" : user.getId();
    }
}
