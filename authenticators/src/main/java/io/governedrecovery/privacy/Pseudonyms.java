package io.governedrecovery.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Stand-ins for names people typed that must not leave in clear: a name typed at the reset prompt that matched no
 * account (it may be an email address, or a mistyped password), or a contact address in an event detail. The stand-in
 * is a keyed hash with the realm's own HMAC key, so every node of a cluster gives one name the same stand-in (the
 * anomaly scorer can count failures per name) and nobody without the key can test guesses against it.
 */
public final class Pseudonyms {

    /** What a stand-in starts with, so a reader of the export knows it is one. */
    public static final String PREFIX = "h:";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private Pseudonyms() {
    }

    /** The stand-in for {@code typed} in {@code realm} (trimmed and in lower case first, as names are compared). */
    public static String of(KeycloakSession session, RealmModel realm, String typed) {
        String name = typed == null ? "" : typed.trim().toLowerCase(Locale.ROOT);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key(session, realm), name))
                .substring(0, 22);
    }

    /** Whether a value looks like an email address (or holds one). */
    public static boolean looksLikeEmail(String value) {
        return value != null && EMAIL.matcher(value).find();
    }

    private static byte[] key(KeycloakSession session, RealmModel realm) {
        KeyWrapper active = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        SecretKey secret = active == null ? null : active.getSecretKey();
        if (secret != null && secret.getEncoded() != null) {
            return secret.getEncoded();
        }
        // A realm without an HMAC key (removed by an admin): the realm id keys it, weaker but never clear text.
        return ("governed-recovery:" + realm.getId()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
