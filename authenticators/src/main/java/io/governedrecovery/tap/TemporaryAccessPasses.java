package io.governedrecovery.tap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.InvalidKeyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Temporary access passes: random codes a helpdesk issues after checking a person's identity, kept on the account as
 * a Keycloak credential of type {@value #TYPE}. Only a salted PBKDF2 hash is stored; the plain pass is shown once, to
 * the person who issued (or, for a privileged account, approved) it. A pass for a privileged account waits, unusable,
 * until a second helpdesk member approves it.
 */
public final class TemporaryAccessPasses {

    public static final String TYPE = "governed-recovery-tap";
    /** Letters and digits without look-alikes (no 0/O, 1/I/L). */
    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int ITERATIONS = 27_500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the credential's (public) data says about a pass. */
    public record Details(long issuedAt, long expiresAt, boolean oneTime, String issuedBy, String approvedBy,
                          String evidence, String ticket, int uses, boolean pending, long lastUsedAt) {

        /** How long a used pass still counts as one of the account's methods, for the reset it was used in. */
        static final long IN_USE_MILLIS = 60 * 60_000L;

        public String status(long now) {
            if (pending) {
                return "pending-approval";
            }
            if (oneTime && uses > 0) {
                return "used";
            }
            return now >= expiresAt ? "expired" : "active";
        }

        public boolean usable(long now) {
            return "active".equals(status(now));
        }

        /**
         * Whether the pass counts as one of the account's methods: usable, or used within the last hour (the reset
         * that used it still needs to count it; it cannot be proven again).
         */
        public boolean registered(long now) {
            return usable(now) || (!pending && lastUsedAt > 0 && now - lastUsedAt < IN_USE_MILLIS);
        }

        Details used(long now) {
            return new Details(issuedAt, expiresAt, oneTime, issuedBy, approvedBy, evidence, ticket, uses + 1, false,
                    now);
        }
    }

    /** The stored hash of a pass. */
    public record Secret(String salt, String hash, int iterations) {
    }

    private TemporaryAccessPasses() {
    }

    /** A new random pass of {@code length} characters (about 4.95 bits each). */
    public static String generate(SecureRandom random, int length) {
        char[] pass = new char[length];
        for (int i = 0; i < length; i++) {
            pass[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(pass);
    }

    /** Stores a pass (or, with {@code plain} null, a pending request for one) on the account. */
    public static CredentialModel store(UserModel user, SecureRandom random, String plain, Details details) {
        CredentialModel model = new CredentialModel();
        model.setType(TYPE);
        model.setUserLabel("Temporary access pass");
        model.setCreatedDate(details.issuedAt());
        model.setCredentialData(json(details));
        model.setSecretData(plain == null ? "{}" : json(hash(random, plain)));
        return user.credentialManager().createStoredCredential(model);
    }

    /** Issues the pass of a pending request (after its approval). */
    public static void activate(UserModel user, CredentialModel pending, SecureRandom random, String plain,
                                Details details) {
        pending.setCredentialData(json(details));
        pending.setSecretData(json(hash(random, plain)));
        user.credentialManager().updateStoredCredential(pending);
    }

    public static List<CredentialModel> of(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(TYPE).toList();
    }

    public static Optional<Details> details(CredentialModel credential) {
        try {
            return Optional.of(JSON.readValue(credential.getCredentialData(), Details.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The usable pass {@code typed} matches, if any: compared by hash in constant time with every usable pass of the
     * account.
     */
    public static Optional<CredentialModel> match(UserModel user, String typed, long now) {
        String normalized = normalize(typed);
        CredentialModel found = null;
        for (CredentialModel credential : of(user)) {
            Optional<Details> d = details(credential);
            if (d.isEmpty() || !d.get().usable(now)) {
                continue;
            }
            if (matches(credential.getSecretData(), normalized) && found == null) {
                found = credential;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether {@code typed} hashes to the stored secret; an unreadable secret never matches. */
    static boolean matches(String secretData, String typed) {
        try {
            Secret secret = JSON.readValue(secretData, Secret.class);
            byte[] expected = Base64.getDecoder().decode(secret.hash());
            byte[] actual = pbkdf2(normalize(typed), Base64.getDecoder().decode(secret.salt()), secret.iterations());
            return MessageDigest.isEqual(expected, actual);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** The secret data stored for {@code plain}. */
    static String secretData(SecureRandom random, String plain) {
        return json(hash(random, plain));
    }

    /** Counts a use: a one-time pass is used up (kept, marked used, for the record). */
    public static void use(UserModel user, CredentialModel credential, long now) {
        Details d = details(credential).orElseThrow();
        credential.setCredentialData(json(d.used(now)));
        user.credentialManager().updateStoredCredential(credential);
    }

    /** Removes passes that expired more than a day ago. */
    public static void removeExpired(UserModel user, long now) {
        for (CredentialModel credential : of(user)) {
            Optional<Details> d = details(credential);
            if (d.isEmpty() || (d.get().expiresAt() < now - 86_400_000L && !d.get().registered(now))) {
                user.credentialManager().removeStoredCredentialById(credential.getId());
            }
        }
    }

    static String normalize(String typed) {
        return typed == null ? "" : typed.replace("-", "").replace(" ", "").trim().toUpperCase(java.util.Locale.ROOT);
    }

    private static Secret hash(SecureRandom random, String plain) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Secret(Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(pbkdf2(normalize(plain), salt, ITERATIONS)), ITERATIONS);
    }

    /**
     * PBKDF2-HMAC-SHA256 with one 32-byte block, written out over {@link Mac} so the result does not depend on which
     * security provider (the JDK's or one Keycloak adds) answers for "PBKDF2WithHmacSHA256".
     */
    static byte[] pbkdf2(String plain, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(plain.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
