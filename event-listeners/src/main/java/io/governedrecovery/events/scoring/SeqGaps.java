package io.governedrecovery.events.scoring;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequence numbers a reader has passed without seeing their rows: a transaction that took its number earlier is still
 * open (its row appears later, in a gap), or it rolled back (the gap stays empty). The reader asks for the rows of young
 * gaps at every poll, of older ones less often, and forgets a gap after {@code maxAgeNanos}. Ranges, not single
 * numbers: a database that skips a block of numbers (after a restart, say) costs one entry.
 */
final class SeqGaps {

    private static final long YOUNG_NANOS = 10_000_000_000L;
    private static final long MIDDLE_NANOS = 60_000_000_000L;
    private static final long MIDDLE_EVERY_NANOS = 2_000_000_000L;
    private static final long OLD_EVERY_NANOS = 30_000_000_000L;

    /** One range of missing numbers, and when it was first noticed. */
    private record Gap(long from, long to, long since) {
    }

    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    private final long maxAgeNanos;
    private long lastMiddleCheck;
    private long lastOldCheck;
    private long missing;

    SeqGaps(long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
    }

    /** Notes that {@code from..to} (inclusive) were passed unseen at {@code now}. */
    void add(long from, long to, long now) {
        if (from > to) {
            return;
        }
        gaps.put(from, new Gap(from, to, now));
        missing += to - from + 1;
    }

    /** Whether {@code seq} is a number passed unseen. */
    boolean contains(long seq) {
        Map.Entry<Long, Gap> e = gaps.floorEntry(seq);
        return e != null && e.getValue().to() >= seq;
    }

    /** The row of {@code seq} has been seen: its number is no longer missing. */
    void fill(long seq) {
        Map.Entry<Long, Gap> e = gaps.floorEntry(seq);
        if (e == null || e.getValue().to() < seq) {
            return;
        }
        Gap g = e.getValue();
        gaps.remove(g.from());
        if (g.from() < seq) {
            gaps.put(g.from(), new Gap(g.from(), seq - 1, g.since()));
        }
        if (seq < g.to()) {
            gaps.put(seq + 1, new Gap(seq + 1, g.to(), g.since()));
        }
        missing--;
    }

    /**
     * The ranges to look for now (at most {@code max}): every young gap at each poll, gaps up to a minute old every two
     * seconds, older ones every thirty seconds.
     */
    List<long[]> due(long now, int max) {
        boolean middle = now - lastMiddleCheck >= MIDDLE_EVERY_NANOS;
        boolean old = now - lastOldCheck >= OLD_EVERY_NANOS;
        List<long[]> ranges = new ArrayList<>();
        for (Gap g : gaps.values()) {
            long age = now - g.since();
            if (age < YOUNG_NANOS || age < MIDDLE_NANOS && middle || old) {
                ranges.add(new long[] {g.from(), g.to()});
                if (ranges.size() == max) {
                    break;
                }
            }
        }
        if (middle) {
            lastMiddleCheck = now;
        }
        if (old) {
            lastOldCheck = now;
        }
        return ranges;
    }

    /** Forgets gaps older than the limit; returns how many numbers were given up. */
    long expire(long now) {
        long given = 0;
        for (Iterator<Gap> it = gaps.values().iterator(); it.hasNext(); ) {
            Gap g = it.next();
            if (now - g.since() >= maxAgeNanos) {
                given += g.to() - g.from() + 1;
                it.remove();
            }
        }
        missing -= given;
        return given;
    }

    /** Numbers still missing (a gauge). */
    long missing() {
        return missing;
    }

    boolean isEmpty() {
        return gaps.isEmpty();
    }
}
