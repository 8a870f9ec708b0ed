package io.governedrecovery.events.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import io.governedrecovery.core.event.RecoveryEvent;

/**
 * Where the {@link Reconciler} stands in Keycloak's event store, per realm and kind, and one bounded pass from there.
 *
 * <p>The read point depends only on what was read: the time of the newest event read so far, never the local clock
 * (a clock that steps forward cannot move it past events not read yet). The first pass of a key starts
 * {@code lookback} before now. A pass that stopped at its row cap resumes next time exactly where it stopped (the event
 * time and the number of events of that millisecond already read), so a burst larger than the cap is worked through
 * pass by pass. Only a pass that reached the end starts the next one a margin before the newest event read, for events
 * stamped earlier that committed late.
 */
final class StoreCursor {

    /** An event read from the store (null when it does not matter to recovery) and its time. */
    record Stored(long time, RecoveryEvent event) {
    }

    /** Reads up to a page of events with time {@code >= from}, in time order, skipping the first {@code skip}. */
    @FunctionalInterface
    interface Page {
        List<Stored> read(long from, int skip);
    }

    /**
     * Where a key stands: the newest event time read ({@code high}), where the next pass starts when the last one
     * stopped at its cap ({@code time}, {@code skip}), and whether the last pass reached the end.
     */
    record Position(long high, long time, int skip, boolean atEnd) {
    }

    /** What one pass of one key did. */
    record Pass(int added, int read, Position reached) {
    }

    private final int page;
    private final int maxRowsPerPass;
    private final long lateCommitMarginMillis;
    private final long lookbackMillis;
    private final Map<String, Position> positions = new ConcurrentHashMap<>();

    StoreCursor(int page, int maxRowsPerPass, long lateCommitMarginMillis, long lookbackMillis) {
        this.page = page;
        this.maxRowsPerPass = maxRowsPerPass;
        this.lateCommitMarginMillis = lateCommitMarginMillis;
        this.lookbackMillis = lookbackMillis;
    }

    /**
     * One pass over one key: reads from where the key stands ({@code now} is used only for the first pass's lookback),
     * hands each page's events to {@code write} (which returns how many were new). Does not move the key's position:
     * the caller does that with {@link #advance} once the writes are committed.
     */
    Pass pass(String key, long now, Page reader, ToIntFunction<List<RecoveryEvent>> write) {
        Position at = positions.get(key);
        long high;
        long last;
        int skip;
        if (at == null) {
            high = now - lookbackMillis;
            last = high;
            skip = 0;
        } else if (at.atEnd()) {
            high = at.high();
            last = at.high() - lateCommitMarginMillis;
            skip = 0;
        } else {
            high = at.high();
            last = at.time();
            skip = at.skip();
        }
        int added = 0;
        int read = 0;
        boolean atEnd = false;
        while (read < maxRowsPerPass) {
            List<Stored> rows = reader.read(last, skip);
            read += rows.size();
            List<RecoveryEvent> events = new ArrayList<>();
            for (Stored s : rows) {
                if (s.time() > last) {
                    last = s.time();
                    skip = 0;
                }
                skip++;
                high = Math.max(high, s.time());
                if (s.event() != null) {
                    events.add(s.event());
                }
            }
            added += write.applyAsInt(events);
            if (rows.size() < page) {
                atEnd = true;
                break;
            }
        }
        return new Pass(added, read, new Position(high, last, skip, atEnd));
    }

    /** Moves a key to where a committed pass got. */
    void advance(String key, Position reached) {
        positions.put(key, reached);
    }

    /** The key's position, or null before its first committed pass. */
    Position position(String key) {
        return positions.get(key);
    }

    /** Keys whose last pass stopped at the row cap (still catching up). */
    int behind() {
        return (int) positions.values().stream().filter(p -> !p.atEnd()).count();
    }

    /** Milliseconds between now and the oldest point a key still has to read from (0 when every key is caught up). */
    long lagMillis(long now) {
        return positions.values().stream().filter(p -> !p.atEnd()).mapToLong(p -> Math.max(0, now - p.time()))
                .max().orElse(0);
    }
}
