package io.governedrecovery.events.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;

import io.governedrecovery.events.runtime.PipelineHooks;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.store.OutboxRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The sink runner against an in-memory outbox and a scripted receiver: at least once, in order, acknowledged only after
 * the receiver took a batch, nothing acknowledged without the lease, a refused record found and parked while every
 * other record goes, and a receiver that is away changing nothing.
 */
class SinkRunnerTest {

    private static final int PARK_AFTER = 3;

    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), () -> 0);
    private final ScriptedSink sink = new ScriptedSink();

    /** A receiver that records what it accepted and refuses as told. */
    static class ScriptedSink implements EventSink {
        final List<List<String>> accepted = new ArrayList<>();
        Set<String> refusedIds = Set.of();
        Set<String> unreadableIds = Set.of();
        DeliveryException away;
        Consumer<List<Encoded>> during = b -> { };

        @Override
        public String name() {
            return "test";
        }

        @Override
        public byte[] encode(OutboxRecord record) {
            if (unreadableIds.contains(record.id())) {
                throw new IllegalStateException("unreadable payload");
            }
            return record.payload().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void deliver(List<Encoded> batch) throws DeliveryException {
            during.accept(batch);
            if (away != null) {
                throw away;
            }
            if (batch.stream().anyMatch(e -> refusedIds.contains(e.record().id()))) {
                throw DeliveryException.refused("400 Bad Request");
            }
            accepted.add(batch.stream().map(e -> e.record().id()).toList());
        }

        @Override
        public void close() {
        }
    }

    private SinkRunner runner(EventSink s, int batchSize, int maxBytes) {
        return new SinkRunner(s, outbox, outbox, metrics, "node-1", 60_000, batchSize, maxBytes, PARK_AFTER, 0,
                PipelineHooks.NONE, null);
    }

    private void addRecords(int n) {
        for (int i = 1; i <= n; i++) {
            outbox.add("e" + i);
        }
    }

    private static void drain(SinkRunner runner) {
        for (int i = 0; i < 50; i++) {
            runner.round();
        }
    }

    @Test
    void records_go_in_order_in_batches_capped_by_count_and_bytes_and_are_acknowledged_after_the_receiver_took_them() {
        addRecords(7);
        // each payload is 13 bytes, plus 32 of framing: 45 per record, so at most 2 fit in 100 bytes
        SinkRunner runner = runner(sink, 3, 100);
        sink.during = batch -> assertThat(outbox.acknowledged).as("nothing acknowledged before the receiver answered")
                .doesNotContain(batch.get(0).record().seq());
        drain(runner);
        assertThat(sink.accepted).containsExactly(List.of("e1", "e2"), List.of("e3", "e4"), List.of("e5", "e6"),
                List.of("e7"));
        assertThat(outbox.pendingIds()).isEmpty();
        assertThat(outbox.acknowledged).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void a_lone_record_larger_than_the_byte_cap_still_goes() {
        addRecords(2);
        SinkRunner runner = runner(sink, 10, 1);
        drain(runner);
        assertThat(sink.accepted).containsExactly(List.of("e1"), List.of("e2"));
    }

    @Test
    void a_receiver_that_is_away_changes_nothing_and_gets_everything_once_it_is_back() {
        addRecords(4);
        sink.away = DeliveryException.unavailable("connection refused", null);
        SinkRunner runner = runner(sink, 10, 1 << 20);
        drain(runner);
        assertThat(outbox.pendingIds()).containsExactly("e1", "e2", "e3", "e4");
        assertThat(outbox.rows.values()).allSatisfy(r -> assertThat(r.attempts).as("never counted against a record")
                .isZero());
        sink.away = null;
        drain(runner);
        assertThat(sink.accepted).containsExactly(List.of("e1", "e2", "e3", "e4"));
        assertThat(outbox.pendingIds()).isEmpty();
    }

    @Test
    void a_refused_record_is_narrowed_down_and_parked_after_its_refusals_and_every_other_record_is_delivered() {
        addRecords(8);
        sink.refusedIds = Set.of("e5");
        SinkRunner runner = runner(sink, 8, 1 << 20);
        drain(runner);
        assertThat(outbox.parkedIds()).containsExactly("e5");
        assertThat(outbox.rows.values()).singleElement().satisfies(r -> {
            assertThat(r.attempts).isEqualTo(PARK_AFTER);
            assertThat(r.error).contains("400");
        });
        assertThat(sink.accepted.stream().flatMap(List::stream).toList())
                .containsExactly("e1", "e2", "e3", "e4", "e6", "e7", "e8");
        assertThat(outbox.pendingIds()).isEmpty();
    }

    @Test
    void an_unreadable_record_is_parked_at_once_and_the_rest_go() {
        addRecords(3);
        sink.unreadableIds = Set.of("e2");
        drain(runner(sink, 10, 1 << 20));
        assertThat(outbox.parkedIds()).containsExactly("e2");
        assertThat(sink.accepted.stream().flatMap(List::stream).toList()).containsExactly("e1", "e3");
    }

    @Test
    void a_node_that_lost_the_lease_during_a_delivery_acknowledges_nothing_and_stops() {
        addRecords(3);
        SinkRunner runner = runner(sink, 10, 1 << 20);
        sink.during = batch -> outbox.takenOverBy("node-2");
        runner.round();
        assertThat(sink.accepted).containsExactly(List.of("e1", "e2", "e3"));
        assertThat(outbox.acknowledged).as("the new holder sends the batch again: a duplicate, never a loss").isEmpty();
        assertThat(outbox.pendingIds()).containsExactly("e1", "e2", "e3");
        sink.during = batch -> { };
        drain(runner);
        assertThat(sink.accepted).as("no second delivery from the node without the lease").hasSize(1);
        assertThat(runner.leaseHeld()).isZero();
    }

    @Test
    void a_database_that_is_away_changes_nothing_and_the_backlog_flows_once_it_is_back() {
        addRecords(2);
        SinkRunner runner = runner(sink, 10, 1 << 20);
        outbox.down = new IllegalStateException("connection is not available");
        drain(runner);
        assertThat(sink.accepted).isEmpty();
        outbox.down = null;
        drain(runner);
        assertThat(sink.accepted).containsExactly(List.of("e1", "e2"));
    }

    @Test
    void a_transactional_sinks_own_failure_counts_against_the_record_and_a_database_failure_does_not() {
        addRecords(2);
        List<String> applied = new ArrayList<>();
        RuntimeException[] failure = {new jakarta.persistence.PessimisticLockException("deadlock detected")};
        TransactionalSink notices = new TransactionalSink() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public byte[] encode(OutboxRecord record) {
                return record.payload().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void deliver(KeycloakSession session, List<Encoded> batch) {
                if (failure[0] != null) {
                    throw failure[0];
                }
                batch.forEach(e -> applied.add(e.record().id()));
            }

            @Override
            public void close() {
            }
        };
        SinkRunner runner = runner(notices, 10, 1 << 20);
        drain(runner);
        assertThat(outbox.rows.values()).allSatisfy(r -> assertThat(r.attempts).isZero());
        assertThat(outbox.pendingIds()).containsExactly("e1", "e2");
        failure[0] = new IllegalArgumentException("no such notice kind");
        drain(runner);
        assertThat(outbox.parkedIds()).containsExactly("e1", "e2");
        assertThat(applied).isEmpty();
    }
}
