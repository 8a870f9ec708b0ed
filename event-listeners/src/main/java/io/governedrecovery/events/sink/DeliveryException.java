package io.governedrecovery.events.sink;

import java.io.IOException;

/**
 * A batch was not delivered. Transient failures (the receiver is away, too slow, answers 5xx or 429) are retried with
 * back-off for as long as they last, and never count against a record. Permanent refusals (another 4xx, a redirect)
 * count against the records: the batch is narrowed down until the refused record is alone, and a record refused
 * {@code dead-letter-after} times is parked so the others go on.
 */
public final class DeliveryException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    private DeliveryException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** The receiver could not take the batch now; it will be sent again later. */
    public static DeliveryException unavailable(String message, Throwable cause) {
        return new DeliveryException(message, false, cause);
    }

    /** The receiver refused what it was sent; sending it again as it is will not help. */
    public static DeliveryException refused(String message) {
        return new DeliveryException(message, true, null);
    }

    public boolean permanent() {
        return permanent;
    }
}
