package io.governedrecovery.it.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.keycloak.Config;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.runtime.PipelineHooks;

/**
 * TEST ONLY, never shipped: the event pipeline's fault injection and synthetic load, read from the listener's own
 * options ({@code --spi-events-listener--governed-recovery-events--fault-...}), which the shipped JAR ignores. Faults
 * are triggered by events of a named user, so a test decides when they happen without restarting the server:
 * <ul>
 *   <li>{@code fault-hold-commit-user} / {@code fault-hold-commit-millis}: the outbox transaction that writes that
 *       user's event stays open this long before it commits (a slow commit, a stalled node);</li>
 *   <li>{@code fault-error-user}: the first time each worker (intake, scorer, each sink) handles that user's event it
 *       throws an {@link Error}, as a missing method or an exhausted heap would;</li>
 *   <li>{@code fault-intake-pause-millis}: each batch the intake takes off its queue waits this long before it is
 *       written, so a crash loses queued events and the reconciler must recover them;</li>
 *   <li>{@code fault-clock-offset-file}: a file holding seconds added to this node's pipeline clock (re-read at most
 *       twice a second);</li>
 *   <li>{@code fault-synthetic-events-per-second}: synthetic failed sign-ins of realm
 *       {@code governed-recovery-benchmark} fed to the intake at this rate (the polling-cost benchmark).</li>
 * </ul>
 */
public final class PipelineFaults implements PipelineHooks {

    private static final long RECHECK_NANOS = 500_000_000L;

    private final String holdUser;
    private final long holdMillis;
    private final String errorUser;
    private final long intakePauseMillis;
    private final Path offsetFile;
    private final int syntheticPerSecond;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private volatile long offsetMillis;
    private volatile long checkedAt = System.nanoTime() - RECHECK_NANOS;

    public PipelineFaults() {
        Config.Scope c = Config.scope("eventsListener", "governed-recovery-events");
        holdUser = blankToNull(c.get("fault-hold-commit-user"));
        holdMillis = c.getLong("fault-hold-commit-millis", 0L);
        errorUser = blankToNull(c.get("fault-error-user"));
        intakePauseMillis = c.getLong("fault-intake-pause-millis", 0L);
        String file = blankToNull(c.get("fault-clock-offset-file"));
        offsetFile = file == null ? null : Path.of(file);
        syntheticPerSecond = c.getInt("fault-synthetic-events-per-second", 0);
    }

    @Override
    public void handling(String worker, RecoveryEvent event) {
        if (errorUser != null && event != null && errorUser.equals(username(event)) && failed.add(worker)) {
            throw new NoSuchMethodError("Governed Recovery fault injection: " + worker + " hit an Error (test only)");
        }
    }

    @Override
    public boolean watchesHandling() {
        return errorUser != null;
    }

    @Override
    public void beforeCommit(Collection<RecoveryEvent> events) {
        if (holdUser != null && holdMillis > 0 && events.stream().anyMatch(e -> holdUser.equals(username(e)))) {
            sleep(holdMillis);
        }
    }

    @Override
    public void batchTaken() {
        sleep(intakePauseMillis);
    }

    @Override
    public long clockOffsetMillis() {
        if (offsetFile == null) {
            return 0;
        }
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS) {
            checkedAt = now;
            try {
                String text = Files.exists(offsetFile) ? Files.readString(offsetFile, StandardCharsets.US_ASCII).trim()
                        : "";
                offsetMillis = text.isEmpty() ? 0 : Long.parseLong(text) * 1000L;
            } catch (IOException | NumberFormatException e) {
                // keep the last offset: a test is writing the file right now
            }
        }
        return offsetMillis;
    }

    @Override
    public void started(ScheduledExecutorService scheduler, Consumer<RecoveryEvent> intake) {
        if (syntheticPerSecond <= 0) {
            return;
        }
        String realm = "governed-recovery-benchmark";
        long ticksPerSecond = Math.min(syntheticPerSecond, 100);
        long perTick = syntheticPerSecond / ticksPerSecond;
        long remainder = syntheticPerSecond % ticksPerSecond;
        long[] tick = {0};
        scheduler.scheduleAtFixedRate(() -> {
            long n = perTick + (tick[0]++ % ticksPerSecond < remainder ? 1 : 0);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long i = 0; i < n; i++) {
                intake.accept(new RecoveryEvent(UUID.randomUUID().toString(), System.currentTimeMillis(),
                        RecoveryEvent.Kind.USER, "LOGIN_ERROR", realm, realm, "benchmark",
                        "user-" + random.nextInt(100_000), "10." + random.nextInt(256) + "." + random.nextInt(256)
                        + "." + random.nextInt(256), "invalid_user_credentials",
                        Map.of("username", "user-" + random.nextInt(100_000))));
            }
        }, 1000 / ticksPerSecond, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String username(RecoveryEvent e) {
        return e.details().get(EventDetails.USERNAME);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
