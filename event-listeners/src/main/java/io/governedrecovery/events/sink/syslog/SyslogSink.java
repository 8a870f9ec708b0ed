package io.governedrecovery.events.sink.syslog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import javax.net.ssl.SSLSocketFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * RFC 5424 syslog over TCP (RFC 6587 octet-counted frames), TLS optional. Each message carries the OCSF record as its
 * MSG and its stable id in the structured data {@code [governedRecovery@32473 id="..." kind="..."]}. Facility
 * authpriv; severity follows the record's.
 */
public final class SyslogSink implements EventSink {

    private static final int FACILITY_AUTHPRIV = 10;
    private static final String SD_ID = "governedRecovery@32473";

    private final String host;
    private final int port;
    private final boolean tls;
    private final String appName;
    private final String hostname;
    private final int timeoutMillis;
    private final OcsfRecords ocsf;
    private Socket socket;
    private OutputStream out;

    public SyslogSink(String host, int port, boolean tls, String appName, int timeoutMillis, OcsfRecords ocsf) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.appName = appName;
        this.timeoutMillis = timeoutMillis;
        this.ocsf = ocsf;
        this.hostname = localHostname();
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public void deliver(List<OutboxRecord> batch) throws IOException {
        try {
            OutputStream stream = connection();
            for (OutboxRecord record : batch) {
                byte[] message = message(record).getBytes(StandardCharsets.UTF_8);
                stream.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                stream.write(message);
            }
            stream.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    String message(OutboxRecord record) {
        ObjectNode body = ocsf.toOcsf(record);
        int severity = switch (body.path("severity_id").asInt(1)) {
            case 5 -> 2;
            case 4 -> 3;
            case 3 -> 4;
            case 2 -> 5;
            default -> 6;
        };
        String msgId = record.kind() == OutboxRecord.Kind.FINDING ? "FINDING" : "EVENT";
        return "<" + (FACILITY_AUTHPRIV * 8 + severity) + ">1 "
                + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(record.eventTime())) + " " + hostname + " "
                + appName + " - " + msgId + " [" + SD_ID + " id=\"" + escape(record.id()) + "\" kind=\""
                + record.kind().name() + "\"] " + body;
    }

    private OutputStream connection() throws IOException {
        if (out == null) {
            Socket s = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            socket = s;
            out = s.getOutputStream();
        }
        return out;
    }

    /** RFC 5424 6.3.3: escape '"', '\' and ']' in structured-data values. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }

    private static String localHostname() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "-" : name.replace(' ', '_');
        } catch (IOException e) {
            return "-";
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // a broken connection is reopened on the next batch
            }
        }
        socket = null;
        out = null;
    }
}
