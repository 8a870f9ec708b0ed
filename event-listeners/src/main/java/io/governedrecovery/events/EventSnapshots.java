package io.governedrecovery.events;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.keycloak.events.Event;
import org.keycloak.events.admin.AdminEvent;

import io.governedrecovery.core.event.RecoveryEvent;

/** Copies Keycloak events into detached {@link RecoveryEvent}s, leaving out anything that could carry a secret. */
public final class EventSnapshots {

    private EventSnapshots() {
    }

    public static RecoveryEvent of(Event event) {
        return new RecoveryEvent(idOf(event.getId()), event.getTime(), RecoveryEvent.Kind.USER, event.getType().name(),
                event.getRealmId(), event.getRealmName(), event.getClientId(), event.getUserId(), event.getIpAddress(),
                event.getError(), safeDetails(event.getDetails()));
    }

    public static RecoveryEvent of(AdminEvent event) {
        var auth = event.getAuthDetails();
        Map<String, String> details = new HashMap<>(safeDetails(event.getDetails()));
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

    /** The details without null or secret-bearing entries, as one immutable map (the snapshot's only copy). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> safeDetails(Map<String, String> details) {
        if (details == null || details.isEmpty()) {
            return Map.of();
        }
        Map.Entry<String, String>[] kept = new Map.Entry[details.size()];
        int n = 0;
        for (Map.Entry<String, String> e : details.entrySet()) {
            if (e.getKey() != null && e.getValue() != null && !mayHoldSecret(e.getKey())) {
                kept[n++] = Map.entry(e.getKey(), e.getValue());
            }
        }
        return Map.ofEntries(n == kept.length ? kept : java.util.Arrays.copyOf(kept, n));
    }

    static boolean mayHoldSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.equals("code") || k.endsWith("_code")
                || k.equals("token") || k.endsWith("_token") || k.contains("otp");
    }
}
