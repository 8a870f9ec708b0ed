package io.governedrecovery.method.tap;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.method.AbstractRecoveryMethod;
import io.governedrecovery.method.AbstractRecoveryMethodFactory;
import io.governedrecovery.method.MethodContext;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.SentCodeMethod;
import io.governedrecovery.method.Verification;
import io.governedrecovery.tap.TemporaryAccessPasses;

import jakarta.ws.rs.core.Response;

/**
 * "tap": a temporary access pass the helpdesk issued after checking the person's identity. Strong, its own channel
 * (the helpdesk), and exempt from the cooldown for new methods: the cooldown guards against methods an attacker added,
 * and a pass is issued by the helpdesk, not added by whoever holds a session. A one-time pass is gone once used.
 */
public final class TemporaryAccessPassMethodFactory extends AbstractRecoveryMethodFactory {

    public static final String ID = "tap";
    private static final int MAX_INPUT = 64;

    public TemporaryAccessPassMethodFactory() {
        super(new TapMethod(), 40);
    }

    /** The method's note naming the pass this reset proved (a credential id), spent with the new password. */
    public static final String PROVEN_NOTE = "proven";

    static final class TapMethod extends AbstractRecoveryMethod {

        TapMethod() {
            super(ID, Strength.STRONG, ChannelKind.HELPDESK_PASS);
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            long now = Time.currentTimeMillis();
            boolean registered = TemporaryAccessPasses.list(user).stream().map(TemporaryAccessPasses::details)
                    .anyMatch(d -> d.isPresent() && d.get().registered(now));
            return registered ? Optional.of(registered(Channel.of(ChannelKind.HELPDESK_PASS), Instant.EPOCH))
                    : Optional.empty();
        }

        @Override
        public Response page(MethodContext context) {
            return context.codePage("governedRecoveryTapInstruction", List.of(), null);
        }

        @Override
        public Verification verify(MethodContext context) {
            String typed = context.formParameters().getFirst(SentCodeMethod.CODE_FIELD);
            if (typed == null || typed.isBlank()) {
                return Verification.INCOMPLETE;
            }
            if (typed.length() > MAX_INPUT || context.user().isEmpty() || context.registration().isEmpty()) {
                return Verification.WRONG;
            }
            UserModel user = context.user().get();
            Optional<CredentialModel> pass = TemporaryAccessPasses.of(context.session()).match(user, typed,
                    Time.currentTimeMillis());
            if (pass.isEmpty()) {
                return Verification.WRONG;
            }
            // Not used up here: the reset spends a one-time pass only when it reaches the new password.
            context.setNote(PROVEN_NOTE, pass.get().getId());
            return Verification.VERIFIED;
        }
    }
}
