package io.governedrecovery.events.sink;

import java.util.List;

import org.keycloak.models.KeycloakSession;

/**
 * A sink whose whole effect is in Keycloak's database (and in what is sent after that transaction commits, like mail):
 * it delivers inside the very transaction that acknowledges the records, so an effect is never repeated for records
 * already acknowledged, nor left without its acknowledgement.
 */
public interface TransactionalSink extends EventSink {

    /** Delivers inside {@code session}'s transaction, which also acknowledges the batch. */
    void deliver(KeycloakSession session, List<Encoded> batch);

    @Override
    default void deliver(List<Encoded> batch) {
        throw new UnsupportedOperationException(name() + " delivers inside the acknowledging transaction");
    }
}
