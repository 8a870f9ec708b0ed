package io.governedrecovery.core.risk;

/**
 * An open-addressing hash table keyed by non-zero 64-bit hashes, with per-slot state kept by subclasses in
 * primitive arrays (no object per key). It grows by doubling up to a fixed number of keys; when full, a new key
 * evicts an old one: an expired key if the sample holds one, else the least recently used of a small random sample
 * (approximate LRU, constant work per new key). So junk keys (typed names, rotating addresses) can never lock new
 * subjects out, and a full table costs no more per event than an empty one. Not thread-safe: one scoring thread owns
 * it.
 */
abstract class LongKeyTable {

    private static final double MAX_LOAD = 0.75;
    /** Occupied slots looked at to choose a victim. */
    private static final int SAMPLE = 16;

    protected long[] keys;
    private int[] lastUsed;
    private int mask;
    private int size;
    private final int maxKeys;
    private long evicted;
    private int tick;
    private long random = 0x9E3779B97F4A7C15L;

    LongKeyTable(int expectedKeys, int maxKeys) {
        this.maxKeys = maxKeys;
        int capacity = capacityFor(Math.min(expectedKeys, maxKeys));
        keys = new long[capacity];
        lastUsed = new int[capacity];
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

    /**
     * Copies the state of slot {@code from} of {@code oldColumns} (columns as they were before {@link #allocate}, or
     * the current ones when slots move within the table) to slot {@code to}.
     */
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

    /**
     * The slot of {@code key}, taking a new one if needed (evicting an expired or least recently used key when the
     * table is full); marks the key as just used. Never -1.
     */
    protected final int findOrAdd(long key, long now) {
        int i = spread(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                lastUsed[i] = ++tick;
                return i;
            }
            if (k == 0) {
                break;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > keys.length * MAX_LOAD || size + 1 > maxKeys) {
            if (size + 1 <= maxKeys && keys.length < capacityFor(maxKeys)) {
                rehash(keys.length * 2);
            } else {
                evictOne(now);
            }
            return findOrAdd(key, now);
        }
        keys[i] = key;
        lastUsed[i] = ++tick;
        size++;
        clear(i);
        return i;
    }

    /** Removes one key: the first expired one of a random sample, else the sample's least recently used. */
    private void evictOne(long now) {
        int start = nextRandom() & mask;
        int victim = -1;
        int seen = 0;
        for (int n = 0, i = start; n < keys.length && seen < SAMPLE; n++, i = (i + 1) & mask) {
            if (keys[i] == 0) {
                continue;
            }
            seen++;
            if (expired(i, now)) {
                victim = i;
                break;
            }
            if (victim < 0 || lastUsed[i] - lastUsed[victim] < 0) {
                victim = i;
            }
        }
        if (victim >= 0) {
            remove(victim);
            evicted++;
        }
    }

    /** Empties a slot, moving later keys of its probe run back (backward-shift deletion: no tombstones). */
    private void remove(int slot) {
        Object columns = columns();
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == 0) {
                break;
            }
            int home = spread(k) & mask;
            boolean movable = hole < j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = k;
                lastUsed[hole] = lastUsed[j];
                copy(columns, j, hole);
                hole = j;
            }
        }
        keys[hole] = 0;
        clear(hole);
        size--;
    }

    private int nextRandom() {
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        return (int) (random >>> 32);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldUsed = lastUsed;
        Object old = columns();
        keys = new long[capacity];
        lastUsed = new int[capacity];
        mask = capacity - 1;
        size = 0;
        allocate(capacity);
        for (int from = 0; from < oldKeys.length; from++) {
            long key = oldKeys[from];
            if (key == 0) {
                continue;
            }
            int to = spread(key) & mask;
            while (keys[to] != 0) {
                to = (to + 1) & mask;
            }
            keys[to] = key;
            lastUsed[to] = oldUsed[from];
            size++;
            copy(old, from, to);
        }
    }

    final int size() {
        return size;
    }

    /** Keys evicted to make room for new ones since the table was made. */
    final long evicted() {
        return evicted;
    }

    /** Approximate bytes held per key slot (keys, use stamp and columns), for the memory benchmark. */
    abstract int bytesPerSlot();

    final long bytes() {
        return (long) keys.length * (bytesPerSlot() + 4);
    }
}
