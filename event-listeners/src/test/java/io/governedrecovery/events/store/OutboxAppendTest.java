package io.governedrecovery.events.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;

/**
 * The outbox's own logic, against a fake database: how an append settles conflicts with another writer of the same
 * ids (two nodes raising one finding, the intake and a reconciler), the size of its {@code in} lists, and the backlog
 * per sink. The queries themselves run against H2 and PostgreSQL in the integration tests.
 */
class OutboxAppendTest {

    /**
     * A database with a unique id per record, and another writer that stores the ids scripted for a transaction
     * between that transaction's read of the stored ids and its commit, as a concurrent node would.
     */
    private static final class Database {
        final List<String> committed = new ArrayList<>();
        final Map<Integer, List<String>> racing = new HashMap<>();
        final Map<Integer, RuntimeException> failing = new HashMap<>();
        int transactions;

        final ToIntFunction<List<OutboxRecord>> inTransaction = batch -> {
            int n = ++transactions;
            Set<String> existing = new HashSet<>(committed);
            List<String> mine = batch.stream().map(OutboxRecord::id).filter(id -> !existing.contains(id)).toList();
            for (String id : racing.getOrDefault(n, List.of())) {
                if (!committed.contains(id)) {
                    committed.add(id);
                }
            }
            if (failing.containsKey(n)) {
                throw failing.get(n);
            }
            if (mine.stream().anyMatch(committed::contains)) {
                // As Keycloak reports a unique-key violation at commit: the whole transaction is rolled back.
                throw new RuntimeException("commit failed", new ModelDuplicateException("Duplicate resource error"));
            }
            committed.addAll(mine);
            return mine.size();
        };
    }

    private static List<OutboxRecord> records(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new OutboxRecord(id, OutboxRecord.Kind.USER, "realm",
                "LOGIN_ERROR", 1L, "u", "10.0.0.1", null, null, "{}", 0, 0)).toList();
    }

    @Test
    void without_a_conflict_one_transaction_stores_every_new_record() {
        Database db = new Database();
        assertThat(Outbox.appendSettlingConflicts(records("a", "b", "c"), db.inTransaction)).isEqualTo(3);
        assertThat(db.transactions).isOne();
        assertThat(db.committed).containsExactly("a", "b", "c");
    }

    @Test
    void nothing_to_append_opens_no_transaction() {
        Database db = new Database();
        assertThat(Outbox.appendSettlingConflicts(List.of(), db.inTransaction)).isZero();
        assertThat(db.transactions).isZero();
    }

    @Test
    void a_conflict_is_retried_once_and_the_retry_skips_what_the_other_writer_stored() {
        Database db = new Database();
        db.racing.put(1, List.of("b"));
        assertThat(Outbox.appendSettlingConflicts(records("a", "b", "c"), db.inTransaction)).isEqualTo(2);
        assertThat(db.transactions).isEqualTo(2);
        assertThat(db.committed).containsExactlyInAnyOrder("a", "b", "c").doesNotHaveDuplicates();
    }

    @Test
    void conflicts_that_go_on_are_settled_record_by_record_and_nothing_is_lost_or_doubled() {
        Database db = new Database();
        db.racing.put(1, List.of("b"));
        db.racing.put(2, List.of("c"));
        db.racing.put(6, List.of("d")); // even record by record, the other writer stores d first
        assertThat(Outbox.appendSettlingConflicts(records("a", "b", "c", "d"), db.inTransaction)).isEqualTo(1);
        assertThat(db.transactions).isEqualTo(6);
        assertThat(db.committed).containsExactlyInAnyOrder("a", "b", "c", "d").doesNotHaveDuplicates();
    }

    @Test
    void a_first_failure_of_another_kind_is_retried_too() {
        Database db = new Database();
        db.failing.put(1, new ModelException("deadlock detected"));
        assertThat(Outbox.appendSettlingConflicts(records("a", "b"), db.inTransaction)).isEqualTo(2);
        assertThat(db.committed).containsExactly("a", "b");
    }

    @Test
    void a_second_failure_that_is_no_conflict_is_thrown_with_the_first_and_nothing_is_swallowed() {
        Database db = new Database();
        db.racing.put(1, List.of("a"));
        ModelException down = new ModelException("Database operation failed");
        db.failing.put(2, down);
        assertThatThrownBy(() -> Outbox.appendSettlingConflicts(records("a", "b"), db.inTransaction))
                .isSameAs(down)
                .satisfies(t -> assertThat(t.getSuppressed()).singleElement()
                        .satisfies(first -> assertThat(Outbox.duplicate(first)).isTrue()));
        assertThat(db.committed).containsExactly("a").as("only the other writer's record");
    }

    @Test
    void a_failure_that_is_no_conflict_while_going_record_by_record_is_thrown() {
        Database db = new Database();
        db.racing.put(1, List.of("a"));
        db.racing.put(2, List.of("b"));
        ModelException down = new ModelException("Database operation failed");
        db.failing.put(4, down); // c, after a and b were found stored
        assertThatThrownBy(() -> Outbox.appendSettlingConflicts(records("a", "b", "c"), db.inTransaction))
                .isSameAs(down);
        assertThat(db.committed).containsExactly("a", "b");
    }

    @Test
    void in_lists_are_cut_into_pieces_of_500() {
        List<Integer> all = IntStream.range(0, 1001).boxed().toList();
        List<List<Integer>> chunks = Outbox.chunks(all);
        assertThat(chunks).extracting(List::size).containsExactly(500, 500, 1);
        assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(all);
        assertThat(Outbox.chunks(List.of())).isEmpty();
        assertThat(Outbox.chunks(IntStream.range(0, 500).boxed().toList())).hasSize(1);
    }

    @Test
    void the_backlog_has_one_entry_per_sink_with_its_pending_parked_and_oldest_pending() {
        List<Object[]> rows = List.of(
                new Object[] {"webhook", DeliveryEntity.PARKED, 2L, null},
                new Object[] {"webhook", DeliveryEntity.PENDING, 5L, 1_000L},
                new Object[] {"file", DeliveryEntity.PARKED, 1, null},
                new Object[] {"syslog", DeliveryEntity.PENDING, 7, 2_000});
        Map<String, Outbox.Backlog> backlog = Outbox.backlogOf(rows);
        assertThat(backlog).containsOnlyKeys("webhook", "file", "syslog");
        assertThat(backlog.get("webhook")).isEqualTo(new Outbox.Backlog("webhook", 5, 2, 1_000));
        assertThat(backlog.get("file")).isEqualTo(new Outbox.Backlog("file", 0, 1, 0));
        assertThat(backlog.get("syslog")).isEqualTo(new Outbox.Backlog("syslog", 7, 0, 2_000));
    }
}
