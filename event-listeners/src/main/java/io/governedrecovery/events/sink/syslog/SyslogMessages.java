package io.governedrecovery.events.sink.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * RFC 5424 messages for both syslog transports: the OCSF record is the MSG, MSGID the record kind (EVENT or FINDING),
 * and the structured data {@code [governedRecovery@32473 id="..." kind="..."]} carries the stable id. Facility
 * authpriv; the severity follows the record's.
 */
public final class SyslogMessages {

    private static final int FACILITY_AUTHPRIV = 10;
    private static final String SD_ID = "governedRecovery@32473";

    private final String appName;
    private final String hostname;
    private final OcsfRecords ocsf;

    public SyslogMessages(String appName, OcsfRecords ocsf) {
        this.appName = appName;
        this.ocsf = ocsf;
        this.hostname = localHostname();
    }

    /** Whether the record is exported at all (see {@link OcsfRecords#exported}). */
    public boolean exported(OutboxRecord record) {
        return ocsf.exported(record);
    }

    public byte[] encode(OutboxRecord record) {
        return message(record).getBytes(StandardCharsets.UTF_8);
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
}
