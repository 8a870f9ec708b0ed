package io.governedrecovery.core.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.core.risk.ScorerSettings;
import io.governedrecovery.core.risk.Signal;
import io.governedrecovery.core.risk.SignalKind;

/**
 * Scorer throughput on one core: signals over 1,000,000 accounts and 100,000 addresses, a realistic mix of kinds,
 * event time advancing a millisecond per signal (so windows slide and tables turn over).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ScorerBenchmark {

    static final int ACCOUNTS = 1_000_000;
    static final int ADDRESSES = 100_000;
    static final int SIGNALS = 1 << 22;

    private AnomalyScorer scorer;
    private Signal[] signals;
    private RecoveryEvent source;
    private int next;

    @Setup
    public void setUp() {
        ScorerSettings settings = new ScorerSettings(5, Duration.ofMinutes(10), 10, Duration.ofMinutes(10), 5, 3.0,
                3, Duration.ofHours(72), 10, 30, Duration.ofMinutes(60), 40, 80, 2_000_000);
        scorer = new AnomalyScorer(settings, f -> { }, ACCOUNTS);
        source = new RecoveryEvent("bench", 0, RecoveryEvent.Kind.USER, "LOGIN", "realm", "realm", "c", "u", "10.0.0.1",
                null, new HashMap<>());
        signals = signals(new SplittableRandom(42), 1_800_000_000_000L);
    }

    static Signal[] signals(SplittableRandom random, long start) {
        SignalKind[] mix = {SignalKind.RESET_FAILED, SignalKind.RESET_FAILED, SignalKind.RESET_FAILED,
                SignalKind.LOGIN_FAILED, SignalKind.LOGIN_FAILED, SignalKind.LOGIN_FAILED, SignalKind.LOGIN,
                SignalKind.LOGIN, SignalKind.CODE_SENT, SignalKind.RESET_STARTED};
        Signal[] out = new Signal[SIGNALS];
        for (int i = 0; i < SIGNALS; i++) {
            long account = 1 + random.nextInt(ACCOUNTS) * 0x9E3779B97F4A7C15L;
            long address = 7 + random.nextInt(ADDRESSES) * 0xC2B2AE3D27D4EB4FL;
            out[i] = new Signal(mix[random.nextInt(mix.length)], start + i, account == 0 ? 1 : account, address,
                    address >>> 8, 1 + random.nextInt(50), Signal.STANDARD);
        }
        return out;
    }

    @Benchmark
    public int observe() {
        Signal s = signals[next];
        next = (next + 1) & (SIGNALS - 1);
        scorer.observe(s, source);
        return next;
    }
}
