package io.governedrecovery.events.sink.syslog;

import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * What both syslog transports (plain TCP or TLS, and RELP) share: the sink's name, the messages they carry (RFC 5424
 * with the OCSF record as JSON) and the receiver's address and timeout.
 */
public abstract class SyslogTransport implements EventSink {

    protected final String host;
    protected final int port;
    protected final int timeoutMillis;
    protected final SyslogMessages messages;

    protected SyslogTransport(String host, int port, int timeoutMillis, SyslogMessages messages) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.messages = messages;
    }

    @Override
    public final String name() {
        return "syslog";
    }

    /** Only what fits an OCSF class is exported (see {@link io.governedrecovery.events.export.OcsfRecords#exported}). */
    @Override
    public final boolean wants(OutboxRecord record) {
        return messages.exported(record);
    }

    @Override
    public final byte[] encode(OutboxRecord record) {
        return messages.encode(record);
    }
}
