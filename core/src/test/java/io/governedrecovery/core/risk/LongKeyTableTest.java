package io.governedrecovery.core.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LongKeyTableTest {

    /** A table whose slots hold one value per key, to check that state moves with its key. */
    private static final class Values extends LongKeyTable {
        long[] values;
        long expiredBefore = Long.MIN_VALUE;

        Values(int maxKeys) {
            super(16, maxKeys);
        }

        @Override
        protected void allocate(int capacity) {
            values = new long[capacity];
        }

        @Override
        protected Object columns() {
            return values;
        }

        @Override
        protected void copy(Object oldColumns, int from, int to) {
            values[to] = ((long[]) oldColumns)[from];
        }

        @Override
        protected void clear(int slot) {
            values[slot] = 0;
        }

        @Override
        protected boolean expired(int slot, long now) {
            return values[slot] < expiredBefore;
        }

        void put(long key, long value) {
            int slot = findOrAdd(key, 0);
            values[slot] = value;
        }

        Long get(long key) {
            int slot = find(key);
            return slot < 0 ? null : values[slot];
        }

        @Override
        int bytesPerSlot() {
            return 16;
        }
    }

    @Test
    void a_full_table_evicts_instead_of_refusing_and_every_kept_key_keeps_its_own_state() {
        Values table = new Values(1000);
        Random random = new Random(42);
        Map<Long, Long> written = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            long key = random.nextLong() | 1;
            table.put(key, key * 31);
            written.put(key, key * 31);
        }
        assertThat(table.size()).isEqualTo(1000);
        assertThat(table.evicted()).isEqualTo(99_000);
        int found = 0;
        for (Map.Entry<Long, Long> e : written.entrySet()) {
            Long value = table.get(e.getKey());
            if (value != null) {
                assertThat(value).as("state moved with its key").isEqualTo(e.getValue());
                found++;
            }
        }
        assertThat(found).as("every key still in the table is findable").isEqualTo(1000);
    }

    @Test
    void keys_in_use_survive_a_flood_of_new_ones() {
        Values table = new Values(256);
        for (long k = 1; k <= 50_000; k++) {
            table.put(k * 0x9E3779B97F4A7C15L | 1, k);
            // a handful of accounts stay active throughout
            for (long hot = 1; hot <= 8; hot++) {
                table.put(hot * 0x632BE59BD9B4E019L | 1, -hot);
            }
        }
        for (long hot = 1; hot <= 8; hot++) {
            assertThat(table.get(hot * 0x632BE59BD9B4E019L | 1)).as("active key " + hot).isEqualTo(-hot);
        }
    }

    @Test
    void an_expired_key_in_the_sample_goes_first() {
        Values table = new Values(16);
        for (long k = 1; k <= 16; k++) {
            table.put(k * 7919, k == 5 ? -1 : 100 + k);
        }
        table.expiredBefore = 0; // only key 5 holds a value below
        table.put(999_983, 1);
        assertThat(table.get(5 * 7919)).isNull();
        assertThat(table.size()).isEqualTo(16);
    }
}
