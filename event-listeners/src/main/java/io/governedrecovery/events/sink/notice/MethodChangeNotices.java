package io.governedrecovery.events.sink.notice;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.reset.OwnerNotices;
import io.governedrecovery.reset.ResetConsequences;

/**
 * Tells an account's owner, on every channel the account has (its email address and its confirmed recovery phone),
 * that a recovery-relevant sign-in method was added or removed, whoever did it and by whichever path: an authenticator
 * app, a passkey or security key, or recovery codes set up or removed by the owner (account console, required action,
 * application-initiated action), a method removed or a password set by an administrator (admin console or API), a
 * temporary access pass issued by the helpdesk. Each notice says what changed, when and from which address.
 *
 * <p>Changes made by a governed reset itself (methods removed as lost) are not repeated here: the reset's own notice
 * lists them.
 */
final class MethodChangeNotices {

    private static final Logger LOG = Logger.getLogger(MethodChangeNotices.class);

    static final String ADDED = "method-added";
    static final String REMOVED = "method-removed";
    static final String ADMIN_REMOVED = "method-removed-by-admin";
    static final String ADMIN_PASSWORD = "password-set-by-admin";
    static final String PASS_ISSUED = "pass-issued";
    static final Set<String> KINDS = Set.of(ADDED, REMOVED, ADMIN_REMOVED, ADMIN_PASSWORD, PASS_ISSUED);

    /** Keycloak's credential types that serve recovery or a second factor. */
    private static final Set<String> METHOD_TYPES = Set.of("otp", "webauthn", "webauthn-passwordless",
            "recovery-authn-codes");
    private static final Pattern ADMIN_PATH = Pattern.compile(
            "users/([^/]+)/(credentials/[^/]+|reset-password|governed-recovery/temporary-access-passes)");

    private MethodChangeNotices() {
    }

    /** The notice an event calls for, if it is a method change of an account. */
    static Optional<String> kind(RecoveryEvent e) {
        Map<String, String> d = e.details();
        if (e.error() != null) {
            return Optional.empty();
        }
        if (e.kind() == RecoveryEvent.Kind.USER) {
            String type = d.get(EventDetails.CREDENTIAL_TYPE);
            if (e.userId() == null || type == null || !METHOD_TYPES.contains(type.toLowerCase(Locale.ROOT))
                    || d.containsKey(EventDetails.STEP)) {
                return Optional.empty(); // not a method, or the governed reset's own removal (its notice says so)
            }
            return switch (e.type()) {
                case "UPDATE_CREDENTIAL" -> Optional.of(ADDED);
                case "REMOVE_CREDENTIAL" -> Optional.of(REMOVED);
                default -> Optional.empty(); // UPDATE_TOTP and REMOVE_TOTP repeat those two
            };
        }
        if (!e.type().endsWith("_USER") || !(e.type().startsWith("ACTION") || e.type().startsWith("DELETE"))) {
            return Optional.empty();
        }
        Matcher m = ADMIN_PATH.matcher(d.getOrDefault("resource_path", ""));
        if (!m.matches()) {
            return Optional.empty();
        }
        String what = m.group(2);
        if (what.startsWith("credentials/")) {
            return Optional.of(ADMIN_REMOVED);
        }
        if (what.equals("reset-password")) {
            return e.type().startsWith("ACTION") ? Optional.of(ADMIN_PASSWORD) : Optional.empty();
        }
        return e.type().startsWith("ACTION") ? Optional.of(PASS_ISSUED) : Optional.empty();
    }

    /** The account an event is about: the user of a user event, the user in an admin event's resource path. */
    static String subject(RecoveryEvent e) {
        if (e.kind() == RecoveryEvent.Kind.USER) {
            return e.userId();
        }
        Matcher m = ADMIN_PATH.matcher(e.details().getOrDefault("resource_path", ""));
        return m.matches() ? m.group(1) : null;
    }

    /** Queues the notices (sent once the acknowledging transaction commits). */
    static void send(KeycloakSession session, RealmModel realm, RecoveryEvent e, String kind) {
        String userId = subject(e);
        UserModel owner = userId == null ? null : session.users().getUserById(realm, userId);
        if (owner == null) {
            return; // removed since
        }
        String method = "governedRecoveryMethodName-" + method(e);
        String when = MailTimes.format(e.time());
        String from = e.ipAddress() == null ? "-" : e.ipAddress();
        int sent = OwnerNotices.toEveryChannel(session, realm, owner, "governed-recovery-method-changed.ftl",
                "governedRecoveryMethodChangedSubject-" + kind,
                Map.of("kind", kind, "method", method, "when", when, "ip", from),
                "governedRecoveryMethodChangedSms-" + kind,
                List.of(OwnerNotices.realmName(realm), new OutboundMessage.MessageKey(method), when, from),
                ResetConsequences.notMeLink(session, realm, owner, kind, e.time()), "method-notice");
        LOG.debugf("Governed Recovery: %s notice for an account of realm '%s' queued to %d channels", kind,
                realm.getName(), sent);
    }

    /** Which method the notice names: the credential type where the event has it. */
    private static String method(RecoveryEvent e) {
        String type = e.details().get(EventDetails.CREDENTIAL_TYPE);
        if (type != null && METHOD_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            return type.toLowerCase(Locale.ROOT);
        }
        String path = e.details().getOrDefault("resource_path", "");
        if (path.endsWith("reset-password")) {
            return "password";
        }
        if (path.endsWith("temporary-access-passes")) {
            return "pass";
        }
        return "unknown"; // an administrator's removal: Keycloak's event does not say which credential it was
    }
}
