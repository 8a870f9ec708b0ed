package io.governedrecovery.core.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.SplittableRandom;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.core.risk.ScorerSettings;
import io.governedrecovery.core.risk.Signal;

/**
 * Benchmark, not a test: the scorer's memory per tracked key after it has seen 1,000,000 accounts and 100,000
 * addresses. Prints the table bytes the scorer accounts for and the heap growth the JVM measured.
 */
public final class ScorerFootprint {

    private ScorerFootprint() {
    }

    public static void main(String[] args) {
        ScorerSettings settings = new ScorerSettings(5, Duration.ofMinutes(10), 10, Duration.ofMinutes(10), 5, 3.0,
                3, Duration.ofHours(72), 10, 30, Duration.ofMinutes(60), 40, 80, 2_000_000);
        RecoveryEvent source = new RecoveryEvent("bench", 0, RecoveryEvent.Kind.USER, "LOGIN", "realm", "realm", "c",
                "u", "10.0.0.1", null, new HashMap<>());
        Signal[] signals = ScorerBenchmark.signals(new SplittableRandom(7), 1_800_000_000_000L);
        AnomalyScorer scorer = new AnomalyScorer(settings, f -> { }, 16);
        for (int round = 0; round < 3; round++) {
            for (Signal s : signals) {
                scorer.observe(s, source);
            }
        }
        long keys = scorer.trackedKeys();
        long tableBytes = scorer.tableBytes();
        long refused = scorer.evictedKeys();
        long with = usedHeap();
        java.lang.ref.Reference.reachabilityFence(scorer);
        scorer = null;
        long without = usedHeap();
        System.out.printf("tracked keys: %,d (accounts and addresses across the rule tables)%n", keys);
        System.out.printf("table bytes: %,d = %.1f bytes per tracked key (arrays, including free slots)%n",
                tableBytes, (double) tableBytes / keys);
        System.out.printf("retained heap: %,d = %.1f bytes per tracked key (heap freed when the scorer is dropped)%n",
                with - without, (double) (with - without) / keys);
        System.out.printf("evicted keys: %,d%n", refused);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
