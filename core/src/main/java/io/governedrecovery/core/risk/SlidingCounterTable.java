package io.governedrecovery.core.risk;

import java.util.Arrays;

/**
 * Per-key counts over a sliding window made of {@code buckets} fixed buckets (for example 10 buckets of one minute).
 * Each key costs 8 (key) + 4 (newest bucket) + 4 (last finding) + one byte per bucket; counts saturate at 255.
 */
final class SlidingCounterTable extends LongKeyTable {

    private final long bucketMillis;
    private final int buckets;
    private int[] newest;
    private long[] fired;
    private byte[] counts;

    private record Columns(int[] newest, long[] fired, byte[] counts) {
    }

    SlidingCounterTable(long windowMillis, int buckets, int expectedKeys, int maxKeys) {
        super(expectedKeys, maxKeys);
        if (buckets < 1 || buckets > 60) {
            throw new IllegalArgumentException("buckets 1 to 60");
        }
        this.buckets = buckets;
        this.bucketMillis = Math.max(1, windowMillis / buckets);
        // Columns are allocated by the super constructor before 'buckets' was known: size them now.
        allocate(keys.length);
    }

    @Override
    protected void allocate(int capacity) {
        newest = new int[capacity];
        fired = new long[capacity];
        counts = new byte[capacity * Math.max(buckets, 1)];
    }

    @Override
    protected Object columns() {
        return new Columns(newest, fired, counts);
    }

    @Override
    protected void copy(Object oldColumns, int from, int to) {
        Columns old = (Columns) oldColumns;
        newest[to] = old.newest()[from];
        fired[to] = old.fired()[from];
        System.arraycopy(old.counts(), from * buckets, counts, to * buckets, buckets);
    }

    @Override
    protected void clear(int slot) {
        newest[slot] = Integer.MIN_VALUE;
        fired[slot] = Long.MIN_VALUE;
        Arrays.fill(counts, slot * buckets, slot * buckets + buckets, (byte) 0);
    }

    @Override
    protected boolean expired(int slot, long now) {
        return newest[slot] < bucket(now) - buckets;
    }

    private int bucket(long time) {
        return (int) (time / bucketMillis);
    }

    /** Counts one event of {@code key} at {@code time}; returns the window's total, or -1 if the key was refused. */
    int add(long key, long time) {
        int slot = findOrAdd(key, time);
        if (slot < 0) {
            return -1;
        }
        int b = bucket(time);
        int base = slot * buckets;
        int last = newest[slot];
        if (last == Integer.MIN_VALUE || b - last >= buckets) {
            Arrays.fill(counts, base, base + buckets, (byte) 0);
            newest[slot] = b;
        } else if (b > last) {
            for (int x = last + 1; x <= b; x++) {
                counts[base + Math.floorMod(x, buckets)] = 0;
            }
            newest[slot] = b;
        } else if (b <= last - buckets) {
            return total(base); // older than the window: does not count
        }
        int i = base + Math.floorMod(b, buckets);
        if (counts[i] != (byte) 0xff) {
            counts[i]++;
        }
        return total(base);
    }

    private int total(int base) {
        int sum = 0;
        for (int i = base; i < base + buckets; i++) {
            sum += counts[i] & 0xff;
        }
        return sum;
    }

    /** Marks that a finding fired for {@code key} in window {@code window}; false if it already had. */
    boolean fireOnce(long key, long window) {
        int slot = find(key);
        if (slot < 0 || fired[slot] == window) {
            return false;
        }
        fired[slot] = window;
        return true;
    }

    @Override
    int bytesPerSlot() {
        return 8 + 4 + 8 + buckets;
    }
}
