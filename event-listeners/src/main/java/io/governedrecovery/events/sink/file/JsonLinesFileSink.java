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

import org.jboss.logging.Logger;

import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.sink.DeliveryException;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Appends OCSF records, one JSON object per line, to {@code governed-recovery-events.jsonl}; forces each batch to
 * disk before reporting it delivered. Before every append it makes sure the file ends with a complete line: a writer
 * killed in the middle of a record leaves a fragment, which is cut back to the last newline (the fragment's records
 * were never acknowledged, so they are written again whole). Past {@code maxBytes} the file is renamed with a timestamp
 * and a new one starts; only the newest {@code keep} rotated files are kept. The directory is forced to disk after a
 * file is created or renamed, so a crash cannot lose the file itself.
 */
public final class JsonLinesFileSink implements EventSink {

    public static final String FILE_NAME = "governed-recovery-events.jsonl";
    private static final Logger LOG = Logger.getLogger(JsonLinesFileSink.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final int SCAN = 8192;

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

    /** Only what fits an OCSF class is exported (see {@link OcsfRecords#exported}). */
    @Override
    public boolean wants(OutboxRecord record) {
        return ocsf.exported(record);
    }

    @Override
    public byte[] encode(OutboxRecord record) {
        return (ocsf.toOcsf(record).toString() + '\n').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void deliver(List<Encoded> batch) throws DeliveryException {
        try {
            append(batch);
        } catch (IOException e) {
            close();
            throw DeliveryException.unavailable("cannot write " + file + ": " + e, e);
        }
    }

    private void append(List<Encoded> batch) throws IOException {
        if (channel == null) {
            boolean created = Files.notExists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (created) {
                forceDirectory();
            }
        }
        cutIncompleteLastLine();
        channel.position(channel.size());
        for (Encoded e : batch) {
            ByteBuffer bytes = ByteBuffer.wrap(e.bytes());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        channel.force(false);
        if (channel.size() >= maxBytes) {
            rotate();
        }
    }

    /** Cuts the file back to its last newline when it does not end with one (what a killed writer left). */
    void cutIncompleteLastLine() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        if (last.get(0) == '\n') {
            return;
        }
        long end = size;
        long cut = 0;
        ByteBuffer chunk = ByteBuffer.allocate(SCAN);
        scan:
        while (end > 0) {
            long start = Math.max(0, end - SCAN);
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) > 0) {
                // read the whole chunk
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    cut = start + i + 1;
                    break scan;
                }
            }
            end = start;
        }
        channel.truncate(cut);
        channel.force(false);
        LOG.warnf("Governed Recovery cut an incomplete last line (%d bytes) from %s: a writer was stopped in the "
                + "middle of a record; those records are written again whole", size - cut, file);
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
        forceDirectory();
    }

    /** Forces the directory entry (a new or renamed file) to disk; where a platform cannot, the file system decides. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("Governed Recovery cannot force directory %s to disk: %s", directory, e);
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
