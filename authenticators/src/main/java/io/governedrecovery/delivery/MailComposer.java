package io.governedrecovery.delivery;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.keycloak.email.freemarker.beans.ProfileBean;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.MessageFormatterMethod;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

/**
 * Renders mail and text messages from the realm's email theme in an explicit locale. A worker thread has no HTTP
 * request to take the language from, so the locale the user saw is carried with the message.
 */
final class MailComposer {

    record Mail(String subject, String text, String html) {
    }

    private MailComposer() {
    }

    static Mail compose(KeycloakSession session, RealmModel realm, UserModel user, OutboundMessage.Email message)
            throws IOException, FreeMarkerException {
        Theme theme = session.theme().getTheme(Theme.Type.EMAIL);
        Locale locale = message.locale();
        Properties messages = theme.getEnhancedMessages(realm, locale);
        Map<String, Object> attributes = new HashMap<>(message.attributes());
        attributes.put("locale", locale);
        attributes.put("msg", new MessageFormatterMethod(locale, messages));
        attributes.put("properties", theme.getProperties());
        attributes.put("realmName", realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName());
        attributes.put("user", new ProfileBean(user, session));
        attributes.put("ltr", true);
        String subject = format(messages, message.subjectKey(), message.subjectArgs(), locale);
        attributes.put("subject", subject);
        FreeMarkerProvider freeMarker = session.getProvider(FreeMarkerProvider.class);
        String text = freeMarker.processTemplate(attributes, "text/" + message.template(), theme);
        String html = freeMarker.processTemplate(attributes, "html/" + message.template(), theme);
        return new Mail(subject, text, html);
    }

    static String text(KeycloakSession session, RealmModel realm, OutboundMessage.Sms message) throws IOException {
        Theme theme = session.theme().getTheme(Theme.Type.EMAIL);
        Properties messages = theme.getEnhancedMessages(realm, message.locale());
        // An optional part left empty (no "This was not me" link) leaves a trailing space behind.
        return format(messages, message.textKey(), message.textArgs(), message.locale()).strip();
    }

    private static String format(Properties messages, String key, List<Object> args, Locale locale) {
        Object[] resolved = args.stream().map(a -> a instanceof OutboundMessage.MessageKey k
                ? k.args().isEmpty() ? messages.getProperty(k.key(), k.key())
                        : format(messages, k.key(), k.args(), locale) : a).toArray();
        return new MessageFormat(messages.getProperty(key, key), locale).format(resolved);
    }
}
