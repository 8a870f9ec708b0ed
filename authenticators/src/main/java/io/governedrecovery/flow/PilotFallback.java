package io.governedrecovery.flow;

import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Whether the realm's pilot condition sent this flow's reset of an account to the realm's fallback (Keycloak's own
 * reset link) because the account is outside the pilot: written by the pilot condition, read by the reset steps.
 */
public final class PilotFallback {

    static final String NOTE = "governed-recovery.fallback";

    private PilotFallback() {
    }

    /** Marks this flow's reset of {@code user} (null: a name that matched no account) as the fallback's. */
    public static void mark(AuthenticationSessionModel authSession, UserModel user) {
        authSession.setAuthNote(NOTE, subject(user));
    }

    /** Clears the mark (the pilot condition decides again). */
    public static void clear(AuthenticationSessionModel authSession) {
        authSession.removeAuthNote(NOTE);
    }

    /** Whether this flow's reset of {@code user} was sent to the fallback by the pilot condition. */
    public static boolean isFallback(AuthenticationSessionModel authSession, UserModel user) {
        return subject(user).equals(authSession.getAuthNote(NOTE));
    }

    private static String subject(UserModel user) {
        return user == null ? "-" : user.getId();
    }
}
