package io.governedrecovery.events.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.governedrecovery.core.event.RecoveryEvent;

/** The reconciler's read point in Keycloak's event store: bounded passes that always advance, and no clock in it. */
class StoreCursorTest {

    private static final int PAGE = 1000;
    private static final int CAP = 20_000;
    private static final long MARGIN = 120_000;
    private static final long LOOKBACK = 15 * 60_000;

    /** A stand-in for Keycloak's event store: events ordered by time, queried by "time >= from", offset, limit. */
    private static final class Store {
        final List<StoreCursor.Stored> rows = new ArrayList<>();
        boolean sorted = true;

        void add(String id, long time) {
            rows.add(new StoreCursor.Stored(time, new RecoveryEvent(id, time, RecoveryEvent.Kind.USER,
                    "LOGIN_ERROR", "realm", "r", "c", "u", null, "invalid_user_credentials", Map.of())));
            sorted = false;
        }

        List<StoreCursor.Stored> read(long from, int skip) {
            if (!sorted) {
                rows.sort(Comparator.comparingLong(StoreCursor.Stored::time)); // stable: ties keep their order
                sorted = true;
            }
            return rows.stream().filter(r -> r.time() >= from).skip(skip).limit(PAGE).toList();
        }
    }

    private final StoreCursor cursor = new StoreCursor(PAGE, CAP, MARGIN, LOOKBACK);
    private final Set<String> written = new HashSet<>();

    private StoreCursor.Pass pass(Store store, long now) {
        StoreCursor.Pass pass = cursor.pass("realm/user", now, store::read, events -> {
            int added = 0;
            for (RecoveryEvent e : events) {
                if (written.add(e.id())) {
                    added++;
                }
            }
            return added;
        });
        cursor.advance("realm/user", pass.reached()); // the pass's writes committed
        return pass;
    }

    @Test
    void a_burst_larger_than_the_cap_within_the_margin_is_worked_through() {
        long t0 = 1_700_000_000_000L;
        Store store = new Store();
        // 45,000 stored events within 90 s (ordinary sign-ins count too), many in the same millisecond.
        for (int i = 0; i < 45_000; i++) {
            store.add("e" + i, t0 + i * 2L);
        }
        long now = t0 + 100_000;
        int passes = 0;
        while (written.size() < 45_000 && passes < 10) {
            StoreCursor.Pass pass = pass(store, now);
            assertThat(pass.read()).isLessThanOrEqualTo(CAP + PAGE);
            passes++;
        }
        assertThat(written).as("every stored event reached the outbox").hasSize(45_000);
        assertThat(passes).isLessThanOrEqualTo(3);
        assertThat(cursor.behind()).isZero();
        // Caught up: later passes re-read the margin (capped, resumed) and find a late event stamped inside it.
        store.add("late", t0 + 89_000);
        int added = 0;
        for (int i = 0; i < 3 && added == 0; i++) {
            added += pass(store, now + 60_000).added();
        }
        assertThat(added).isEqualTo(1);
        assertThat(written).contains("late");
    }

    @Test
    void a_pass_stopped_in_a_millisecond_with_more_events_resumes_inside_it() {
        long t0 = 1_700_000_000_000L;
        Store store = new Store();
        for (int i = 0; i < 30_000; i++) {
            store.add("same-ms-" + i, t0 + (i < 5_000 ? i : 5_000)); // 25,000 events in one millisecond
        }
        StoreCursor.Pass first = pass(store, t0 + 10_000);
        assertThat(first.reached().atEnd()).isFalse();
        assertThat(cursor.behind()).isEqualTo(1);
        assertThat(cursor.lagMillis(t0 + 10_000)).isPositive();
        pass(store, t0 + 10_000);
        assertThat(written).hasSize(30_000);
        assertThat(cursor.behind()).isZero();
    }

    @Test
    void a_clock_stepping_forward_does_not_move_the_read_point() {
        long t0 = 1_700_000_000_000L;
        Store store = new Store();
        store.add("before", t0 - 1_000);
        pass(store, t0);
        // The node's clock steps an hour forward for a pass; nothing new is stored meanwhile.
        pass(store, t0 + 3_600_000);
        assertThat(cursor.position("realm/user").high()).as("the read point follows what was read")
                .isEqualTo(t0 - 1_000);
        // A commit stalled for five minutes (stamped before the step) appears now: it is still found.
        store.add("stalled", t0 + 10_000);
        pass(store, t0 + 3_600_000);
        assertThat(written).containsExactlyInAnyOrder("before", "stalled");
    }

    @Test
    void the_first_pass_looks_back_and_an_empty_store_keeps_the_read_point() {
        long t0 = 1_700_000_000_000L;
        Store store = new Store();
        store.add("too-old", t0 - LOOKBACK - MARGIN - 10);
        store.add("recent", t0 - LOOKBACK + 1);
        pass(store, t0);
        pass(store, t0 + 3_600_000);
        assertThat(written).containsExactly("recent");
        assertThat(cursor.position("realm/user").high()).isEqualTo(t0 - LOOKBACK + 1);
    }
}
