package io.governedrecovery.method;

import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.Provider;

import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;

import jakarta.ws.rs.core.Response;

/**
 * One way to prove identity during recovery (an email code, a TOTP code, a passkey...). New methods are plugins:
 * implement this with a {@link RecoveryMethodFactory} and list the factory in
 * {@code META-INF/services/io.governedrecovery.method.RecoveryMethodFactory}.
 *
 * <p>Rules every method keeps: the page and the work for a user who does not have the method (or does not exist) look
 * exactly like those for a user who has it, and a method never reveals or stores a secret in clear.
 */
public interface RecoveryMethod extends Provider {

    /** The method id, also its provider id: {@code email-code}, {@code totp}... */
    String id();

    Strength strength();

    ChannelKind channelKind();

    /** The user's registration of this method, if the user has it; empty for an unknown user. */
    Optional<RegisteredMethod> registration(RealmModel realm, UserModel user, MethodSettings settings);

    /**
     * Starts a challenge: sends a code where the method sends one (for a user without the method, keeps a code that
     * is never sent, so what follows looks the same). Called when the user picks the method and on "send a new code".
     */
    default void prepare(MethodContext context) {
    }

    /**
     * Why this method cannot be used in {@code realm} on this server (for example no SMS gateway), or null when it
     * can. A method that cannot be used is not offered to anyone (the list stays the same for every account), and the
     * policy summary names the reason.
     */
    default String unavailable(KeycloakSession session, RealmModel realm, MethodSettings settings) {
        return null;
    }

    /** Renders the method's challenge page. May be called again after a failed try (with an error already set). */
    Response page(MethodContext context);

    /** Checks what the user submitted on the challenge page. */
    Verification verify(MethodContext context);

    /** Message key shown when a submission proved nothing. */
    default String wrongMessageKey() {
        return "governedRecoveryCodeWrong";
    }

    /** Message key shown when a submission was empty or incomplete. */
    default String missingMessageKey() {
        return "governedRecoveryCodeMissing";
    }

    /** Whether the challenge page offers "send a new code". */
    default boolean resendable() {
        return false;
    }

    @Override
    default void close() {
        // Methods are stateless by default.
    }
}
