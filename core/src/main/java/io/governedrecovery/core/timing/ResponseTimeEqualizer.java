package io.governedrecovery.core.timing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Pads answers so that different outcomes of one step (an existing account, a missing one) take the same time.
 *
 * <p>Each outcome class keeps its recent unpadded durations; the target is the highest of the classes' chosen
 * percentile, and every answer is padded up to it (never by more than a cap). So the fast path waits for the slow one
 * whatever the mix of traffic, and an outlier cannot stall answers for long. Thread-safe; owned by a factory.
 */
public final class ResponseTimeEqualizer {

    private final int window;
    private final double quantile;
    private final long maxPadNanos;
    private final int minSamples;
    private final Map<String, Ring> classes = new HashMap<>();
    private long targetNanos;

    /**
     * @param window      recent samples kept per outcome class
     * @param quantile    the percentile (0..1) of each class the target follows, for example 0.9
     * @param maxPadNanos the most an answer is ever delayed
     */
    public ResponseTimeEqualizer(int window, double quantile, long maxPadNanos) {
        if (window < 8 || quantile <= 0 || quantile > 1 || maxPadNanos < 0) {
            throw new IllegalArgumentException("window >= 8, 0 < quantile <= 1, maxPad >= 0");
        }
        this.window = window;
        this.quantile = quantile;
        this.maxPadNanos = maxPadNanos;
        this.minSamples = Math.min(8, window);
    }

    /** Records an unpadded duration of an answer of {@code outcomeClass}; returns how long to pad it. */
    public synchronized long record(String outcomeClass, long elapsedNanos) {
        Ring ring = classes.computeIfAbsent(outcomeClass, k -> new Ring(window));
        ring.add(elapsedNanos);
        if (ring.count >= minSamples && (ring.count <= window || ring.next % 8 == 0)) {
            retarget();
        }
        return padFor(elapsedNanos);
    }

    /** How long to pad an answer that took {@code elapsedNanos}. */
    public synchronized long padFor(long elapsedNanos) {
        return Math.max(0, Math.min(targetNanos - elapsedNanos, maxPadNanos));
    }

    public synchronized long targetNanos() {
        return targetNanos;
    }

    private void retarget() {
        long target = 0;
        for (Ring ring : classes.values()) {
            if (ring.count >= minSamples) {
                target = Math.max(target, ring.quantile(quantile));
            }
        }
        targetNanos = target;
    }

    private static final class Ring {
        private final long[] samples;
        private int next;
        private int count;

        Ring(int size) {
            samples = new long[size];
        }

        void add(long value) {
            samples[next] = value;
            next = (next + 1) % samples.length;
            count++;
        }

        long quantile(double q) {
            int n = Math.min(count, samples.length);
            long[] sorted = Arrays.copyOf(samples, n);
            Arrays.sort(sorted);
            int index = (int) Math.ceil(q * n) - 1;
            return sorted[Math.max(0, Math.min(n - 1, index))];
        }
    }
}
