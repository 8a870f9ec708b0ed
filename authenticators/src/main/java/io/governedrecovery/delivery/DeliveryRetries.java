package io.governedrecovery.delivery;

import java.time.Duration;

/**
 * When a message that could not be sent (a mail server or SMS gateway away) is tried again, on the delivery's workers,
 * never on a request thread, and only while the node runs.
 * <ul>
 *   <li>A code (a message with a use-by time: its code's expiry) is worth sending until it expires: it is tried again
 *       2, 5 and 10 s after the first failures, then every 15 s, as long as the next try comes before the code
 *       expires. A mail server that comes back within the code's lifetime delivers it within 15 s, while the user
 *       still waits on the code page.</li>
 *   <li>A message without a use-by time (a notice) is tried again 2, 5, 10, 15 and 30 s after the first failures,
 *       then every minute, for the delivery's {@code retry-minutes} after its first try.</li>
 * </ul>
 * Then it is given up: counted, logged and reported as an error event.
 */
final class DeliveryRetries {

    private static final long[] CODE_BACKOFF_MILLIS = {2_000, 5_000, 10_000, 15_000};
    private static final long[] NOTICE_BACKOFF_MILLIS = {2_000, 5_000, 10_000, 15_000, 30_000, 60_000};

    private final long noticeRetryMillis;

    DeliveryRetries(Duration noticeRetry) {
        this.noticeRetryMillis = noticeRetry.toMillis();
    }

    /**
     * The wait before the next try of a message that failed {@code failures} times (1 after the first try), first
     * tried at {@code firstTryAt}, now {@code now}, usable until {@code useBy} (null: a notice); -1 to give it up.
     * All times in epoch milliseconds on Keycloak's clock.
     */
    long nextDelayMillis(int failures, long firstTryAt, long now, Long useBy) {
        long[] backoff = useBy != null ? CODE_BACKOFF_MILLIS : NOTICE_BACKOFF_MILLIS;
        long delay = backoff[Math.max(1, Math.min(failures, backoff.length)) - 1];
        long deadline = useBy != null ? useBy : firstTryAt + noticeRetryMillis;
        return now + delay < deadline ? delay : -1;
    }
}
