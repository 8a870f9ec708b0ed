package io.governedrecovery.limits;

import java.time.Duration;
import java.time.Instant;

import io.governedrecovery.store.Counters;

/**
 * Messages that carry a code (email, SMS), counted cluster-wide per account and per client address and hour, across
 * every reset and contact change: beyond either limit nothing more is sent, and the pages look the same.
 */
public final class SendLimit {

    private static final Duration HOUR = Duration.ofHours(1);

    /** Why a message was held back, or {@link #ALLOWED}. */
    public enum Outcome { ALLOWED, PER_ACCOUNT, PER_ADDRESS }

    private final Counters counters;
    private final int perAccountHour;
    private final int perAddressHour;

    public SendLimit(Counters counters, int perAccountHour, int perAddressHour) {
        this.counters = counters;
        this.perAccountHour = perAccountHour;
        this.perAddressHour = perAddressHour;
    }

    /** Counts one message to {@code userId} caused from {@code address}; whether it may go out. */
    public Outcome count(String realmId, String userId, String address, Instant now) {
        double toAccount = counters.increment(realmId, "send-user", userId, HOUR, now);
        double fromAddress = counters.increment(realmId, "send-ip", CountedAddress.of(address), HOUR, now);
        if (toAccount > perAccountHour) {
            return Outcome.PER_ACCOUNT;
        }
        return fromAddress > perAddressHour ? Outcome.PER_ADDRESS : Outcome.ALLOWED;
    }
}
