package io.governedrecovery.events.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

class JsonLinesFileSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordCodec codec = new RecordCodec(JSON);
    private final OcsfRecords ocsf = new OcsfRecords(codec, "test");

    @TempDir
    Path dir;

    private EventSink.Encoded encoded(JsonLinesFileSink sink, String id) {
        OutboxRecord r = codec.record(new RecoveryEvent(id, 1000, RecoveryEvent.Kind.USER, "LOGIN_ERROR", "realm",
                "r", "client", "user", "10.0.0.1", "invalid", Map.of()));
        return new EventSink.Encoded(r, sink.encode(r));
    }

    @Test
    void a_fragment_left_by_a_killed_writer_is_cut_before_the_next_append() throws Exception {
        JsonLinesFileSink sink = new JsonLinesFileSink(dir, 1 << 20, 3, ocsf);
        sink.deliver(List.of(encoded(sink, "first")));
        Path file = dir.resolve(JsonLinesFileSink.FILE_NAME);
        Files.writeString(file, "{\"metadata\":{\"uid\":\"half-writ", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        sink.deliver(List.of(encoded(sink, "second"), encoded(sink, "third")));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(l -> JSON.readTree(l).path("metadata").path("uid").asText())
                .containsExactly("first", "second", "third");
        sink.close();
    }

    @Test
    void a_file_that_is_only_a_fragment_is_emptied_and_a_new_sink_repairs_on_start() throws Exception {
        Path file = dir.resolve(JsonLinesFileSink.FILE_NAME);
        Files.writeString(file, "{\"metadata\":{\"uid\":\"no-newline-at-all".repeat(1000), StandardCharsets.UTF_8);
        JsonLinesFileSink sink = new JsonLinesFileSink(dir, 1 << 20, 3, ocsf);
        sink.deliver(List.of(encoded(sink, "only")));
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(1)
                .allMatch(l -> l.contains("\"uid\":\"only\""));
        sink.close();
    }

    @Test
    void rotation_keeps_the_newest_files() throws Exception {
        JsonLinesFileSink sink = new JsonLinesFileSink(dir, 10, 2, ocsf);
        for (int i = 0; i < 5; i++) {
            sink.deliver(List.of(encoded(sink, "r" + i)));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("governed-recovery-events-")))
                    .hasSize(2);
        }
        sink.close();
    }
}
