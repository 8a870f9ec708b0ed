package io.governedrecovery.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Moves one node's pipeline clock (the test-only {@code fault-clock-offset-file} option): a test shifts it by minutes
 * or days instead of waiting. The node reads the file at most twice a second.
 */
public final class ClockOffset {

    private final Path file;

    public ClockOffset(Path file) {
        this.file = file;
        set(Duration.ZERO);
    }

    public Path file() {
        return file;
    }

    /** From now on the node's pipeline clock runs {@code offset} ahead (negative: behind) of the real one. */
    public void set(Duration offset) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(offset.toSeconds()), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HarnessException("Cannot write the clock offset " + file + ": " + e.getMessage(), e);
        }
    }
}
