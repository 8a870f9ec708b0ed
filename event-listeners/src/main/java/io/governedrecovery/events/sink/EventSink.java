package io.governedrecovery.events.sink;

import java.util.List;

import io.governedrecovery.events.store.OutboxRecord;

/**
 * A destination for exported records (events and findings). Called only from the sink's own worker, on the node that
 * holds the sink's lease, with batches in outbox order. {@link #deliver} returns only when the receiver accepted every
 * record of the batch; otherwise it throws a {@link DeliveryException} and the same records come again (at least
 * once: each record carries its stable id, {@code metadata.uid}).
 */
public interface EventSink extends AutoCloseable {

    /** A short name for logs, metrics and delivery rows: {@code file}, {@code syslog}, {@code webhook}... */
    String name();

    /** Whether this sink gets the record at all; decided once, when the record is written. */
    default boolean wants(OutboxRecord record) {
        return true;
    }

    /**
     * The record as this sink sends it (a JSON line, a syslog message...). A record that cannot be encoded (an
     * unreadable row) throws: it is parked at once, and the others go on.
     */
    byte[] encode(OutboxRecord record);

    /** Delivers the encoded records, in order; returns only when the receiver accepted all of them. */
    void deliver(List<Encoded> batch) throws DeliveryException;

    @Override
    void close();

    /** A record and the bytes this sink sends for it. */
    record Encoded(OutboxRecord record, byte[] bytes) {
    }
}
