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
        return TAILS.computeIfAbsent(file.toAbsolutePath(), Tail::new).read();
    }

    /**
     * The records of one export file, read incrementally: each call parses only the complete lines appended since the
     * last one (tests poll the file every 100 ms, and it grows to thousands of records over a run). A file that was
     * replaced (rotated, or a new run's) or cut shorter is read again from its start.
     */
    private static final java.util.Map<Path, Tail> TAILS = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class Tail {
        private final Path path;
        private final List<JsonNode> records = new ArrayList<>();
        private Object fileKey;
        private long offset;

        Tail(Path path) {
            this.path = path;
        }

        synchronized List<JsonNode> read() {
            if (!Files.exists(path)) {
                reset(null);
                return List.of();
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path,
                    java.nio.file.StandardOpenOption.READ)) {
                Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                long size = channel.size();
                if (key == null || !key.equals(fileKey) || size < offset) {
                    reset(key);
                }
                if (size > offset) {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16,
                            size - offset));
                    channel.read(buffer, offset);
                    byte[] bytes = buffer.array();
                    int end = buffer.position();
                    int lineStart = 0;
                    for (int i = 0; i < end; i++) {
                        if (bytes[i] == '\n') {
                            String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
                            if (!line.isBlank()) {
                                records.add(JSON.readTree(line));
                            }
                            lineStart = i + 1;
                        }
                    }
                    offset += lineStart; // a line still being written is read whole next time
                }
                return List.copyOf(records);
            } catch (java.nio.file.NoSuchFileException replaced) {
                reset(null);
                return List.of();
            } catch (IOException e) {
                throw new HarnessException("Cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        private void reset(Object key) {
            records.clear();
            offset = 0;
            fileKey = key;
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
