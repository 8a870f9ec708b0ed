package io.governedrecovery.core.risk;

/**
 * An open-addressing hash table keyed by non-zero 64-bit hashes, with per-slot state kept by subclasses in
 * primitive arrays (no object per key). It grows by doubling up to a fixed number of keys; when full, it first drops
 * expired slots, and refuses new keys if that frees nothing. Not thread-safe: one scoring thread owns it.
 */
abstract class LongKeyTable {

    private static final double MAX_LOAD = 0.75;

    protected long[] keys;
    private int mask;
    private int size;
    private final int maxKeys;
    private long refused;

    LongKeyTable(int expectedKeys, int maxKeys) {
        this.maxKeys = maxKeys;
        int capacity = capacityFor(Math.min(expectedKeys, maxKeys));
        keys = new long[capacity];
        mask = capacity - 1;
        allocate(capacity);
    }

    private static int capacityFor(int keys) {
        int capacity = 16;
        while (capacity * MAX_LOAD < keys) {
            capacity <<= 1;
        }
        return capacity;
    }

    /** Allocates the state columns for {@code capacity} slots. */
    protected abstract void allocate(int capacity);

    /** Copies the state of old slot {@code from} (columns as they were before {@link #allocate}) to slot {@code to}. */
    protected abstract void copy(Object oldColumns, int from, int to);

    /** The current state columns, handed back to {@link #copy} after a reallocation. */
    protected abstract Object columns();

    /** Resets the state of a newly taken slot. */
    protected abstract void clear(int slot);

    /** Whether a slot holds nothing worth keeping at {@code now}. */
    protected abstract boolean expired(int slot, long now);

    private static int spread(long key) {
        return (int) (key ^ (key >>> 29) ^ (key >>> 47));
    }

    /** The slot of {@code key}, or -1. */
    protected final int find(long key) {
        int i = spread(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The slot of {@code key}, taking a new one if needed; -1 when the table is full of live keys. */
    protected final int findOrAdd(long key, long now) {
        int i = spread(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                break;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > keys.length * MAX_LOAD || size + 1 > maxKeys) {
            if (!makeRoom(now)) {
                refused++;
                return -1;
            }
            return findOrAdd(key, now);
        }
        keys[i] = key;
        size++;
        clear(i);
        return i;
    }

    /** Grows while below the key limit; at the limit, drops expired keys. True when a key can be added now. */
    private boolean makeRoom(long now) {
        if (size + 1 <= maxKeys && keys.length < capacityFor(maxKeys)) {
            rehash(keys.length * 2, now, false);
            return true;
        }
        int before = size;
        rehash(keys.length, now, true);
        return size < before;
    }

    private void rehash(int capacity, long now, boolean dropExpired) {
        long[] oldKeys = keys;
        Object old = columns();
        keys = new long[capacity];
        mask = capacity - 1;
        size = 0;
        allocate(capacity);
        for (int from = 0; from < oldKeys.length; from++) {
            long key = oldKeys[from];
            if (key == 0) {
                continue;
            }
            if (dropExpired && expiredIn(old, from, now)) {
                continue;
            }
            int to = spread(key) & mask;
            while (keys[to] != 0) {
                to = (to + 1) & mask;
            }
            keys[to] = key;
            size++;
            copy(old, from, to);
        }
    }

    /** Whether old slot {@code slot} (in {@code oldColumns}) is expired; tables answer from the old columns. */
    protected abstract boolean expiredIn(Object oldColumns, int slot, long now);

    final int size() {
        return size;
    }

    final long refused() {
        return refused;
    }

    /** Approximate bytes held per key slot (keys plus columns), for the memory benchmark. */
    abstract int bytesPerSlot();

    final long bytes() {
        return (long) keys.length * bytesPerSlot();
    }
}
