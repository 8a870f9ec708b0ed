package io.governedrecovery.core.code;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A one-time code sent to the user (email, SMS): random digits, kept only as a salted SHA-256 hash with its expiry and
 * remaining attempts, compared in constant time, and dead after use, expiry or too many wrong tries.
 *
 * <p>The serialized form ({@link #serialize()}) is what an authentication session stores; it never holds the code.
 */
public final class OneTimeCode {

    public static final int MIN_DIGITS = 6;
    public static final int MAX_DIGITS = 10;
    /** Longer input is rejected before hashing, so a 10 kB "code" costs nothing. */
    private static final int MAX_INPUT = 64;

    private final byte[] salt;
    private final byte[] hash;
    private final int digits;
    private final long expiresAtMillis;
    private final int attemptsLeft;

    private OneTimeCode(byte[] salt, byte[] hash, int digits, long expiresAtMillis, int attemptsLeft) {
        this.salt = salt;
        this.hash = hash;
        this.digits = digits;
        this.expiresAtMillis = expiresAtMillis;
        this.attemptsLeft = attemptsLeft;
    }

    /** A fresh code: the plain digits (to send once) and the record to keep. */
    public record Issued(String plain, OneTimeCode record) {
    }

    public static Issued issue(SecureRandom random, int digits, Instant now, Duration lifetime, int maxAttempts) {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("code length is " + digits + "; allowed is " + MIN_DIGITS + " to " + MAX_DIGITS);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("attempts per code is " + maxAttempts + "; it must be at least 1");
        }
        StringBuilder plain = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            plain.append((char) ('0' + random.nextInt(10)));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String code = plain.toString();
        return new Issued(code, new OneTimeCode(salt, digest(salt, code), digits,
                now.plus(lifetime).toEpochMilli(), maxAttempts));
    }

    public enum Outcome { VALID, WRONG, EXPIRED, EXHAUSTED }

    /** The outcome of a check and the record to keep afterwards (null once the code is dead). */
    public record Check(Outcome outcome, OneTimeCode remaining) {
    }

    /**
     * Checks a candidate. A valid code is consumed; a wrong one costs an attempt; an expired or exhausted code fails
     * even when the candidate is right. The comparison always hashes and compares the full digest.
     */
    public Check check(String candidate, Instant now) {
        String normalized = normalize(candidate);
        byte[] candidateHash = digest(salt, normalized == null ? "" : normalized);
        boolean equal = MessageDigest.isEqual(hash, candidateHash) && normalized != null;
        if (now.toEpochMilli() >= expiresAtMillis) {
            return new Check(Outcome.EXPIRED, null);
        }
        if (attemptsLeft <= 0) {
            return new Check(Outcome.EXHAUSTED, null);
        }
        if (equal) {
            return new Check(Outcome.VALID, null);
        }
        int left = attemptsLeft - 1;
        return new Check(left <= 0 ? Outcome.EXHAUSTED : Outcome.WRONG,
                left <= 0 ? null : new OneTimeCode(salt, hash, digits, expiresAtMillis, left));
    }

    /** When the code stops being valid. */
    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }

    public boolean expired(Instant now) {
        return now.toEpochMilli() >= expiresAtMillis;
    }

    public int attemptsLeft() {
        return attemptsLeft;
    }

    /** Digits only, spaces and dashes dropped; null when the input cannot be a code at all. */
    static String normalize(String candidate) {
        if (candidate == null || candidate.length() > MAX_INPUT) {
            return null;
        }
        StringBuilder digits = new StringBuilder(candidate.length());
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-') {
                return null;
            }
        }
        return digits.length() >= MIN_DIGITS && digits.length() <= MAX_DIGITS ? digits.toString() : null;
    }

    public String serialize() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "v1." + b64.encodeToString(salt) + "." + b64.encodeToString(hash) + "." + digits + "." + expiresAtMillis
                + "." + attemptsLeft;
    }

    /** Reads a serialized record; null when the value is missing or not ours. */
    public static OneTimeCode parse(String serialized) {
        if (serialized == null) {
            return null;
        }
        String[] parts = serialized.split("\\.");
        if (parts.length != 6 || !"v1".equals(parts[0])) {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            return new OneTimeCode(b64.decode(parts[1]), b64.decode(parts[2]), Integer.parseInt(parts[3]),
                    Long.parseLong(parts[4]), Integer.parseInt(parts[5]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] digest(byte[] salt, String code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(code.getBytes(StandardCharsets.US_ASCII));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OneTimeCode other && Objects.equals(serialize(), other.serialize());
    }

    @Override
    public int hashCode() {
        return serialize().hashCode();
    }
}
