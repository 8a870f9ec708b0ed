package io.governedrecovery.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import io.governedrecovery.store.Counters;

/**
 * Failed tries of one recovery method, counted cluster-wide in Keycloak's database, per typed name and client address
 * and per typed name overall. A method pauses (correct answers refused too) for a name and address once that pair
 * spent its budget, and for a name everywhere once all addresses together spent the larger total budget.
 *
 * <p>Keyed by the name as typed (normalized), never by the account it matches: an existing and a missing account are
 * counted the same way, and failures typed as a username never pause the account's email address, so a pause tells
 * nothing about which names belong together. The per-address budget keeps someone else's failures from locking the
 * owner out; the total bounds the guesses a distributed attacker gets.
 */
public final class FailureBudget {

    /** Who tried: the realm, the method, the name as typed (or the username of a signed-in user) and the address. */
    public record Subject(String realmId, String methodId, String name, String address) {
    }

    private final Counters counters;
    private final int perAddress;
    private final int total;
    private final Duration window;

    public FailureBudget(Counters counters, int perAddress, int total, Duration window) {
        this.counters = counters;
        this.perAddress = perAddress;
        this.total = total;
        this.window = window;
    }

    /** Whether the method is paused for this subject now (for pages that show the pause before any try). */
    public boolean paused(Subject subject, Instant now) {
        return counters.count(subject.realmId(), scope(subject), addressKey(subject), window, now) >= perAddress
                || counters.count(subject.realmId(), totalScope(subject), nameKey(subject), window, now) >= total;
    }

    /**
     * Whether the method is paused for the typed name {@code name} from every address (all addresses together spent
     * the total budget): what the helpdesk sees of an account's pauses, without the addresses.
     */
    public boolean pausedEverywhere(String realmId, String methodId, String name, Instant now) {
        Subject subject = new Subject(realmId, methodId, name, null);
        return counters.count(realmId, totalScope(subject), nameKey(subject), window, now) >= total;
    }

    /**
     * Reserves one try before the answer is checked: the try counts as a failure first, so tries sent in parallel
     * cannot all pass a check that ran before any of them counted. When the budget was already spent the try is
     * refused (not checked, and not counted). A try that then succeeds gives its reservation back.
     */
    public Attempt begin(Subject subject, Instant now) {
        double fromHere = counters.increment(subject.realmId(), scope(subject), addressKey(subject), window, now);
        double everywhere = counters.increment(subject.realmId(), totalScope(subject), nameKey(subject), window, now);
        Attempt attempt = new Attempt(subject, now, fromHere <= perAddress && everywhere <= total,
                fromHere >= perAddress || everywhere >= total);
        if (!attempt.allowed()) {
            release(attempt);
        }
        return attempt;
    }

    /** The try of {@code attempt} succeeded: it no longer counts as a failure. */
    public void succeeded(Attempt attempt) {
        if (attempt.allowed()) {
            release(attempt);
        }
    }

    private void release(Attempt attempt) {
        Subject subject = attempt.subject();
        counters.decrement(subject.realmId(), scope(subject), addressKey(subject), window, attempt.at());
        counters.decrement(subject.realmId(), totalScope(subject), nameKey(subject), window, attempt.at());
    }

    /**
     * One reserved try.
     *
     * @param allowed whether the answer may be checked (the budget was not spent before this try)
     * @param spent   whether this try, should it fail, spent the budget (the method pauses from now on)
     */
    public record Attempt(Subject subject, Instant at, boolean allowed, boolean spent) {
    }

    private static String scope(Subject s) {
        return "fail:" + s.methodId();
    }

    private static String totalScope(Subject s) {
        return "fail-all:" + s.methodId();
    }

    private static String nameKey(Subject s) {
        return "name:" + hash(normalize(s.name()));
    }

    private static String addressKey(Subject s) {
        return nameKey(s) + "|ip:" + CountedAddress.of(s.address());
    }

    /** A typed name as it is counted: trimmed and in lower case, so "Bob " and "bob" are one name. */
    public static String normalize(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
