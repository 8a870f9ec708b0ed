package io.governedrecovery.method.sms;

import java.util.List;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.UserProfileProvider;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.sms.SmsSender;
import io.governedrecovery.delivery.sms.SmsSenderFactory;
import io.governedrecovery.method.AbstractRecoveryMethodFactory;
import io.governedrecovery.method.MethodContext;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.SentCodeMethod;

/**
 * "sms-code": a one-time code texted to the account's confirmed recovery phone number. Weak: a SIM swap takes it.
 * Sent through the configured SMS sender ({@code governed-recovery-sms-sender}).
 */
public final class SmsCodeMethodFactory extends AbstractRecoveryMethodFactory {

    public static final String ID = "sms-code";
    /** When the phone number was last changed (epoch millis); the cooldown runs from it. */
    public static final String CHANGED_AT_ATTRIBUTE = "governed-recovery.phone-changed-at";

    public SmsCodeMethodFactory() {
        super(new SmsCodeMethod(), 50);
    }

    static final class SmsCodeMethod extends SentCodeMethod {

        SmsCodeMethod() {
            super(ID, Strength.WEAK, ChannelKind.PHONE);
        }

        @Override
        public String unavailable(KeycloakSession session, RealmModel realm, MethodSettings settings) {
            var factory = session.getKeycloakSessionFactory().getProviderFactory(SmsSender.class);
            if (factory == null) {
                return "no SMS sender is configured (--spi-governed-recovery-sms-sender--provider)";
            }
            if (factory instanceof SmsSenderFactory sender && sender.notReady() != null) {
                return sender.notReady();
            }
            RealmModel before = session.getContext().getRealm();
            try {
                session.getContext().setRealm(realm);
                UserProfileProvider profiles = session.getProvider(UserProfileProvider.class);
                if (profiles != null && profiles.getConfiguration().getAttribute(settings.phoneAttribute()) == null) {
                    return "the user profile has no attribute '" + settings.phoneAttribute() + "' for the recovery "
                            + "phone number (Realm settings, User profile)";
                }
            } finally {
                session.getContext().setRealm(before);
            }
            return null;
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            String number = user.getFirstAttribute(settings.phoneAttribute());
            boolean confirmed = "true".equalsIgnoreCase(user.getFirstAttribute(settings.phoneVerifiedAttribute()));
            if (number == null || number.isBlank() || !confirmed) {
                return Optional.empty();
            }
            return Optional.of(registered(Channel.phone(number), contactChangedAt(user, CHANGED_AT_ATTRIBUTE)));
        }

        @Override
        protected Optional<String> destination(MethodContext context) {
            return context.user().map(u -> u.getFirstAttribute(context.settings().phoneAttribute()));
        }

        @Override
        protected OutboundMessage message(MethodContext context, String destination, String code) {
            String realmName = context.realm().getDisplayName() != null ? context.realm().getDisplayName()
                    : context.realm().getName();
            // A lambda, not UserModel::getId: built on 26.7 that reference names Model (new in 26.6), absent on 26.4/26.5.
            return new OutboundMessage.Sms(context.realm().getId(), context.user().map(user -> user.getId()).orElse(null),
                    destination, "governedRecoverySmsCode", List.of(realmName, code, lifetimeMinutes(context)),
                    context.locale(), "code", ID);
        }

        @Override
        protected String instructionKey() {
            return "governedRecoverySmsCodeInstruction";
        }

        @Override
        protected String mask(String destination) {
            return maskPhone(destination);
        }
    }
}
