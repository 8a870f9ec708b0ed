package io.governedrecovery.events.store;

/**
 * A record of the outbox (a recovery event or a finding) as the pipeline handles it.
 *
 * @param id         stable id: Keycloak's event id, or the finding id; every export carries it
 * @param kind       what the payload holds
 * @param signalKind what the anomaly scorer makes of it (null when it feeds no rule), so a starting node can replay
 *                   just the kinds a long rule window needs
 * @param payload    the record as JSON (a RecoveryEvent or a Finding)
 * @param writtenAt  when the row was written, by the writing node's pipeline clock (information only: nothing reads
 *                   by it); 0 before it is written
 * @param seq        the database's sequence number of the row; 0 before it is written
 */
public record OutboxRecord(String id, Kind kind, String realmId, String type, long eventTime, String userId,
                           String ip, String rule, String signalKind, String payload, long writtenAt, long seq) {

    public enum Kind { USER, ADMIN, FINDING }
}
