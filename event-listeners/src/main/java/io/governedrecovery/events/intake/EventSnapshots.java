package io.governedrecovery.events.intake;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.keycloak.events.Event;
import org.keycloak.events.admin.AdminEvent;

import io.governedrecovery.core.event.RecoveryEvent;

/**
 * Copies Keycloak events into detached {@link RecoveryEvent}s, leaving out anything that could carry a secret or a
 * contact address: secret-bearing details are dropped, contact details (email, phone, a brokered identity) are dropped,
 * and any other value that holds an email address (a name typed as an email, say) is replaced by its pseudonym.
 */
public final class EventSnapshots {

    /** Turns a value of a realm into its stand-in (a keyed hash); see {@code Pseudonyms}. */
    @FunctionalInterface
    public interface Pseudonymizer {
        String apply(String realmId, String value);
    }

    /** Details that name a contact address or an outside identity: never exported. */
    static final Set<String> CONTACT_DETAILS = Set.of("email", "previous_email", "updated_email",
            "identity_provider_identity", "phone", "phone_number", "previous_phone", "updated_phone");

    private EventSnapshots() {
    }

    public static RecoveryEvent of(Event event, Pseudonymizer pseudonyms) {
        return new RecoveryEvent(idOf(event.getId()), event.getTime(), RecoveryEvent.Kind.USER, event.getType().name(),
                event.getRealmId(), event.getRealmName(), event.getClientId(), event.getUserId(), event.getIpAddress(),
                event.getError(), safeDetails(event.getRealmId(), event.getDetails(), pseudonyms));
    }

    public static RecoveryEvent of(AdminEvent event, Pseudonymizer pseudonyms) {
        var auth = event.getAuthDetails();
        Map<String, String> details = new HashMap<>(safeDetails(event.getRealmId(), event.getDetails(), pseudonyms));
        if (event.getResourcePath() != null) {
            details.put("resource_path", event.getResourcePath());
        }
        if (auth != null && auth.getUserId() != null) {
            details.put("actor_user_id", auth.getUserId());
        }
        String type = event.getOperationType().name() + "_" + event.getResourceTypeAsString();
        return new RecoveryEvent(idOf(event.getId()), event.getTime(), RecoveryEvent.Kind.ADMIN, type,
                event.getRealmId(), event.getRealmName(), auth == null ? null : auth.getClientId(),
                null, auth == null ? null : auth.getIpAddress(), event.getError(), details);
    }

    private static String idOf(String keycloakId) {
        // Keycloak 26 gives every event an id; the fallback only guards against a provider that does not.
        return keycloakId != null ? keycloakId : UUID.randomUUID().toString();
    }

    /**
     * The details without null, secret-bearing or contact entries, email addresses replaced by pseudonyms, as one
     * immutable map (the snapshot's only copy).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> safeDetails(String realmId, Map<String, String> details,
                                                   Pseudonymizer pseudonyms) {
        if (details == null || details.isEmpty()) {
            return Map.of();
        }
        Map.Entry<String, String>[] kept = new Map.Entry[details.size()];
        int n = 0;
        for (Map.Entry<String, String> e : details.entrySet()) {
            if (e.getKey() != null && e.getValue() != null && !mayHoldSecret(e.getKey())
                    && !CONTACT_DETAILS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                String value = EMAIL.matcher(e.getValue()).find() ? pseudonyms.apply(realmId, e.getValue())
                        : e.getValue();
                kept[n++] = Map.entry(e.getKey(), value);
            }
        }
        return Map.ofEntries(n == kept.length ? kept : java.util.Arrays.copyOf(kept, n));
    }

    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s]+");

    static boolean mayHoldSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.equals("code") || k.endsWith("_code")
                || k.equals("token") || k.endsWith("_token") || k.contains("otp");
    }
}
