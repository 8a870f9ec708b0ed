package io.governedrecovery.events.sink;

import java.io.IOException;

import io.governedrecovery.core.event.RecoveryEvent;

/** A destination for exported recovery events. Called from the pipeline's own worker thread, never a request thread. */
public interface EventSink extends AutoCloseable {

    /** A short name for logs and metrics, for example {@code file}. */
    String name();

    /** Writes one event; throws when the destination cannot take it, so the caller can retry or count the failure. */
    void write(RecoveryEvent event) throws IOException;

    @Override
    void close();
}
