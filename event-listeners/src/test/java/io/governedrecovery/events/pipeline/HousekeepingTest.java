package io.governedrecovery.events.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.governedrecovery.events.store.Outbox;

/** Retention keeps up with the event rate, and records waiting for a sink no longer configured are noticed. */
class HousekeepingTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong deletable = new AtomicLong();

    private int deleteChunk(int chunk) {
        nanos.addAndGet(15_000_000L); // each chunk's transaction takes 15 ms
        long n = Math.min(chunk, deletable.get());
        deletable.addAndGet(-n);
        return (int) n;
    }

    @Test
    void an_hour_of_records_at_a_hundred_per_second_is_removed_in_one_pass() {
        deletable.set(360_000); // 100 records/s for an hour: what one hourly pass must remove to keep up
        Housekeeping.Pass pass = Housekeeping.deleteInChunks(this::deleteChunk, Housekeeping.DELETE_CHUNK, nanos::get,
                Housekeeping.RETENTION_BUDGET_NANOS);
        assertThat(pass.removed()).isEqualTo(360_000);
        assertThat(pass.done()).isTrue();
        assertThat(deletable).hasValue(0);
    }

    @Test
    void a_pass_yields_when_its_time_budget_is_spent_and_says_more_is_left() {
        deletable.set(10_000_000);
        Housekeeping.Pass pass = Housekeeping.deleteInChunks(this::deleteChunk, Housekeeping.DELETE_CHUNK, nanos::get,
                Housekeeping.RETENTION_BUDGET_NANOS);
        assertThat(pass.done()).isFalse();
        assertThat(nanos.get()).isLessThanOrEqualTo(Housekeeping.RETENTION_BUDGET_NANOS + 15_000_000L);
        assertThat(pass.removed()).isPositive().isLessThan(10_000_000);
    }

    @Test
    void records_of_a_sink_removed_from_the_configuration_are_reported() {
        Map<String, Outbox.Backlog> bySink = Map.of(
                "webhook", new Outbox.Backlog("webhook", 5, 0, 1),
                "syslog", new Outbox.Backlog("syslog", 120, 3, 1),
                "file", new Outbox.Backlog("file", 0, 0, 0));
        List<Outbox.Backlog> orphaned = Housekeeping.orphaned(bySink, List.of("webhook", "notices"));
        assertThat(orphaned).extracting(Outbox.Backlog::sink).containsExactly("syslog");
    }
}
