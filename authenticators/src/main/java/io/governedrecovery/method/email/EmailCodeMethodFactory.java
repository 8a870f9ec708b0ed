package io.governedrecovery.method.email;

import java.util.Map;
import java.util.Optional;

import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.method.AbstractRecoveryMethodFactory;
import io.governedrecovery.method.MethodContext;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.SentCodeMethod;

/** "email-code": a one-time code mailed to the account's verified email address. Weak: proves the mailbox only. */
public final class EmailCodeMethodFactory extends AbstractRecoveryMethodFactory {

    public static final String ID = "email-code";
    /** When the email address was last changed (epoch millis); the cooldown runs from it. */
    public static final String CHANGED_AT_ATTRIBUTE = "governed-recovery.email-changed-at";

    public EmailCodeMethodFactory() {
        super(new EmailCodeMethod(), 60);
    }

    static final class EmailCodeMethod extends SentCodeMethod {

        EmailCodeMethod() {
            super(ID, Strength.WEAK, ChannelKind.MAILBOX);
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            if (user.getEmail() == null || user.getEmail().isBlank() || !user.isEmailVerified()) {
                return Optional.empty();
            }
            return Optional.of(registered(Channel.mailbox(user.getEmail()), contactChangedAt(user, CHANGED_AT_ATTRIBUTE)));
        }

        @Override
        protected Optional<String> destination(MethodContext context) {
            return context.user().map(UserModel::getEmail);
        }

        @Override
        protected OutboundMessage message(MethodContext context, String destination, String code) {
            // A lambda, not UserModel::getId: built on 26.7 that reference names Model (new in 26.6), absent on 26.4/26.5.
            return new OutboundMessage.Email(context.realm().getId(), context.user().map(user -> user.getId()).orElse(null),
                    destination, "governed-recovery-code.ftl", "governedRecoveryCodeSubject", java.util.List.of(),
                    Map.of("code", code, "minutes", lifetimeMinutes(context)), context.locale(), "code", ID);
        }

        @Override
        protected String instructionKey() {
            return "governedRecoveryEmailCodeInstruction";
        }

        @Override
        protected String mask(String destination) {
            return maskEmail(destination);
        }
    }
}
