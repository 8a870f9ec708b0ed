package io.governedrecovery.governance;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.Validator;
import org.keycloak.validate.ValidatorConfig;
import org.keycloak.validate.ValidatorFactory;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.method.email.EmailCodeMethodFactory;
import io.governedrecovery.method.sms.SmsCodeMethodFactory;

/**
 * User-profile validator "governed-recovery-contact", put on the email and recovery-phone attributes. It never
 * rejects a value; it notices a change in any update path (admin API, account console, profile forms) and, once that
 * update committed, records when the contact changed (the reset cooldown runs from it), notifies the old and the new
 * address, and emits an {@code UPDATE_PROFILE} event marked {@code gr_method_change} for the anomaly scorer.
 */
public final class ContactChangeValidatorFactory implements ValidatorFactory {

    public static final String ID = "governed-recovery-contact";
    private static final Logger LOG = Logger.getLogger(ContactChangeValidatorFactory.class);
    private static final String PENDING = "governed-recovery.contact-changes";

    private KeycloakSessionFactory sessions;
    private ThreadPoolExecutor worker;

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
                return ContactChangeValidatorFactory.this.validate(input, inputHint, context, config);
            }

            @Override
            public void close() {
                // stateless
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        // No settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessions = factory;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread thread = new Thread(r, "governed-recovery-contact-changes");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    private ValidationContext validate(Object input, String inputHint, ValidationContext context,
                                       ValidatorConfig config) {
        UserProfileAttributeValidationContext upContext = UserProfileAttributeValidationContext.from(context);
        if (upContext == null) {
            return context;
        }
        AttributeContext attribute = upContext.getAttributeContext();
        UserModel user = attribute.getUser();
        if (user == null || inputHint == null) {
            return context; // a new account: nothing changes
        }
        String after = normalize(first(input));
        String before = normalize("email".equals(inputHint) ? user.getEmail() : user.getFirstAttribute(inputHint));
        if (!after.equals(before)) {
            pending(context.getSession()).put(inputHint, new ContactChange(context.getSession().getContext().getRealm()
                    .getId(), user.getId(), inputHint, before, via(attribute)));
        }
        return context;
    }

    @SuppressWarnings("unchecked")
    private Map<String, ContactChange> pending(KeycloakSession session) {
        Object existing = session.getAttribute(PENDING);
        if (existing instanceof Map<?, ?> map) {
            return (Map<String, ContactChange>) map;
        }
        Map<String, ContactChange> changes = new HashMap<>();
        session.setAttribute(PENDING, changes);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                changes.values().forEach(change -> worker.execute(() -> settle(change)));
                changes.clear();
            }

            @Override
            protected void rollbackImpl() {
                changes.clear();
            }
        });
        return changes;
    }

    /** After commit, on the worker: if the new value really is stored now, stamp, notify and report the change. */
    private void settle(ContactChange change) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, session -> {
                RealmModel realm = session.realms().getRealm(change.realmId());
                if (realm == null) {
                    return;
                }
                session.getContext().setRealm(realm);
                UserModel user = session.users().getUserById(realm, change.userId());
                if (user == null) {
                    return;
                }
                boolean email = "email".equals(change.attribute());
                String now = normalize(email ? user.getEmail() : user.getFirstAttribute(change.attribute()));
                if (now.equals(change.before())) {
                    return; // the update did not store a new value after all
                }
                user.setSingleAttribute(email ? EmailCodeMethodFactory.CHANGED_AT_ATTRIBUTE
                        : SmsCodeMethodFactory.CHANGED_AT_ATTRIBUTE, Long.toString(Instant.now().toEpochMilli()));
                notifyBothEnds(session, realm, user, email, change.before(), now);
                new EventBuilder(realm, session).event(EventType.UPDATE_PROFILE).user(user)
                        .detail(EventDetails.STEP, "method_change")
                        .detail(EventDetails.METHOD_CHANGE, "true")
                        .detail(EventDetails.METHOD, email ? EmailCodeMethodFactory.ID : SmsCodeMethodFactory.ID)
                        .detail(EventDetails.REASON, change.via())
                        .success();
            });
        } catch (RuntimeException e) {
            LOG.warnf("Governed Recovery could not record a recovery-contact change: %s", e.toString());
        }
    }

    private static void notifyBothEnds(KeycloakSession session, RealmModel realm, UserModel user, boolean email,
                                       String before, String after) {
        RecoveryDelivery delivery = session.getProvider(RecoveryDelivery.class);
        Locale locale = session.getContext().resolveLocale(user);
        String kind = email ? "email" : "phone";
        for (String to : List.of(before, after)) {
            if (to.isEmpty()) {
                continue;
            }
            if (email) {
                delivery.afterCommit(new OutboundMessage.Email(realm.getId(), user.getId(), to,
                        "governed-recovery-contact-changed.ftl", "governedRecoveryContactChangedSubject", List.of(),
                        Map.of("kind", kind, "old", mask(before, true), "new", mask(after, true)), locale,
                        "contact-change-notice", EmailCodeMethodFactory.ID));
            } else {
                String realmName = realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName();
                delivery.afterCommit(new OutboundMessage.Sms(realm.getId(), user.getId(), to,
                        "governedRecoveryPhoneChangedSms", List.of(realmName, mask(after, false)), locale,
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
        if (worker != null) {
            worker.shutdown();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
