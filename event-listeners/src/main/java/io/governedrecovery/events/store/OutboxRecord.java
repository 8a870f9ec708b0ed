package io.governedrecovery.events.store;

/**
 * A row of the outbox as the pipeline handles it.
 *
 * @param id         stable id: Keycloak's event id, or the finding id
 * @param kind       what the payload holds
 * @param payload    the record as JSON (a RecoveryEvent or a Finding)
 * @param insertedAt when the row was written (0 before it is), epoch millis of the writing node
 */
public record OutboxRecord(String id, Kind kind, String realmId, String type, long eventTime, String userId,
                           String ip, String rule, String payload, long insertedAt) {

    public enum Kind { USER, ADMIN, FINDING }

    public OutboxRecord withInsertedAt(long at) {
        return new OutboxRecord(id, kind, realmId, type, eventTime, userId, ip, rule, payload, at);
    }
}
