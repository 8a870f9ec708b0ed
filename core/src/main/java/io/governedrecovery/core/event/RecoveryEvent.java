package io.governedrecovery.core.event;

import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of one event that matters to recovery, detached from the Keycloak session that produced it,
 * so that it can cross threads and outlive the request.
 *
 * @param id        stable event id (Keycloak's own event id); exporters and consumers de-duplicate on it
 * @param time      event time, epoch milliseconds UTC
 * @param kind      {@link Kind#USER} for user events, {@link Kind#ADMIN} for admin events
 * @param type      Keycloak event type (for example {@code RESET_PASSWORD}) or admin operation and resource type
 * @param realmId   realm id
 * @param realmName realm name, when known
 * @param clientId  client id, when known
 * @param userId    subject user id, when known
 * @param ipAddress source IP address, when known
 * @param error     Keycloak error code for failed events, otherwise null
 * @param details   event details; never holds secrets (listeners drop known secret-bearing keys)
 */
public record RecoveryEvent(String id, long time, Kind kind, String type, String realmId, String realmName,
                            String clientId, String userId, String ipAddress, String error,
                            Map<String, String> details) {

    public enum Kind { USER, ADMIN }

    public RecoveryEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public boolean failed() {
        return error != null;
    }
}
