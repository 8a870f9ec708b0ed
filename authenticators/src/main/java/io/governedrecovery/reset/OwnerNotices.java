package io.governedrecovery.reset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;

/**
 * A notice to an account's owner on every channel the account has: a mail to its email address and a text to its
 * confirmed recovery phone, each with the "This was not me" link when there is one. Queued to be sent once the
 * acknowledging transaction commits.
 */
public final class OwnerNotices {

    private OwnerNotices() {
    }

    /**
     * @param attributes the mail template's attributes (the link is added as {@code notMe})
     * @param smsArgs    the text's arguments; the link's sentence is added as the last one
     * @return the channels the notice was queued to
     */
    public static int toEveryChannel(KeycloakSession session, RealmModel realm, UserModel owner, String template,
                              String subjectKey, Map<String, Object> attributes, String smsKey, List<Object> smsArgs,
                              Optional<String> notMe, String purpose) {
        RecoveryDelivery delivery = session.getProvider(RecoveryDelivery.class);
        Locale locale = locale(realm, owner);
        int sent = 0;
        if (owner.getEmail() != null && !owner.getEmail().isBlank()) {
            Map<String, Object> mail = new HashMap<>(attributes);
            notMe.ifPresent(link -> mail.put("notMe", link));
            delivery.afterCommit(new OutboundMessage.Email(realm.getId(), owner.getId(), owner.getEmail(), template,
                    subjectKey, List.of(), mail, locale, purpose, null));
            sent++;
        }
        String phone = ResetConsequences.verifiedPhone(session, realm, owner);
        if (phone != null) {
            List<Object> args = new ArrayList<>(smsArgs);
            args.add(OutboundMessage.MessageKey.ifPresent("governedRecoveryNotMeSms", notMe));
            delivery.afterCommit(new OutboundMessage.Sms(realm.getId(), owner.getId(), phone, smsKey, args, locale,
                    purpose, null));
            sent++;
        }
        return sent;
    }

    /** The owner's language where the realm supports it, else the realm's default (no request here). */
    public static Locale locale(RealmModel realm, UserModel user) {
        String chosen = user.getFirstAttribute(UserModel.LOCALE);
        if (realm.isInternationalizationEnabled() && chosen != null
                && realm.getSupportedLocalesStream().anyMatch(chosen::equals)) {
            return Locale.forLanguageTag(chosen);
        }
        String fallback = realm.getDefaultLocale();
        return fallback == null ? Locale.ENGLISH : Locale.forLanguageTag(fallback);
    }

    /** The realm's name as owners know it. */
    public static String realmName(RealmModel realm) {
        return realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName();
    }
}
