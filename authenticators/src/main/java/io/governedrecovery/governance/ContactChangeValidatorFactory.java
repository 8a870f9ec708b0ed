package io.governedrecovery.governance;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.keycloak.Config;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.Validator;
import org.keycloak.validate.ValidatorConfig;
import org.keycloak.validate.ValidatorFactory;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.method.email.EmailCodeMethodFactory;
import io.governedrecovery.method.sms.SmsCodeMethodFactory;
import io.governedrecovery.reset.ResetConsequences;

/**
 * User-profile validator "governed-recovery-contact", put on the email and recovery-phone attributes. It never
 * rejects a value; it notices a change in any update path (admin API, account console, profile forms) and, in the
 * same transaction that stores the change, records when the contact changed (the reset cooldown runs from it) and
 * emits an {@code UPDATE_PROFILE} event marked {@code gr_method_change} for the anomaly scorer; the old and the new
 * address are told once that transaction committed. A contact given when the account is created is no change.
 */
public final class ContactChangeValidatorFactory implements ValidatorFactory, ConfiguredProvider {

    public static final String ID = "governed-recovery-contact";
    private static final String PENDING = "governed-recovery.contact-changes";
    static final String FROZEN_MESSAGE = "governedRecoveryContactFrozen";
    /** The user-profile contexts in which users change their own profile (not administrators, not provisioning). */
    private static final java.util.Set<String> SELF_SERVICE = java.util.Set.of("ACCOUNT", "UPDATE_PROFILE",
            "UPDATE_EMAIL", "IDP_REVIEW", "REGISTRATION");

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Validator create(KeycloakSession session) {
        // A separate, stateless provider: Keycloak closes providers at the end of each session, the factory lives on.
        return new Validator() {
            @Override
            public ValidationContext validate(Object input, String inputHint, ValidationContext context,
                                              ValidatorConfig config) {
                return ContactChangeValidatorFactory.validate(input, inputHint, context);
            }

            @Override
            public void close() {
                // stateless
            }
        };
    }

    /** Shown in the admin console's "Add validator" list of the user profile (Realm settings, User profile). */
    @Override
    public String getHelpText() {
        return "Governed Recovery: put on the email and recovery-phone attributes. Rejects only a user's own change "
                + "while the account's recovery is frozen; a change of the value (by any path) starts the reset cooldown for it, tells the old and the new address, and is "
                + "scored as a recovery-method change.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of(); // nothing to set
    }

    @Override
    public void init(Config.Scope config) {
        // No settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Nothing to start: the work happens in the transaction of each change.
    }

    private static ValidationContext validate(Object input, String inputHint, ValidationContext context) {
        UserProfileAttributeValidationContext upContext = UserProfileAttributeValidationContext.from(context);
        if (upContext == null) {
            return context;
        }
        AttributeContext attribute = upContext.getAttributeContext();
        UserModel user = attribute.getUser();
        if (user == null || inputHint == null) {
            return context; // a new account: its contacts are no change
        }
        String after = normalize(first(input));
        String before = normalize(current(user, inputHint));
        if (!after.equals(before) && RecoveryFreeze.isFrozen(user)
                && SELF_SERVICE.contains(attribute.getContext().name())) {
            // Recovery frozen (the owner reported a change as not theirs): only an administrator changes contacts.
            context.addError(new ValidationError(ID, inputHint, FROZEN_MESSAGE));
            return context;
        }
        if (!after.equals(before)) {
            KeycloakSession session = context.getSession();
            Changes changes = changes(session);
            RealmModel realm = session.getContext().getRealm();
            // Built now, while the request runs: the event's listeners and the delivery join the transaction here,
            // so that the change can be recorded and announced as part of its own commit.
            changes.add(new Change(realm, user, inputHint, before, via(attribute),
                    new EventBuilder(realm, session, session.getContext().getConnection())));
            session.getProvider(RecoveryDelivery.class);
        }
        return context;
    }

    private static Changes changes(KeycloakSession session) {
        Object existing = session.getAttribute(PENDING);
        if (existing instanceof Changes changes) {
            return changes;
        }
        Changes changes = new Changes(session);
        session.setAttribute(PENDING, changes);
        session.getTransactionManager().enlistPrepare(changes);
        return changes;
    }

    /** One contact change seen in a profile update of this transaction. */
    private record Change(RealmModel realm, UserModel user, String attribute, String before, String via,
                          EventBuilder event) {
    }

