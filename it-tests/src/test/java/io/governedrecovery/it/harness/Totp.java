package io.governedrecovery.it.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 codes for a Keycloak OTP credential created with a raw secret (HmacSHA1, 6 digits, 30 s), as an
 * authenticator app would show them.
 */
public final class Totp {

    private Totp() {
    }

    public static String code(String secret, Instant at) {
        long counter = at.getEpochSecond() / 30;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String now(String secret) {
        return code(secret, Instant.now());
    }

    /** The base32 form an authenticator app takes (for the demo printout). */
    public static String base32(String secret) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static final java.util.Set<String> USED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * An app code Keycloak has not seen yet for this secret in this test run: the current period's, else the next
     * one's, else the previous one's (Keycloak accepts one period either side and refuses a code used before),
     * waiting for the next period when all three were used.
     */
    public static String unused(String secret) {
        return unused(secret, LOOK_AROUND);
    }

    /** The look-around window of the tests' realms ({@link Realms#importRealm}): periods either side that count. */
    public static final int LOOK_AROUND = 2;

    /** The same for a realm that accepts {@code window} periods either side (its OTP look-around window). */
    public static String unused(String secret, int window) {
        return Await.until("an authenticator-app code not used yet", java.time.Duration.ofSeconds(35), () -> {
            for (int i = 0; i <= 2 * window; i++) {
                int shift = (i % 2 == 1 ? 1 : -1) * 30 * ((i + 1) / 2); // 0, +30, -30, +60, -60, ...
                String code = code(secret, Instant.now().plusSeconds(shift));
                if (USED.add(secret + ":" + code)) {
                    return code;
                }
            }
            return null;
        });
    }
}
