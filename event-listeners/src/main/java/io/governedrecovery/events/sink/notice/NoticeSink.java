package io.governedrecovery.events.sink.notice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.ReadOnlyException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.sink.TransactionalSink;
import io.governedrecovery.events.store.NoticeLedger;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.privileged.BreakGlassRecords;
import io.governedrecovery.privileged.GroupMembers;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.reset.WaitingPeriod;

/**
 * Tells a realm's administrators (the privileged-account condition's notify group) what they must know, reading the
 * committed events from the outbox like any sink, so a notice is never sent for something that rolled back and none
 * is lost to a restart. It works inside the transaction that acknowledges the records (notices are queued to be sent
 * after that commit), and keeps what it has announced in the database, so no node change or restart repeats a
 * notice:
 * <ul>
 *   <li>a privileged account's password was reset;</li>
 *   <li>a break-glass account signed in (a real use: it must also set a new password at its next sign-in), or signed
 *       in during a recorded test;</li>
 *   <li>someone tried to reset a break-glass account (at most one notice per account per 15 minutes).</li>
 * </ul>
 * and tells account owners of every change of their sign-in methods ({@link MethodChangeNotices}). A standard
 * account's sign-in (kept by the pipeline only in realms that announce new networks or offer waiting periods) ends the
 * account's waiting recovery, with an event.
 * Records the break-glass account's last sign-in and last real use on the account.
 */
public final class NoticeSink implements TransactionalSink {

    public static final String NAME = "notices";

    private static final Logger LOG = Logger.getLogger(NoticeSink.class);
    private static final int MAX_RECIPIENTS = 50;
    private static final long THROTTLE_MILLIS = Duration.ofMinutes(15).toMillis();
    /** A standard account's sign-in (kept only in realms that need it): it ends the account's waiting recovery. */
    static final String SIGN_IN = "sign-in";
    private static final Set<String> TYPES = Set.of("LOGIN", "RESET_PASSWORD", "RESET_PASSWORD_ERROR",
            "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL", "EXECUTE_ACTION_TOKEN");

    private final RecordCodec codec;
    private final LongSupplier clock;
    /** Realms already warned about (log lines only; nothing here decides whether a notice is sent). */
    private final Cache<String, Boolean> warned = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(Duration.ofHours(1)).build();

