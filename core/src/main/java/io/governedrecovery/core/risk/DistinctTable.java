package io.governedrecovery.core.risk;

/**
 * Per key, the distinct members seen in the current fixed window, up to a limit (for example the users one IP
 * address touched in ten minutes, up to the alert threshold). Each key costs 8 + 4 + 1 + 4 bytes per member kept.
 */
final class DistinctTable extends LongKeyTable {

    private final long windowMillis;
    private final int limit;
    private int[] window;
    private byte[] count;
    private int[] members;

    private record Columns(int[] window, byte[] count, int[] members) {
    }

    DistinctTable(long windowMillis, int limit, int expectedKeys, int maxKeys) {
        super(expectedKeys, maxKeys);
        if (limit < 1 || limit > 127) {
            throw new IllegalArgumentException("limit 1 to 127");
        }
        this.windowMillis = windowMillis;
        this.limit = limit;
        allocate(keys.length);
    }

    @Override
    protected void allocate(int capacity) {
        window = new int[capacity];
        count = new byte[capacity];
        members = new int[capacity * Math.max(limit, 1)];
    }

    @Override
    protected Object columns() {
        return new Columns(window, count, members);
    }

    @Override
    protected void copy(Object oldColumns, int from, int to) {
        Columns old = (Columns) oldColumns;
        window[to] = old.window()[from];
        count[to] = old.count()[from];
        System.arraycopy(old.members(), from * limit, members, to * limit, limit);
    }

    @Override
    protected void clear(int slot) {
        window[slot] = Integer.MIN_VALUE;
        count[slot] = 0;
    }

    @Override
    protected boolean expired(int slot, long now) {
        return window[slot] < (int) (now / windowMillis);
    }

    /**
     * Adds {@code member} to {@code key}'s set for the window of {@code time}; returns the number of distinct
     * members (capped at the limit), or -1 if the key was refused. Returns {@code limit} exactly once per window,
     * at the member that reached it; later calls in the window return {@code limit + 1}.
     */
    int add(long key, int member, long time) {
        int slot = findOrAdd(key, time);
        if (slot < 0) {
            return -1;
        }
        int w = (int) (time / windowMillis);
        if (window[slot] != w) {
            if (w < window[slot]) {
                return 0; // an event from an earlier window: no longer counted
            }
            window[slot] = w;
            count[slot] = 0;
        }
        int n = count[slot];
        if (n > limit) {
            return limit + 1;
        }
        int base = slot * limit;
        for (int i = base; i < base + Math.min(n, limit); i++) {
            if (members[i] == member) {
                return n == limit ? limit + 1 : n;
            }
        }
        if (n == limit) {
            count[slot] = (byte) (limit + 1);
            return limit + 1;
        }
        members[base + n] = member;
        count[slot] = (byte) (n + 1);
        return n + 1;
    }

    int window(long time) {
        return (int) (time / windowMillis);
    }

    @Override
    int bytesPerSlot() {
        return 8 + 4 + 1 + 4 * limit;
    }
}
