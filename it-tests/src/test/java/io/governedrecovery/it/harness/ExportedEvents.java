package io.governedrecovery.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what the event listener's file sink exported (JSON Lines). */
public final class ExportedEvents {

    public static final String FILE = "governed-recovery-events.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ExportedEvents(Path exportDir) {
        this.file = exportDir.resolve(FILE);
    }

    public List<JsonNode> all() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new HarnessException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Export is asynchronous: waits up to {@code timeout} for an event matching {@code filter}. */
    public JsonNode await(Predicate<JsonNode> filter, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (JsonNode event : all()) {
                if (filter.test(event)) {
                    return event;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No matching event exported to " + file + " within " + timeout.toSeconds()
                        + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for an exported event");
            }
        }
    }

    /** A Keycloak event of {@code type} about {@code userId}, as an OCSF record. */
    public static Predicate<JsonNode> ofType(String type, String userId) {
        return e -> type.equals(e.path("unmapped").path("keycloak_type").asText())
                && userId.equals(e.path("user").path("uid").asText());
    }

    /** A finding of {@code rule}, as an OCSF Detection Finding. */
    public static Predicate<JsonNode> finding(String rule) {
        return e -> e.path("class_uid").asInt() == 2004 && rule.equals(e.path("unmapped").path("rule").asText());
    }

    /** A finding of {@code rule} about the account {@code userId}. */
    public static Predicate<JsonNode> finding(String rule, String userId) {
        return finding(rule).and(e -> userId.equals(e.path("evidences").path(0).path("user").path("uid").asText()));
    }

    /** The detail of a Keycloak event record. */
    public static String detail(JsonNode record, String key) {
        return record.path("unmapped").path("details").path(key).asText(null);
    }

    /** The stable id of a record. */
    public static String id(JsonNode record) {
        return record.path("metadata").path("uid").asText();
    }
}
