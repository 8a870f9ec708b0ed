package io.governedrecovery.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A message to a user, composed and sent after the request's transaction committed, on a worker thread. Holds only
 * plain values (ids, strings, numbers) so it can outlive the request.
 */
public sealed interface OutboundMessage permits OutboundMessage.Email, OutboundMessage.Sms {

    String realmId();

    String userId();

    Locale locale();

    /** What the delivery event reports, for example {@code code} or {@code reset-notice}. */
    String purpose();

    /** The method id the message belongs to (for events), or null. */
    String methodId();

    /**
     * Until when the message is worth sending, on Keycloak's clock (a code's expiry), or null for a message without a
     * time of its own (a notice): a message that cannot be sent is retried until then ({@code DeliveryRetries}).
     */
    Instant useBy();

    /** This message, worth sending until {@code useBy} only. */
    OutboundMessage usableUntil(Instant useBy);

    /**
     * An email rendered from the email theme's {@code text/<template>} and {@code html/<template>}.
     *
     * @param attributes template attributes: strings and numbers only
     */
    record Email(String realmId, String userId, String address, String template, String subjectKey,
                 List<Object> subjectArgs, Map<String, Object> attributes, Locale locale, String purpose,
                 String methodId, Instant useBy) implements OutboundMessage {
        public Email {
            Objects.requireNonNull(address, "address");
            subjectArgs = List.copyOf(subjectArgs);
            attributes = Map.copyOf(attributes);
        }

        /** An email without a use-by time (a notice). */
        public Email(String realmId, String userId, String address, String template, String subjectKey,
                     List<Object> subjectArgs, Map<String, Object> attributes, Locale locale, String purpose,
                     String methodId) {
            this(realmId, userId, address, template, subjectKey, subjectArgs, attributes, locale, purpose, methodId,
                    null);
        }

        @Override
        public Email usableUntil(Instant until) {
            return new Email(realmId, userId, address, template, subjectKey, subjectArgs, attributes, locale, purpose,
                    methodId, until);
        }
    }

    /**
     * An argument of a subject or text message that is itself a message key, looked up in the recipient's language
     * (for example the name of a method).
     */
    record MessageKey(String key, List<Object> args) {
        public MessageKey {
            Objects.requireNonNull(key, "key");
            args = List.copyOf(args);
        }

        public MessageKey(String key) {
            this(key, List.of());
        }

        /** The message {@code key} with {@code value} as its argument, or empty text when there is no value. */
        public static Object ifPresent(String key, java.util.Optional<String> value) {
            return value.<Object>map(v -> new MessageKey(key, List.of(v))).orElse("");
        }
    }

    /** A text message rendered from the message key {@code textKey} of the email theme's messages. */
    record Sms(String realmId, String userId, String number, String textKey, List<Object> textArgs, Locale locale,
               String purpose, String methodId, Instant useBy) implements OutboundMessage {
        public Sms {
            Objects.requireNonNull(number, "number");
            textArgs = List.copyOf(textArgs);
        }

        /** A text message without a use-by time (a notice). */
        public Sms(String realmId, String userId, String number, String textKey, List<Object> textArgs, Locale locale,
                   String purpose, String methodId) {
            this(realmId, userId, number, textKey, textArgs, locale, purpose, methodId, null);
        }

        @Override
        public Sms usableUntil(Instant until) {
            return new Sms(realmId, userId, number, textKey, textArgs, locale, purpose, methodId, until);
        }
    }
}
