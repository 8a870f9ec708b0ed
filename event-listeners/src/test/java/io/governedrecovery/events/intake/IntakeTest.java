package io.governedrecovery.events.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.runtime.PipelineHooks;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A lone event the database refuses while others are written is not given up after a few seconds of retries. */
class IntakeTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), () -> 0);
    private final Set<String> stored = new HashSet<>();
    private volatile boolean refuseBad = true;

    private final Intake intake = new Intake(1000, 50, null, null, null, null, metrics, PipelineHooks.NONE,
            r -> List.of(), this::write, nanos::get);

    private void write(List<RecoveryEvent> events) {
        if (refuseBad && events.stream().anyMatch(e -> e.id().equals("bad"))) {
            throw new IllegalStateException("lock timeout on GOVERNED_RECOVERY_RECORD");
        }
        events.forEach(e -> stored.add(e.id()));
    }

    private static RecoveryEvent event(String id) {
        return new RecoveryEvent(id, 1L, RecoveryEvent.Kind.USER, "LOGIN_ERROR", "realm", "r", "c", "u", null, "x",
                Map.of());
    }

    /** Runs the intake for {@code seconds} of its clock with a steady trickle of other events. */
    private void run(int seconds, int[] next) {
        for (int s = 0; s < seconds; s++) {
            intake.offer(event("ok-" + next[0]++));
            for (int i = 0; i < 4; i++) {
                intake.round();
            }
            nanos.addAndGet(1_000_000_000L);
        }
    }

    @Test
    void a_lone_refused_event_is_retried_for_minutes_then_counted() {
        int[] next = {0};
        intake.offer(event("bad"));
        run(120, next);
        assertThat(intake.givenUp()).as("not given up after two minutes of retries").isZero();
        assertThat(metrics.count("governed.recovery.events.unwritable")).isZero();
        assertThat(stored).as("the others are written meanwhile").hasSizeGreaterThanOrEqualTo(110);

        run(15 * 60, next);
        assertThat(intake.givenUp()).isEqualTo(1);
        assertThat(metrics.count("governed.recovery.events.unwritable")).isEqualTo(1);
        assertThat(stored).doesNotContain("bad").contains("ok-0", "ok-" + (next[0] - 10));
    }

    @Test
    void a_lone_event_refused_for_a_while_is_written_when_the_cause_passes() {
        int[] next = {0};
        intake.offer(event("bad"));
        run(300, next);
        refuseBad = false;
        run(120, next);
        assertThat(stored).contains("bad");
        assertThat(intake.givenUp()).isZero();
        assertThat(intake.depth()).isZero();
    }
}
