package io.governedrecovery.events.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.keycloak.common.util.Time;

/**
 * The pipeline's one wall clock: Keycloak's {@link Time} (which honours Keycloak's own time offset), plus, for fault
 * tests only, an offset in seconds read from {@code fault-clock-offset-file} (re-read at most twice a second), so a
 * test can put two nodes' clocks a minute apart or jump days ahead without waiting. Durations (leases, back-off) are
 * measured with {@link System#nanoTime()}, never with this clock.
 */
public final class PipelineClock {

    private static final long RECHECK_NANOS = 500_000_000L;

    private final Path offsetFile;
    private volatile long offsetMillis;
    private volatile long checkedAt;

    private PipelineClock(Path offsetFile) {
        this.offsetFile = offsetFile;
        this.checkedAt = System.nanoTime() - RECHECK_NANOS;
    }

    /** Keycloak's clock as it is. */
    public static PipelineClock system() {
        return new PipelineClock(null);
    }

    /** Keycloak's clock shifted by the seconds written in {@code offsetFile} (fault tests only). */
    public static PipelineClock withOffsetFile(Path offsetFile) {
        return offsetFile == null ? system() : new PipelineClock(offsetFile);
    }

    /** Epoch milliseconds now. */
    public long millis() {
        return Time.currentTimeMillis() + offset();
    }

    private long offset() {
        if (offsetFile == null) {
            return 0;
        }
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS) {
            checkedAt = now;
            try {
                String text = Files.exists(offsetFile) ? Files.readString(offsetFile, StandardCharsets.US_ASCII).trim()
                        : "";
                offsetMillis = text.isEmpty() ? 0 : Long.parseLong(text) * 1000L;
            } catch (IOException | NumberFormatException e) {
                // keep the last offset: a test is writing the file right now
            }
        }
        return offsetMillis;
    }
}
