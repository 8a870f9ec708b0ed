package io.governedrecovery.events.sink.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Appends OCSF records, one JSON object per line, to {@code governed-recovery-events.jsonl}; forces each batch to
 * disk before reporting it delivered. Past {@code maxBytes} the file is renamed with a timestamp and a new one starts;
 * only the newest {@code keep} rotated files are kept.
 */
public final class JsonLinesFileSink implements EventSink {

    public static final String FILE_NAME = "governed-recovery-events.jsonl";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final OcsfRecords ocsf;
    private FileChannel channel;

    public JsonLinesFileSink(Path directory, long maxBytes, int keep, OcsfRecords ocsf) throws IOException {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.ocsf = ocsf;
        Files.createDirectories(directory);
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void deliver(List<OutboxRecord> batch) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (OutboxRecord record : batch) {
            lines.append(ocsf.toOcsf(record)).append('\n');
        }
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
        if (channel.size() >= maxBytes) {
            rotate();
        }
    }

    private void rotate() throws IOException {
        close();
        Files.move(file, directory.resolve("governed-recovery-events-" + STAMP.format(Instant.now()) + ".jsonl"));
        try (Stream<Path> rotated = Files.list(directory)) {
            List<Path> old = rotated.filter(p -> p.getFileName().toString().startsWith("governed-recovery-events-"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed())
                    .skip(keep).toList();
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // every batch was forced to disk before it counted as delivered
            }
            channel = null;
        }
    }
}
