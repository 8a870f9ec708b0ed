package io.governedrecovery.events.pipeline;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.governedrecovery.core.event.RecoveryEvent;

/**
 * For the polling-cost benchmark only ({@code fault-synthetic-events-per-second}): offers synthetic failed sign-ins to
 * the intake at a steady rate, as if requests had committed them, so the pipeline's cost per node can be measured at
 * rates a two-core test machine could not produce through Keycloak's login pages.
 */
final class SyntheticLoad {

    static final String REALM = "governed-recovery-benchmark";

    private SyntheticLoad() {
    }

    static void start(ScheduledExecutorService scheduler, int perSecond, Consumer<RecoveryEvent> offer) {
        long ticksPerSecond = Math.min(perSecond, 100);
        long perTick = perSecond / ticksPerSecond;
        long remainder = perSecond % ticksPerSecond;
        long[] tick = {0};
        scheduler.scheduleAtFixedRate(() -> {
            long n = perTick + (tick[0]++ % ticksPerSecond < remainder ? 1 : 0);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long i = 0; i < n; i++) {
                offer.accept(new RecoveryEvent(UUID.randomUUID().toString(), System.currentTimeMillis(),
                        RecoveryEvent.Kind.USER, "LOGIN_ERROR", REALM, REALM, "benchmark",
                        "user-" + random.nextInt(100_000), "10." + random.nextInt(256) + "." + random.nextInt(256)
                        + "." + random.nextInt(256), "invalid_user_credentials",
                        Map.of("username", "user-" + random.nextInt(100_000))));
            }
        }, 1000 / ticksPerSecond, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);
    }
}
