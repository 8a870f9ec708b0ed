package io.governedrecovery.events.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.governedrecovery.events.intake.EventSnapshots;
import io.governedrecovery.events.intake.Intake;
import io.governedrecovery.events.intake.RecoveryEventSelection;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the listener costs a request: selecting the event, snapshotting it and handing it to the bounded intake queue,
 * which a consumer thread drains as the intake worker would. Sampled per call, so the report shows percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class HandOffBenchmark {

    private Intake intake;
    private Thread drainer;
    private Event event;

    @Setup(Level.Trial)
    public void setUp() {
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), () -> 0);
        intake = new Intake(10_000, 200, null, null, null, null, metrics,
                io.governedrecovery.events.runtime.PipelineHooks.NONE, record -> java.util.List.of());
        drainer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    intake.drainForBenchmark();
                }
            } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
            }
        });
        drainer.setDaemon(true);
        drainer.start();
        event = new Event();
        event.setId(UUID.randomUUID().toString());
        event.setType(EventType.RESET_PASSWORD_ERROR);
        event.setTime(System.currentTimeMillis());
        event.setRealmId(UUID.randomUUID().toString());
        event.setRealmName("benchmark");
        event.setClientId("account-console");
        event.setUserId(UUID.randomUUID().toString());
        event.setIpAddress("203.0.113.7");
        event.setError("governed_recovery_invalid_code");
        Map<String, String> details = new HashMap<>();
        details.put("gr_step", "verify");
        details.put("gr_method", "totp");
        details.put("gr_outcome", "wrong");
        details.put("username", "someone");
        details.put("auth_method", "openid-connect");
        event.setDetails(details);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        drainer.interrupt();
    }

    @Benchmark
    public boolean handOff() {
        if (RecoveryEventSelection.matters(event)) {
            intake.offer(EventSnapshots.of(event, (realm, value) -> "h:bench"));
            return true;
        }
        return false;
    }
}
