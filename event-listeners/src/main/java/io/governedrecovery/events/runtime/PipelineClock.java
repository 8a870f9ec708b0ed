package io.governedrecovery.events.runtime;

import java.util.function.LongSupplier;

import org.keycloak.common.util.Time;

/**
 * The pipeline's one wall clock: Keycloak's {@link Time} (which honours Keycloak's own time offset), plus, for fault
 * tests only, the offset their {@link PipelineHooks} give, so a test can put two nodes' clocks a minute apart or jump
 * days ahead without waiting. Durations (leases, back-off) are measured with {@link System#nanoTime()}, never with
 * this clock.
 */
public final class PipelineClock {

    private final LongSupplier offsetMillis;

    private PipelineClock(LongSupplier offsetMillis) {
        this.offsetMillis = offsetMillis;
    }

    /** Keycloak's clock as it is. */
    public static PipelineClock system() {
        return new PipelineClock(() -> 0);
    }

    /** Keycloak's clock shifted by what the hooks say. */
    public static PipelineClock of(PipelineHooks hooks) {
        return hooks == PipelineHooks.NONE ? system() : new PipelineClock(hooks::clockOffsetMillis);
    }

    /** Epoch milliseconds now. */
    public long millis() {
        return Time.currentTimeMillis() + offsetMillis.getAsLong();
    }
}