    public NoticeSink(RecordCodec codec, LongSupplier clock) {
        this.codec = codec;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Only the records that may call for a notice get a delivery row for this sink. */
    @Override
    public boolean wants(OutboxRecord record) {
        if (record.kind() == OutboxRecord.Kind.FINDING) {
            return NewNetworkNotices.wants(record);
        }
        return (record.kind() == OutboxRecord.Kind.USER && TYPES.contains(record.type())
                || record.kind() == OutboxRecord.Kind.ADMIN) && kind(codec.event(record)).isPresent();
    }

    @Override
    public byte[] encode(OutboxRecord record) {
        // an unreadable record is parked, not retried forever
        if (record.kind() == OutboxRecord.Kind.FINDING) {
            codec.finding(record);
        } else {
            codec.event(record);
        }
        return record.payload().getBytes(StandardCharsets.UTF_8);
    }

    /** The notice an event calls for, if any. */
    static Optional<String> kind(RecoveryEvent e) {
        Optional<String> methodChange = MethodChangeNotices.kind(e);
        if (methodChange.isPresent()) {
            return methodChange;
        }
        if (e.kind() != RecoveryEvent.Kind.USER) {
            return Optional.empty();
        }
        Map<String, String> d = e.details();
        String tier = d.get(EventDetails.TIER);
        return switch (e.type()) {
            case "LOGIN" -> EventDetails.TIER_BREAK_GLASS.equals(tier)
                    ? Optional.of("true".equals(d.get(EventDetails.BREAK_GLASS_TEST)) ? "break-glass-test"
                            : "break-glass-sign-in")
                    : EventDetails.TIER_STANDARD.equals(tier) ? Optional.of(SIGN_IN) : Optional.empty();
            case "RESET_PASSWORD_ERROR" -> RecoveryEvents.ERROR_BREAK_GLASS.equals(e.error())
                    ? Optional.of("break-glass-reset-attempt") : Optional.empty();
            case "EXECUTE_ACTION_TOKEN" -> EventDetails.STEP_NOT_ME.equals(d.get(EventDetails.STEP))
                    && "frozen".equals(d.get(EventDetails.OUTCOME)) ? Optional.of("owner-report") : Optional.empty();
            case "RESET_PASSWORD" -> "finish".equals(d.get(EventDetails.STEP))
                    && "reset".equals(d.get(EventDetails.OUTCOME)) && EventDetails.TIER_PRIVILEGED.equals(tier)
                    ? Optional.of("privileged-reset") : Optional.empty();
            default -> Optional.empty();
        };
    }

    @Override
    public void deliver(KeycloakSession session, List<Encoded> batch) {
        for (Encoded encoded : batch) {
            if (encoded.record().kind() == OutboxRecord.Kind.FINDING) {
                NewNetworkNotices.send(session, codec.finding(encoded.record()), clock.getAsLong());
                continue;
            }
            RecoveryEvent e = codec.event(encoded.record());
            kind(e).ifPresent(kind -> handle(session, e, kind));
        }
    }

    private void handle(KeycloakSession session, RecoveryEvent e, String kind) {
        RealmModel realm = session.realms().getRealm(e.realmId());
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        if (kind.equals(SIGN_IN)) {
            UserModel owner = e.userId() == null ? null : session.users().getUserById(realm, e.userId());
            // Only waits that started before this sign-in: a late record must not end a newer wait.
            if (owner != null && WaitingPeriod.endCurrent(session, realm, owner, WaitingPeriod.SIGN_IN, e.time(),
                    new EventBuilder(realm, session))) {
                LOG.infof("Governed Recovery: a sign-in ended a waiting recovery in realm '%s'", realm.getName());
            }
            return;
        }
        if (MethodChangeNotices.KINDS.contains(kind)) {
            MethodChangeNotices.send(session, realm, e, kind);
            return;
        }
        UserModel account = e.userId() == null ? null : session.users().getUserById(realm, e.userId());
        if (account != null && e.type().equals("LOGIN")) {
            record(account, kind, e, realm);
        }
        if (kind.equals("break-glass-reset-attempt") && !NoticeLedger.due(session, e.realmId(), kind,
                String.valueOf(e.userId()), clock.getAsLong(), THROTTLE_MILLIS)) {
            return; // announced less than 15 minutes ago (by whichever node)
        }
        TierDefinition definition;
        try {
            definition = TierDefinition.forRealm(realm);
        } catch (IllegalArgumentException broken) {
            LOG.warnf("Governed Recovery cannot notify the administrators of realm '%s': the privileged-account "
                    + "condition is misconfigured (%s)", realm.getName(), broken.getMessage());
            return;
        }
        List<UserModel> recipients = recipients(session, realm, definition, e.userId());
        if (recipients.isEmpty()) {
            if (warned.asMap().putIfAbsent(realm.getId(), Boolean.TRUE) == null) {
                LOG.warnf("Governed Recovery has a %s notice for realm '%s' and nobody to send it to: set the "
                        + "privileged-account condition's notify group to a group of administrators with email "
                        + "addresses", kind, realm.getName());
            }
            return;
        }
        RecoveryDelivery delivery = session.getProvider(RecoveryDelivery.class);
        String username = account != null ? account.getUsername()
                : e.details().getOrDefault(EventDetails.USERNAME, "-");
        for (UserModel recipient : recipients) {
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("kind", kind);
            attributes.put("account", username);
            attributes.put("when", MailTimes.format(e.time()));
            attributes.put("ip", e.ipAddress() == null ? "-" : e.ipAddress());
            delivery.afterCommit(new OutboundMessage.Email(realm.getId(), recipient.getId(), recipient.getEmail(),
                    "governed-recovery-admin-notice.ftl", "governedRecoveryAdminNoticeSubject-" + kind, List.of(),
                    attributes, locale(realm, recipient), "admin-notice", null));
        }
        LOG.infof("Governed Recovery: %s notice for realm '%s' queued to %d administrators", kind, realm.getName(),
                recipients.size());
    }

    /** Records a break-glass sign-in on the account (a read-only directory account keeps only the notice). */
    private static void record(UserModel account, String kind, RecoveryEvent e, RealmModel realm) {
        try {
            account.setSingleAttribute(BreakGlassRecords.LAST_SIGN_IN_AT, Long.toString(e.time()));
            if (kind.equals("break-glass-sign-in")) {
                // A real use: the credentials may have been seen by others; they must be rotated.
                account.setSingleAttribute(BreakGlassRecords.LAST_USE_AT, Long.toString(e.time()));
                account.addRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
            }
        } catch (ReadOnlyException readOnly) {
            LOG.warnf("Governed Recovery cannot record a break-glass sign-in on account %s of realm '%s': its user "
                    + "storage is read-only; the administrators are told all the same", e.userId(), realm.getName());
        }
    }

    private static List<UserModel> recipients(KeycloakSession session, RealmModel realm, TierDefinition definition,
                                              String subjectId) {
        GroupModel group = definition.notifyGroup()
                .map(path -> KeycloakModelUtils.findGroupByPath(session, realm, path)).orElse(null);
        return group == null ? List.of() : GroupMembers.of(session, realm, group, MAX_RECIPIENTS, u -> u.isEnabled()
                && !u.getId().equals(subjectId) && u.getEmail() != null && !u.getEmail().isBlank());
    }

    /** The recipient's language where the realm supports it, else the realm's default (no request here). */
    static Locale locale(RealmModel realm, UserModel user) {
        return io.governedrecovery.reset.OwnerNotices.locale(realm, user);
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
