package io.governedrecovery.tap;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.util.JsonSerialization;
import org.keycloak.connections.jpa.JpaConnectionProvider;

/**
 * Temporary access passes: random codes a helpdesk issues after checking a person's identity, kept on the account as
 * a Keycloak credential of type {@value #TYPE}. Only a hash made by Keycloak's own PBKDF2 password hashing is stored;
 * the plain pass is shown once, to the person who issued (or, for a privileged account, approved) it. A pass for a
 * privileged account waits, unusable, until a second helpdesk member approves it.
 */
public final class TemporaryAccessPasses {

    public static final String TYPE = "governed-recovery-tap";
    /** Keycloak's password hashing used for passes, and its cost: a pass is random, long and short-lived. */
    static final String HASH = "pbkdf2-sha256";
    static final int ITERATIONS = 27_500;
    /** Letters and digits without look-alikes (no 0/O, 1/I/L). */
    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();

    /**
     * What the credential's (public) data says about a pass: who issued it (and approved it) after which evidence,
     * for how long, how often it was used; and how its secret was hashed.
     */
    public record Details(long issuedAt, long expiresAt, boolean oneTime, String issuedBy, String issuerId,
                          String approvedBy, String approverId, String evidence, String ticket, String note, int uses,
                          boolean pending, long lastUsedAt, String algorithm, int hashIterations) {

        /** How long a used pass still counts as one of the account's methods, for the reset it was used in. */
        static final long IN_USE_MILLIS = 60 * 60_000L;

        public String status(long now) {
            if (pending) {
                // A request nobody approved in time is dead: it can no longer be approved (nor needs revoking).
                return now >= expiresAt ? "expired" : "pending-approval";
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
            return new Details(issuedAt, expiresAt, oneTime, issuedBy, issuerId, approvedBy, approverId, evidence,
                    ticket, note, uses + 1, false, now, algorithm, hashIterations);
        }

        /** The same request, approved by {@code by} and ready to hold a secret. */
        public Details approved(String by, String byId) {
            return new Details(issuedAt, expiresAt, oneTime, issuedBy, issuerId, by, byId, evidence, ticket, note, 0,
                    false, 0, HASH, ITERATIONS);
        }

        /** A new pass (or, with {@code pending}, a request for one awaiting a second person). */
        public static Details issued(long now, long expiresAt, boolean oneTime, String issuedBy, String issuerId,
                                     String evidence, String ticket, String note, boolean pending) {
            return new Details(now, expiresAt, oneTime, issuedBy, issuerId, null, null, evidence, ticket, note, 0,
                    pending, 0, HASH, ITERATIONS);
        }
    }

    private final PasswordHashProvider hash;

    TemporaryAccessPasses(PasswordHashProvider hash) {
        this.hash = hash;
    }

    /** The passes of a session, hashed with Keycloak's {@value #HASH} provider. */
    public static TemporaryAccessPasses of(KeycloakSession session) {
        PasswordHashProvider provider = session.getProvider(PasswordHashProvider.class, HASH);
        if (provider == null) {
            throw new IllegalStateException("Keycloak's password hash provider " + HASH + " is missing");
        }
        return new TemporaryAccessPasses(provider);
    }

    /** A new random pass of {@code length} characters (about 4.95 bits each), from Keycloak's secret generator. */
    public static String generate(int length) {
        return SecretGenerator.getInstance().randomString(length, ALPHABET);
    }

    /** Stores a pass (or, with {@code plain} null, a pending request for one) on the account. */
    public CredentialModel store(UserModel user, String plain, Details details) {
        CredentialModel model = new CredentialModel();
        model.setType(TYPE);
        model.setUserLabel(label(user, details));
        model.setCreatedDate(details.issuedAt());
        model.setCredentialData(json(details));
        model.setSecretData(plain == null ? "{}" : secretData(plain));
        return user.credentialManager().createStoredCredential(model);
    }

    /**
     * A label no other pass of the account has (Keycloak refuses two credentials of one type with the same label):
     * the ticket and the issue time, numbered when a second pass is issued in the same second.
     */
    private static String label(UserModel user, Details details) {
        String base = "Temporary access pass " + details.ticket() + " "
                + java.time.Instant.ofEpochMilli(details.issuedAt()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        java.util.Set<String> taken = new java.util.HashSet<>();
        list(user).forEach(c -> taken.add(c.getUserLabel()));
        String label = base;
        for (int n = 2; taken.contains(label); n++) {
            label = base + " (" + n + ")";
        }
        return label;
    }

    /**
     * Revokes every pass of the account that still works or waits for approval (a helpdesk replacing a lost pass):
     * the ids of those removed.
     */
    public static List<String> revokeOpen(UserModel user, long now) {
        List<String> revoked = new java.util.ArrayList<>();
        for (CredentialModel credential : list(user)) {
            Optional<Details> d = details(credential);
            if (d.isPresent() && (d.get().usable(now) || d.get().pending())) {
                user.credentialManager().removeStoredCredentialById(credential.getId());
                revoked.add(credential.getId());
            }
        }
        return revoked;
    }

    /** Issues the pass of a pending request (after its approval). */
    public void activate(UserModel user, CredentialModel pending, String plain, Details details) {
        pending.setCredentialData(json(details));
        pending.setSecretData(secretData(plain));
        user.credentialManager().updateStoredCredential(pending);
    }

    /**
     * The usable pass {@code typed} matches, if any: compared with every usable pass of the account by Keycloak's
     * password hashing (its own constant-time comparison).
     */
    public Optional<CredentialModel> match(UserModel user, String typed, long now) {
        CredentialModel found = null;
        for (CredentialModel credential : list(user)) {
            Optional<Details> d = details(credential);
            if (d.isPresent() && d.get().usable(now) && matches(credential, d.get(), typed) && found == null) {
                found = credential;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether {@code typed} is the pass stored in {@code credential}; an unreadable secret never matches. */
    boolean matches(CredentialModel credential, Details details, String typed) {
        if (credential.getSecretData() == null || credential.getSecretData().length() < 3) {
            return false;
        }
        CredentialModel stored = new CredentialModel();
        stored.setType(PasswordCredentialModel.TYPE);
        stored.setSecretData(credential.getSecretData());
        stored.setCredentialData("{\"hashIterations\":" + details.hashIterations() + ",\"algorithm\":\""
                + details.algorithm() + "\"}");
        try {
            return HASH.equals(details.algorithm())
                    && hash.verify(normalize(typed), PasswordCredentialModel.createFromCredentialModel(stored));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** The secret data stored for {@code plain}: Keycloak's password secret data (salted hash). */
    String secretData(String plain) {
        return hash.encodedCredential(normalize(plain), ITERATIONS).getSecretData();
    }

    public static List<CredentialModel> list(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(TYPE).toList();
    }

    public static Optional<Details> details(CredentialModel credential) {
        try {
            return Optional.of(JsonSerialization.readValue(credential.getCredentialData(), Details.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * One page of the users of {@code realm} (stored in Keycloak's database) holding a request for a pass made at or
     * after {@code since} that waits for a second person's approval, newest request first: the user ids of the
     * requests {@code first} to {@code first + max - 1} in that order (a user once per such request). The stored data
     * is matched roughly here; callers check each pass's {@link Details#pending()} and expiry themselves.
     */
    public static List<String> holdersOfPending(KeycloakSession session, org.keycloak.models.RealmModel realm,
                                                long since, int first, int max) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("select c.user.id from CredentialEntity c where c.type = :type"
                        + " and c.user.realmId = :realm and c.createdDate >= :since"
                        + " and c.credentialData like :pending order by c.createdDate desc, c.id desc",
                        String.class)
                .setParameter("type", TYPE).setParameter("realm", realm.getId()).setParameter("since", since)
                .setParameter("pending", "%\"pending\":true%").setFirstResult(first).setMaxResults(max)
                .getResultList();
    }

    /** The pass with id {@code id} of {@code user}, or empty. */
    public static Optional<CredentialModel> find(UserModel user, String id) {
        if (user == null || id == null || id.length() > 64) {
            return Optional.empty();
        }
        CredentialModel credential = user.credentialManager().getStoredCredentialById(id);
        return credential != null && TYPE.equals(credential.getType()) ? Optional.of(credential) : Optional.empty();
    }

    /** Counts a use: a one-time pass is used up (kept, marked used, for the record). */
    public static void use(UserModel user, CredentialModel credential, long now) {
        Details d = details(credential).orElseThrow();
        credential.setCredentialData(json(d.used(now)));
        user.credentialManager().updateStoredCredential(credential);
    }

    /** Removes passes that expired more than a day ago. */
    public static void removeExpired(UserModel user, long now) {
        for (CredentialModel credential : list(user)) {
            Optional<Details> d = details(credential);
            if (d.isEmpty() || (d.get().expiresAt() < now - 86_400_000L && !d.get().registered(now))) {
                user.credentialManager().removeStoredCredentialById(credential.getId());
            }
        }
    }

    static String normalize(String typed) {
        return typed == null ? "" : typed.replace("-", "").replace(" ", "").trim().toUpperCase(Locale.ROOT);
    }

    private static String json(Object value) {
        try {
            return JsonSerialization.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
