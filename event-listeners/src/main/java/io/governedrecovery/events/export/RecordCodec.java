package io.governedrecovery.events.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.core.risk.Signal;
import io.governedrecovery.core.risk.SignalMapper;
import io.governedrecovery.events.store.OutboxRecord;

/** Turns events and findings into outbox rows (JSON payloads) and back. */
public final class RecordCodec {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public RecordCodec(ObjectMapper json) {
        this.json = json;
    }

    public OutboxRecord record(RecoveryEvent e) {
        ObjectNode node = json.createObjectNode();
        node.put("id", e.id());
        node.put("time", e.time());
        node.put("kind", e.kind().name());
        node.put("type", e.type());
        node.put("realmId", e.realmId());
        node.put("realmName", e.realmName());
        node.put("clientId", e.clientId());
        node.put("userId", e.userId());
        node.put("ipAddress", e.ipAddress());
        node.put("error", e.error());
        node.set("details", json.valueToTree(e.details()));
        OutboxRecord.Kind kind = e.kind() == RecoveryEvent.Kind.ADMIN ? OutboxRecord.Kind.ADMIN : OutboxRecord.Kind.USER;
        Signal signal = SignalMapper.map(e);
        return new OutboxRecord(e.id(), kind, e.realmId(), e.type(), e.time(), e.userId(), e.ipAddress(), null,
                signal == null ? null : signal.kind().name(), node.toString(), 0, 0);
    }

    public OutboxRecord record(Finding f) {
        ObjectNode node = json.valueToTree(f);
        return new OutboxRecord(f.id(), OutboxRecord.Kind.FINDING, f.realmId(), "FINDING", f.time(), f.userId(),
                f.ipAddress(), f.rule(), null, node.toString(), 0, 0);
    }

    public RecoveryEvent event(OutboxRecord record) {
        JsonNode node = tree(record);
        Map<String, String> details = node.hasNonNull("details")
                ? json.convertValue(node.get("details"), STRING_MAP) : new HashMap<>();
        return new RecoveryEvent(text(node, "id"), node.path("time").asLong(),
                RecoveryEvent.Kind.valueOf(node.path("kind").asText("USER")), text(node, "type"),
                text(node, "realmId"), text(node, "realmName"), text(node, "clientId"), text(node, "userId"),
                text(node, "ipAddress"), text(node, "error"), details);
    }

    public Finding finding(OutboxRecord record) {
        try {
            return json.readValue(record.payload(), Finding.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable finding " + record.id(), e);
        }
    }

    public JsonNode tree(OutboxRecord record) {
        try {
            return json.readTree(record.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable outbox record " + record.id(), e);
        }
    }

    public ObjectMapper mapper() {
        return json;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
