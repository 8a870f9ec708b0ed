package io.governedrecovery.events.sink.notice;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.privileged.BreakGlassRecords;
import io.governedrecovery.privileged.GroupMembers;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.reset.RecoveryEvents;

/**
 * Tells a realm's administrators (the privileged-account condition's notify group) what they must know, reading the
 * committed events from the outbox like any sink, so a notice is never sent for something that rolled back and none
 * is lost to a restart:
 * <ul>
 *   <li>a privileged account's password was reset;</li>
 *   <li>a break-glass account signed in (a real use: it must also set a new password at its next sign-in), or signed
 *       in during a recorded test;</li>
 *   <li>someone tried to reset a break-glass account (at most one notice per account per 15 minutes).</li>
 * </ul>
 * Records the break-glass account's last sign-in and last real use on the account.
 */
public final class NoticeSink implements EventSink {

    public static final String NAME = "notices";

    private static final Logger LOG = Logger.getLogger(NoticeSink.class);
    private static final int MAX_RECIPIENTS = 50;

    private final KeycloakSessionFactory sessions;
    private final RecordCodec codec;
    /** Events already handled (an overlap after a restart comes again) and throttled reset-attempt notices. */
    private final Cache<String, Boolean> handled = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterWrite(Duration.ofHours(2)).build();
    private final Cache<String, Boolean> throttled = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(15)).build();
    private final Cache<String, Boolean> warned = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(Duration.ofHours(1)).build();

    public NoticeSink(KeycloakSessionFactory sessions, RecordCodec codec) {
        this.sessions = sessions;
        this.codec = codec;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The notice an event calls for, if any. */
    static Optional<String> kind(RecoveryEvent e) {
        Map<String, String> d = e.details();
        String tier = d.get(EventDetails.TIER);
        return switch (e.type()) {
            case "LOGIN" -> EventDetails.TIER_BREAK_GLASS.equals(tier)
                    ? Optional.of("true".equals(d.get(EventDetails.BREAK_GLASS_TEST)) ? "break-glass-test"
                            : "break-glass-sign-in")
                    : Optional.empty();
            case "RESET_PASSWORD_ERROR" -> RecoveryEvents.ERROR_BREAK_GLASS.equals(e.error())
                    ? Optional.of("break-glass-reset-attempt") : Optional.empty();
            case "RESET_PASSWORD" -> "finish".equals(d.get(EventDetails.STEP))
                    && "reset".equals(d.get(EventDetails.OUTCOME)) && EventDetails.TIER_PRIVILEGED.equals(tier)
                    ? Optional.of("privileged-reset") : Optional.empty();
            default -> Optional.empty();
        };
    }

    @Override
    public void deliver(List<OutboxRecord> batch) {
        Map<RecoveryEvent, String> todo = new LinkedHashMap<>();
        for (OutboxRecord record : batch) {
            if (record.kind() != OutboxRecord.Kind.USER || !List.of("LOGIN", "RESET_PASSWORD", "RESET_PASSWORD_ERROR")
                    .contains(record.type()) || handled.getIfPresent(record.id()) != null) {
                continue;
            }
            RecoveryEvent e = codec.event(record);
            kind(e).ifPresent(kind -> todo.put(e, kind));
        }
        if (todo.isEmpty()) {
            return;
        }
        KeycloakModelUtils.runJobInTransaction(sessions, session -> todo.forEach((e, kind) -> handle(session, e, kind)));
        todo.keySet().forEach(e -> handled.put(e.id(), Boolean.TRUE));
    }

    private void handle(KeycloakSession session, RecoveryEvent e, String kind) {
        RealmModel realm = session.realms().getRealm(e.realmId());
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        UserModel account = e.userId() == null ? null : session.users().getUserById(realm, e.userId());
        if (account != null && e.type().equals("LOGIN")) {
            account.setSingleAttribute(BreakGlassRecords.LAST_SIGN_IN_AT, Long.toString(e.time()));
            if (kind.equals("break-glass-sign-in")) {
                // A real use: the credentials may have been seen by others; they must be rotated.
                account.setSingleAttribute(BreakGlassRecords.LAST_USE_AT, Long.toString(e.time()));
                account.addRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
            }
        }
        if (kind.equals("break-glass-reset-attempt")
                && throttled.asMap().putIfAbsent(e.realmId() + "/" + e.userId(), Boolean.TRUE) != null) {
            return;
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

    private static List<UserModel> recipients(KeycloakSession session, RealmModel realm, TierDefinition definition,
                                              String subjectId) {
        GroupModel group = definition.notifyGroup()
                .map(path -> KeycloakModelUtils.findGroupByPath(session, realm, path)).orElse(null);
        return group == null ? List.of() : GroupMembers.of(session, realm, group, MAX_RECIPIENTS, u -> u.isEnabled()
                && !u.getId().equals(subjectId) && u.getEmail() != null && !u.getEmail().isBlank());
    }

    /** The recipient's language where the realm supports it, else the realm's default (no request here). */
    private static Locale locale(RealmModel realm, UserModel user) {
        String chosen = user.getFirstAttribute(UserModel.LOCALE);
        if (realm.isInternationalizationEnabled() && chosen != null
                && realm.getSupportedLocalesStream().anyMatch(chosen::equals)) {
            return Locale.forLanguageTag(chosen);
        }
        String fallback = realm.getDefaultLocale();
        return fallback == null ? Locale.ENGLISH : Locale.forLanguageTag(fallback);
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
