package io.governedrecovery.events.sink;

import java.io.IOException;
import java.util.List;

import io.governedrecovery.events.store.OutboxRecord;

/**
 * A destination for exported records (events and findings). Called only from the sink's own worker thread, with a
 * batch in outbox order; a batch is delivered whole or the call throws and the same records come again later
 * (at least once, each record carrying its stable id).
 */
public interface EventSink extends AutoCloseable {

    /** A short name for logs, metrics and the sink's delivery state: {@code file}, {@code syslog}, {@code webhook}. */
    String name();

    void deliver(List<OutboxRecord> batch) throws IOException;

    @Override
    void close();
}
