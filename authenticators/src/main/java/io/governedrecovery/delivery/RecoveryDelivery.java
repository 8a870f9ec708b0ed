package io.governedrecovery.delivery;

import org.keycloak.provider.Provider;

/** Sends messages to users off the request path: queued now, handed to a worker only after the transaction commits. */
public interface RecoveryDelivery extends Provider {

    /** Queues {@code message}; it is dropped if the transaction rolls back. Never blocks and never does I/O. */
    void afterCommit(OutboundMessage message);
}