    /**
     * Settles the changes of one transaction just before it commits: for each attribute whose stored value really
     * differs from the one seen before (another validator may have refused the update), stamps the change time,
     * queues the notices (sent after the commit) and emits the event, all in the transaction of the change.
     */
    private static final class Changes extends AbstractKeycloakTransaction {

        private final KeycloakSession session;
        private final Map<String, Change> byAttribute = new LinkedHashMap<>();

        Changes(KeycloakSession session) {
            this.session = session;
        }

        void add(Change change) {
            byAttribute.putIfAbsent(change.user().getId() + "/" + change.attribute(), change);
        }

        @Override
        protected void commitImpl() {
            for (Change change : byAttribute.values()) {
                settle(change);
            }
            byAttribute.clear();
        }

        @Override
        protected void rollbackImpl() {
            byAttribute.clear();
        }

        private void settle(Change change) {
            UserModel user = change.user();
            boolean email = "email".equals(change.attribute());
            String now = normalize(current(user, change.attribute()));
            if (now.equals(change.before())) {
                return; // the update did not store a new value after all
            }
            user.setSingleAttribute(email ? EmailCodeMethodFactory.CHANGED_AT_ATTRIBUTE
                    : SmsCodeMethodFactory.CHANGED_AT_ATTRIBUTE, Long.toString(Time.currentTimeMillis()));
            notifyBothEnds(session, change.realm(), user, email, change.before(), now);
            change.event().event(EventType.UPDATE_PROFILE).user(user)
                    .detail(EventDetails.STEP, "method_change")
                    .detail(EventDetails.METHOD_CHANGE, "true")
                    .detail(EventDetails.METHOD, email ? EmailCodeMethodFactory.ID : SmsCodeMethodFactory.ID)
                    .detail(EventDetails.REASON, change.via())
                    .success();
        }
    }

    private static String current(UserModel user, String attribute) {
        return "email".equals(attribute) ? user.getEmail() : user.getFirstAttribute(attribute);
    }

    private static void notifyBothEnds(KeycloakSession session, RealmModel realm, UserModel user, boolean email,
                                       String before, String after) {
        RecoveryDelivery delivery = session.getProvider(RecoveryDelivery.class);
        Locale locale = session.getContext().resolveLocale(user);
        String kind = email ? "email" : "phone";
        Optional<String> notMeLink = ResetConsequences.notMeLink(session, realm, user, kind + "-changed",
                Time.currentTimeMillis());
        for (String to : List.of(before, after)) {
            if (to.isEmpty()) {
                continue;
            }
            // "This was not me" only to the old address: the new one may be a typo, or someone else's.
            Optional<String> notMe = to.equals(before) ? notMeLink : Optional.empty();
            if (email) {
                Map<String, Object> attributes = new HashMap<>(Map.of("kind", kind, "old", mask(before, true),
                        "new", mask(after, true)));
                notMe.ifPresent(link -> attributes.put("notMe", link));
                delivery.afterCommit(new OutboundMessage.Email(realm.getId(), user.getId(), to,
                        "governed-recovery-contact-changed.ftl", "governedRecoveryContactChangedSubject", List.of(),
                        attributes, locale, "contact-change-notice", EmailCodeMethodFactory.ID));
            } else {
                String realmName = realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName();
                delivery.afterCommit(new OutboundMessage.Sms(realm.getId(), user.getId(), to,
                        "governedRecoveryPhoneChangedSms", List.of(realmName, mask(after, false),
                        OutboundMessage.MessageKey.ifPresent("governedRecoveryNotMeSms", notMe)), locale,
                        "contact-change-notice", SmsCodeMethodFactory.ID));
            }
        }
    }

    private static String mask(String value, boolean email) {
        if (value.isEmpty()) {
            return "-";
        }
        if (email) {
            int at = value.indexOf('@');
            return at <= 1 ? "•••" + value.substring(Math.max(at, 0)) : value.charAt(0) + "•••" + value.substring(at);
        }
        return value.length() <= 4 ? "•••" : "•••" + value.substring(value.length() - 4);
    }

    private static String via(AttributeContext attribute) {
        return switch (attribute.getContext()) {
            case USER_API -> "admin";
            case ACCOUNT -> "account";
            default -> attribute.getContext().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String first(Object input) {
        if (input instanceof List<?> list) {
            return list.isEmpty() || list.get(0) == null ? "" : list.get(0).toString();
        }
        return input == null ? "" : input.toString();
    }

    private static String normalize(String value) {
        return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
