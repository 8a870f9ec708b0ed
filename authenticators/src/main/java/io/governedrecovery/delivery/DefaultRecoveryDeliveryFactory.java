package io.governedrecovery.delivery;

import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.delivery.sms.SmsSender;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

/**
 * Owns the delivery workers: a small scheduled pool with a bounded number of messages in flight. A failed send is
 * retried with back-off ({@link DeliveryRetries}: a code until it expires, a notice for {@code retry-minutes}), then
 * counted, logged once with its cause and reported as an error event.
 */
public final class DefaultRecoveryDeliveryFactory implements RecoveryDeliveryFactory {

    public static final String PROVIDER_ID = "default";

    private static final Logger LOG = Logger.getLogger(DefaultRecoveryDeliveryFactory.class);
    /**
     * The first attempt starts this long after the commit, so composing and sending a message does not compete for the
     * CPU with writing the answer that queued it; otherwise a request that queues a message (an existing account)
     * answers measurably slower than one that does not (a missing account).
     */
    private static final long FIRST_ATTEMPT_DELAY_MILLIS = 50;

    /** The server options, each declared once (console help, parser, README check). */
    public static final Setting QUEUE_CAPACITY = Setting.number("queue-capacity", "Queue capacity", 1000, 1,
            1_000_000, "Messages (codes, notices) that may wait to be sent, retries included; beyond it new ones are "
                    + "dropped, counted and logged.");
    public static final Setting THREADS = Setting.number("threads", "Sender threads", 2, 1, 32,
            "Worker threads that compose and send messages.");
    public static final Setting RETRY_MINUTES = Setting.number("retry-minutes", "Retry notices for (minutes)", 60, 0,
            1440, "How long a notice that cannot be sent (mail server or SMS gateway away) is tried again, at most a "
                    + "minute apart. A code is tried again every 15 s at most until it expires.");
    public static final List<Setting> SERVER_OPTIONS = List.of(QUEUE_CAPACITY, THREADS, RETRY_MINUTES);

