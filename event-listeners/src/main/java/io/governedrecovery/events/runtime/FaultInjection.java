package io.governedrecovery.events.runtime;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;

/**
 * Fault injection for the pipeline's fault tests only (all off unless their {@code fault-*} option is set). Faults are
 * triggered by events of a named user, so a test decides when they happen without restarting the server:
 * <ul>
 *   <li>{@code fault-hold-commit-user} / {@code -millis}: the outbox transaction that writes that user's event stays
 *       open this long after its rows were inserted (a slow commit, a stalled node);</li>
 *   <li>{@code fault-error-user}: the first time each worker (intake, scorer, each sink) handles that user's event it
 *       throws an {@link Error}, as a missing method or an exhausted heap would.</li>
 * </ul>
 */
public final class FaultInjection {

    public static final FaultInjection NONE = new FaultInjection(null, 0, null);

    private final String holdUser;
    private final long holdMillis;
    private final String errorUser;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    public FaultInjection(String holdUser, long holdMillis, String errorUser) {
        this.holdUser = holdUser;
        this.holdMillis = holdMillis;
        this.errorUser = errorUser;
    }

    public boolean active() {
        return holdUser != null || errorUser != null;
    }

    public boolean wantsErrors() {
        return errorUser != null;
    }

    /** How long to keep the outbox transaction writing these events open before it commits (0: no fault). */
    public long holdMillis(Collection<RecoveryEvent> events) {
        if (holdUser == null || holdMillis <= 0) {
            return 0;
        }
        return events.stream().anyMatch(e -> holdUser.equals(username(e))) ? holdMillis : 0;
    }

    /** Sleeps while a commit is held; called inside the transaction. */
    public static void hold(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws an {@link Error} the first time {@code worker} handles an event of the error user. */
    public void maybeFail(String worker, RecoveryEvent event) {
        if (errorUser != null && event != null && errorUser.equals(username(event)) && failed.add(worker)) {
            throw new NoSuchMethodError("Governed Recovery fault injection: " + worker + " hit an Error (test only)");
        }
    }

    private static String username(RecoveryEvent e) {
        return e.details().get(EventDetails.USERNAME);
    }
}
