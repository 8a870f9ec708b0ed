package io.governedrecovery.reset;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.timing.ResponseTimeEqualizer;

/**
 * Keeps the answers of the steps before a method is proven (naming the account, picking a method, asking for a new
 * code, a failed try) equally fast for existing and missing accounts. A missing name costs an uncached database
 * lookup that an existing one does not, and an existing one queues a message: each step is padded up to the slower
 * outcome's 90th percentile of recent answers, at most {@link #MAX_PAD}. Owned by the reset authenticator's factory.
 */
final class StepTiming {

    static final String IDENTIFY = "identify";
    static final String START_ATTRIBUTE = "governed-recovery.step-start";
    static final Duration MAX_PAD = Duration.ofMillis(250);

    private final Map<String, ResponseTimeEqualizer> steps = new ConcurrentHashMap<>();

    /** Marks the start of a step in this request (the identify step starts in the choose-user authenticator). */
    static void markStart(KeycloakSession session) {
        session.setAttribute(START_ATTRIBUTE, System.nanoTime());
    }

    /** Pads the current request's answer for {@code step}, if its start was marked in this request. */
    void pad(KeycloakSession session, String step, UserModel user) {
        Object start = session.getAttribute(START_ATTRIBUTE);
        session.removeAttribute(START_ATTRIBUTE);
        if (start instanceof Long startNanos) {
            pad(step, user, startNanos);
        }
    }

    void pad(String step, UserModel user, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        long pad = steps.computeIfAbsent(step, s -> new ResponseTimeEqualizer(256, 0.9, MAX_PAD.toNanos()))
                .record(user == null ? "missing" : "existing", elapsed);
        if (pad > 0) {
            LockSupport.parkNanos(pad);
        }
    }
}
