package io.governedrecovery.events.sink;

import java.io.IOException;

/**
 * A batch was not delivered. Transient failures (the receiver is away, too slow, answers 5xx or 429) are retried with
 * back-off for as long as they last, and never count against a record. A refusal by the receiver as a whole (a wrong
 * secret, a wrong address, a redirect: {@link #receiverRefused}) is retried the same way and raises an alarm, since
 * every record would be refused alike. Only refusals of what was sent (a body too large, a body the receiver cannot
 * take: {@link #refused}) count against the records: the batch is narrowed down until the refused record is alone, and
 * a record refused {@code dead-letter-after} times is parked so the others go on.
 */
public final class DeliveryException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final boolean receiverWide;

    private DeliveryException(String message, boolean permanent, boolean receiverWide, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.receiverWide = receiverWide;
    }

    /** The receiver could not take the batch now; it will be sent again later. */
    public static DeliveryException unavailable(String message, Throwable cause) {
        return new DeliveryException(message, false, false, cause);
    }

    /**
     * The receiver refuses everything, not these records (401, 403, 404, 405, a redirect): retried with back-off,
     * never counted against a record, and an alarm until it delivers again.
     */
    public static DeliveryException receiverRefused(String message) {
        return new DeliveryException(message, false, true, null);
    }

    /** The receiver refused what it was sent; sending it again as it is will not help. */
    public static DeliveryException refused(String message) {
        return new DeliveryException(message, true, false, null);
    }

    /** Whether the refusal counts against the records sent (narrowed down, parked after repeated refusals). */
    public boolean permanent() {
        return permanent;
    }

    /** Whether the receiver refuses everything (a configuration fault at either end): alarm, retry, never park. */
    public boolean receiverWide() {
        return receiverWide;
    }
}
