package io.governedrecovery.core.risk;

/** The small per-user histories the scorer keeps: recent source subnets, and the last recovery-method change. */
final class SmallTables {

    private SmallTables() {
    }

    /** Per user, up to four recent source subnets (hashes) and how often the user was seen. 8 + 16 + 1 + 4 bytes. */
    static final class Subnets extends LongKeyTable {
        private static final int KEEP = 4;
        private final long retainMillis;
        private int[] subnets;
        private byte[] seen;
        private int[] lastMinute;

        private record Columns(int[] subnets, byte[] seen, int[] lastMinute) {
        }

        Subnets(long retainMillis, int expectedKeys, int maxKeys) {
            super(expectedKeys, maxKeys);
            this.retainMillis = retainMillis;
        }

        @Override
        protected void allocate(int capacity) {
            subnets = new int[capacity * KEEP];
            seen = new byte[capacity];
            lastMinute = new int[capacity];
        }

        @Override
        protected Object columns() {
            return new Columns(subnets, seen, lastMinute);
        }

        @Override
        protected void copy(Object oldColumns, int from, int to) {
            Columns old = (Columns) oldColumns;
            System.arraycopy(old.subnets(), from * KEEP, subnets, to * KEEP, KEEP);
            seen[to] = old.seen()[from];
            lastMinute[to] = old.lastMinute()[from];
        }

        @Override
        protected void clear(int slot) {
            for (int i = slot * KEEP; i < slot * KEEP + KEEP; i++) {
                subnets[i] = 0;
            }
            seen[slot] = 0;
            lastMinute[slot] = 0;
        }

        @Override
        protected boolean expired(int slot, long now) {
            return (long) lastMinute[slot] * 60_000 + retainMillis < now;
        }

        /**
         * Records that {@code user} came from {@code subnet}; returns how often the user had been seen before when the
         * subnet is new to the user, or -1 when it is known (or the key was refused).
         */
        int observe(long user, int subnet, long time) {
            int slot = findOrAdd(user, time);
            if (slot < 0) {
                return -1;
            }
            lastMinute[slot] = (int) (time / 60_000);
            int before = seen[slot] & 0xff;
            if (before < 255) {
                seen[slot]++;
            }
            int base = slot * KEEP;
            for (int i = base; i < base + KEEP; i++) {
                if (subnets[i] == subnet) {
                    return -1;
                }
            }
            System.arraycopy(subnets, base, subnets, base + 1, KEEP - 1);
            subnets[base] = subnet;
            return before;
        }

        @Override
        int bytesPerSlot() {
            return 8 + 4 * KEEP + 1 + 4;
        }
    }

    /** Per user, the minute of the last recovery-method change. 8 + 4 bytes. */
    static final class LastChange extends LongKeyTable {
        private final long retainMillis;
        private int[] minute;

        LastChange(long retainMillis, int expectedKeys, int maxKeys) {
            super(expectedKeys, maxKeys);
            this.retainMillis = retainMillis;
        }

        @Override
        protected void allocate(int capacity) {
            minute = new int[capacity];
        }

        @Override
        protected Object columns() {
            return minute;
        }

        @Override
        protected void copy(Object oldColumns, int from, int to) {
            minute[to] = ((int[]) oldColumns)[from];
        }

        @Override
        protected void clear(int slot) {
            minute[slot] = 0;
        }

        @Override
        protected boolean expired(int slot, long now) {
            return (long) minute[slot] * 60_000 + retainMillis < now;
        }

        void record(long user, long time) {
            int slot = findOrAdd(user, time);
            if (slot >= 0) {
                minute[slot] = Math.max(minute[slot], (int) (time / 60_000));
            }
        }

        /** Epoch millis of the user's last change, or -1. */
        long last(long user) {
            int slot = find(user);
            return slot < 0 ? -1 : (long) minute[slot] * 60_000;
        }

        @Override
        int bytesPerSlot() {
            return 8 + 4;
        }
    }
}