    private int capacity;
    private int threads;
    private DeliveryRetries retries;
    private KeycloakSessionFactory sessionFactory;
    private ScheduledThreadPoolExecutor workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
        int retryMinutes;
        try {
            capacity = QUEUE_CAPACITY.number(config::get);
            threads = THREADS.number(config::get);
            retryMinutes = RETRY_MINUTES.number(config::get);
        } catch (InvalidSetting invalid) {
            throw new IllegalArgumentException("Governed Recovery delivery: " + invalid.getMessage(), invalid);
        }
        retries = new DeliveryRetries(java.time.Duration.ofMinutes(retryMinutes));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        AtomicInteger count = new AtomicInteger();
        workers = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, "governed-recovery-delivery-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        workers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public RecoveryDelivery create(KeycloakSession session) {
        return new DefaultRecoveryDelivery(session, this);
    }

    void submit(OutboundMessage message) {
        if (inFlight.incrementAndGet() > capacity) {
            inFlight.decrementAndGet();
            dropped.increment();
            LOG.warnf("Governed Recovery delivery is full (%d messages in flight): a %s message was not sent",
                    capacity, message.purpose());
            return;
        }
        long firstTryAt = Clocks.millis() + FIRST_ATTEMPT_DELAY_MILLIS;
        workers.schedule(() -> attempt(message, 0, firstTryAt), FIRST_ATTEMPT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void attempt(OutboundMessage message, int previousAttempts, long firstTryAt) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessionFactory, session -> deliver(session, message));
            sent.increment();
            inFlight.decrementAndGet();
            report(message, null);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof DeliveryFailure && e.getCause() != null ? e.getCause() : e;
            long now = Clocks.millis();
            long delay = retries.nextDelayMillis(previousAttempts + 1, firstTryAt, now,
                    message.useBy() == null ? null : message.useBy().toEpochMilli());
            if (delay >= 0 && !workers.isShutdown()) {
                if (previousAttempts == 0) {
                    LOG.debugf("Governed Recovery could not send a %s message; trying again %s: %s", message.purpose(),
                            message.useBy() != null ? "until its code expires" : "for a while",
                            withoutRecipients(cause.toString()));
                }
                try {
                    workers.schedule(() -> attempt(message, previousAttempts + 1, firstTryAt), delay,
                            TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the node stops: given up below
                }
            }
            failed.increment();
            inFlight.decrementAndGet();
            // The mail server's words may quote the recipient: addresses and numbers are masked in the log.
            LOG.warnf("Governed Recovery could not send a %s message after %d attempts over %d s: %s",
                    message.purpose(), previousAttempts + 1, Math.max(0, (now - firstTryAt) / 1000),
                    withoutRecipients(cause.toString()));
            report(message, cause);
        }
    }

    private static final java.util.regex.Pattern RECIPIENT = java.util.regex.Pattern.compile(
            "[^\\s<>\"'(),;:\\[\\]]+@[^\\s<>\"'(),;:\\[\\]]+|\\+?\\d[\\d ()-]{6,}\\d");

    /** {@code text} with every email address and phone number in it replaced by "(recipient)". */
    static String withoutRecipients(String text) {
        return text == null ? null : RECIPIENT.matcher(text).replaceAll("(recipient)");
    }

    private static void deliver(KeycloakSession session, OutboundMessage message) {
        RealmModel realm = session.realms().getRealm(message.realmId());
        if (realm == null) {
            return; // realm deleted meanwhile: nothing to send to
        }
        session.getContext().setRealm(realm);
        UserModel user = message.userId() == null ? null : session.users().getUserById(realm, message.userId());
        try {
            if (message instanceof OutboundMessage.Email email) {
                MailComposer.Mail mail = MailComposer.compose(session, realm, user, email);
                session.getProvider(EmailSenderProvider.class)
                        .send(realm.getSmtpConfig(), email.address(), mail.subject(), mail.text(), mail.html());
            } else if (message instanceof OutboundMessage.Sms sms) {
                String text = MailComposer.text(session, realm, sms);
                SmsSender sender = session.getProvider(SmsSender.class);
                if (sender == null) {
                    throw new DeliveryFailure(new IllegalStateException("no SMS sender is configured"));
                }
                sender.send(realm, sms.number(), text);
            }
        } catch (EmailException | java.io.IOException | org.keycloak.theme.FreeMarkerException e) {
            throw new DeliveryFailure(e);
        }
    }

    private void report(OutboundMessage message, Throwable failure) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessionFactory, session -> {
                RealmModel realm = session.realms().getRealm(message.realmId());
                if (realm == null) {
                    return;
                }
                EventBuilder event = new EventBuilder(realm, session).event(EventType.SEND_RESET_PASSWORD)
                        .detail(RecoveryEvents.STEP, "delivery")
                        .detail(RecoveryEvents.PURPOSE, message.purpose())
                        .detail(RecoveryEvents.CHANNEL, message instanceof OutboundMessage.Email ? "MAILBOX" : "PHONE");
                if (message.userId() != null) {
                    event.user(message.userId());
                }
                if (message.methodId() != null) {
                    event.detail(RecoveryEvents.METHOD, message.methodId());
                }
                if (failure == null) {
                    event.success();
                } else {
                    event.detail(RecoveryEvents.REASON, failure.getClass().getSimpleName())
                            .error(RecoveryEvents.ERROR_DELIVERY_FAILED);
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("Governed Recovery could not record a delivery event: %s", e);
        }
    }

    public long sentCount() {
        return sent.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    public long droppedCount() {
        return dropped.sum();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.properties(SERVER_OPTIONS);
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.shutdownNow();
            }
            int left = inFlight.get();
            if (left > 0) {
                LOG.warnf("Governed Recovery stops with %d message(s) not sent (codes or notices waiting to be tried "
                        + "again for a mail server or SMS gateway that did not answer)", left);
            }
        }
    }

    static final class DeliveryFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliveryFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
