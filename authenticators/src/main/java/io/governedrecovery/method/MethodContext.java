package io.governedrecovery.method;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.code.OneTimeCode;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.clock.Clocks;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * What a method sees of the running recovery: the user (absent for an unknown one), its own registration, the
 * submitted form, a place to keep its code, the page builder and the outbound delivery.
 */
public interface MethodContext {

    AuthenticationFlowContext flow();

    default KeycloakSession session() {
        return flow().getSession();
    }

    default RealmModel realm() {
        return flow().getRealm();
    }

    /** The user being recovered; empty when the name matched no enabled account. */
    Optional<UserModel> user();

    /** This method's registration for the user; empty for an unknown user or one without the method. */
    Optional<RegisteredMethod> registration();

    MethodSettings settings();

    MultivaluedMap<String, String> formParameters();

    Instant now();

    SecureRandom random();

    /** The locale of the pages the user sees, for messages sent to the user. */
    Locale locale();

    /** The code this method issued in this recovery, if any. */
    Optional<OneTimeCode> storedCode();

    /** Keeps (or, with null, drops) this method's code in the authentication session. */
    void storeCode(OneTimeCode code);

    /** A value this method keeps in the authentication session (for example a WebAuthn challenge). */
    Optional<String> note(String name);

    /** Keeps (or, with null, drops) a value of this method in the authentication session. */
    void setNote(String name, String value);

    /** How many codes this method sent in this recovery. */
    int sends();

    void countSend();

    /**
     * Whether a message may go out now under the cluster-wide limits per account and per client address (counting
     * it); when not, the page looks the same and nothing is sent.
     */
    default boolean allowSend() {
        return true;
    }

    /**
     * The login page builder of this request, with the recovery's common attributes (methods, progress, helpdesk)
     * set; messages the authenticator set earlier in the request are kept.
     */
    LoginFormsProvider page();

    /**
     * The shared "enter a code" page.
     *
     * @param instructionKey message key telling the user where the code comes from
     * @param args           arguments of that message
     * @param destination    a masked destination to show, or null
     */
    jakarta.ws.rs.core.Response codePage(String instructionKey, java.util.List<String> args, String destination);

    RecoveryDelivery delivery();
}
