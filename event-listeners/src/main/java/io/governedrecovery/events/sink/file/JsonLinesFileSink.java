package io.governedrecovery.events.sink.file;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.sink.EventSink;

/** Appends one JSON object per line to {@code governed-recovery-events.jsonl} in the configured directory. */
public final class JsonLinesFileSink implements EventSink {

    public static final String FILE_NAME = "governed-recovery-events.jsonl";

    private final ObjectMapper json;
    private final Path file;
    private BufferedWriter writer;

    public JsonLinesFileSink(Path directory, ObjectMapper json) throws IOException {
        this.json = json;
        Files.createDirectories(directory);
        this.file = directory.resolve(FILE_NAME);
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void write(RecoveryEvent event) throws IOException {
        if (writer == null) {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        writer.write(json.writeValueAsString(event));
        writer.newLine();
        writer.flush();
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // Every line was flushed when written; nothing is lost by a failed close.
            }
            writer = null;
        }
    }
}
