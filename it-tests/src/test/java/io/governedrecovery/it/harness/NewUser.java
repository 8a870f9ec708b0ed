package io.governedrecovery.it.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A user to import into a test realm, the way a real one looks after months of use: created, with password and
 * methods registered, {@link #registeredAgo} ago (30 days unless set), so the reset cooldown does not apply unless a
 * test asks for it. Imported through Keycloak's partial import, which keeps those dates.
 */
public final class NewUser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestRealm realm;
    private final String username;
    private String email;
    private boolean emailVerified = true;
    private String password = "Initial-password-1";
    private Duration registeredAgo = Duration.ofDays(30);
    private final List<ObjectNode> moreCredentials = new ArrayList<>();
    private final Map<String, List<String>> attributes = new LinkedHashMap<>();
    private final List<String> groups = new ArrayList<>();
    private final List<String> realmRoles = new ArrayList<>();
    private final Map<String, List<String>> clientRoles = new LinkedHashMap<>();
    private boolean enabled = true;
    private final List<String> requiredActions = new ArrayList<>();

    NewUser(TestRealm realm, String username) {
        this.realm = realm;
        this.username = username;
        this.email = username + "@example.test";
    }

    public NewUser email(String address) {
        this.email = address;
        return this;
    }

    public NewUser noEmail() {
        this.email = null;
        return this;
    }

    public NewUser emailUnverified() {
        this.emailVerified = false;
        return this;
    }

    public NewUser password(String value) {
        this.password = value;
        return this;
    }

    /** No password (for many accounts at once: importing a password costs a hash each). */
    public NewUser noPassword() {
        this.password = null;
        return this;
    }

    public NewUser registeredAgo(Duration ago) {
        this.registeredAgo = ago;
        return this;
    }

    public NewUser disabled() {
        this.enabled = false;
        return this;
    }

    /** An authenticator app (TOTP, raw secret), registered as long ago as the user. */
    public NewUser totp(String secret) {
        return totp(secret, registeredAgo);
    }

    /** An authenticator app registered {@code ago} (inside the cooldown when short). */
    public NewUser totp(String secret, Duration ago) {
        ObjectNode credential = JSON.createObjectNode();
        credential.put("type", "otp");
        credential.put("userLabel", "test app");
        credential.put("createdDate", Instant.now().minus(ago).toEpochMilli());
        credential.put("secretData", "{\"value\":\"" + secret + "\"}");
        credential.put("credentialData",
                "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
        moreCredentials.add(credential);
        return this;
    }

    /**
     * Keycloak recovery authentication codes (the printed codes), as if generated {@code registeredAgo}; the codes are
     * stored hashed the way Keycloak stores them, so tests choose them (for example only one left).
     */
    public NewUser recoveryCodes(String... codes) {
        ObjectNode credential = JSON.createObjectNode();
        credential.put("type", "recovery-authn-codes");
        credential.put("userLabel", "test codes");
        credential.put("createdDate", Instant.now().minus(registeredAgo).toEpochMilli());
        ObjectNode secret = JSON.createObjectNode();
        ArrayNode list = secret.putArray("codes");
        for (int i = 0; i < codes.length; i++) {
            list.addObject().put("number", i + 1).put("encodedHashedValue", sha512(codes[i]));
        }
        credential.put("secretData", secret.toString());
        credential.put("credentialData", "{\"hashIterations\":1,\"algorithm\":\"SHA-512\",\"remaining\":"
                + codes.length + ",\"total\":" + codes.length + "}");
        moreCredentials.add(credential);
        return this;
    }

    private static String sha512(String code) {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-512")
                    .digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A required action pending on the account (for example UPDATE_PROFILE). */
    public NewUser requiredAction(String action) {
        requiredActions.add(action);
        return this;
    }

    /** A confirmed recovery phone number. */
    public NewUser phone(String number) {
        attributes.put("phoneNumber", List.of(number));
        attributes.put("phoneNumberVerified", List.of("true"));
        return this;
    }

    public NewUser attribute(String name, String value) {
        attributes.put(name, List.of(value));
        return this;
    }

    public NewUser group(String path) {
        groups.add(path);
        return this;
    }

    public NewUser realmRole(String role) {
        realmRoles.add(role);
        return this;
    }

    /** A role of a client, given directly (for example realm-management's manage-users). */
    public NewUser clientRole(String clientId, String role) {
        clientRoles.computeIfAbsent(clientId, k -> new ArrayList<>()).add(role);
        return this;
    }

    public String username() {
        return username;
    }

    public String emailAddress() {
        return email;
    }

    /** Imports the user; returns its id. */
    public String create() {
        ObjectNode partial = JSON.createObjectNode();
        partial.put("ifResourceExists", "FAIL");
        partial.putArray("users").add(representation());
        realm.partialImport(partial.toString());
        return realm.userIdOf(username);
    }

    /** Imports several users of one realm with one request (much faster than one by one); returns their ids by name. */
    public static Map<String, String> createAll(TestRealm realm, List<NewUser> users) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int from = 0; from < users.size(); from += 50) {
            ObjectNode partial = JSON.createObjectNode();
            partial.put("ifResourceExists", "FAIL");
            ArrayNode list = partial.putArray("users");
            users.subList(from, Math.min(users.size(), from + 50)).forEach(u -> list.add(u.representation()));
            try {
                for (var result : JSON.readTree(realm.partialImport(partial.toString())).path("results")) {
                    if ("USER".equals(result.path("resourceType").asText())) {
                        ids.put(result.path("resourceName").asText(), result.path("id").asText());
                    }
                }
            } catch (java.io.IOException e) {
                throw new HarnessException("partial import answered no JSON: " + e.getMessage(), e);
            }
        }
        for (NewUser user : users) {
            if (ids.get(user.username) == null || ids.get(user.username).isEmpty()) {
                ids.put(user.username, realm.userIdOf(user.username));
            }
        }
        return ids;
    }

    private ObjectNode representation() {
        long since = Instant.now().minus(registeredAgo).toEpochMilli();
        ObjectNode user = JSON.createObjectNode();
        user.put("username", username);
        if (email != null) {
            user.put("email", email);
            user.put("emailVerified", emailVerified);
        }
        user.put("firstName", username);
        user.put("lastName", "Test");
        user.put("enabled", enabled);
        user.put("createdTimestamp", since);
        ObjectNode attrs = user.putObject("attributes");
        attributes.forEach((k, v) -> {
            ArrayNode values = attrs.putArray(k);
            v.forEach(values::add);
        });
        ArrayNode credentials = user.putArray("credentials");
        if (password != null) {
            ObjectNode pw = credentials.addObject();
            pw.put("type", "password");
            pw.put("value", password);
            pw.put("temporary", false);
            pw.put("createdDate", since);
        }
        moreCredentials.forEach(credentials::add);
        if (!groups.isEmpty()) {
            ArrayNode g = user.putArray("groups");
            groups.forEach(g::add);
        }
        if (!clientRoles.isEmpty()) {
            ObjectNode c = user.putObject("clientRoles");
            clientRoles.forEach((client, roles) -> {
                ArrayNode list = c.putArray(client);
                roles.forEach(list::add);
            });
        }
        if (!realmRoles.isEmpty()) {
            ArrayNode r = user.putArray("realmRoles");
            realmRoles.forEach(r::add);
        }
        if (!requiredActions.isEmpty()) {
            ArrayNode r = user.putArray("requiredActions");
            requiredActions.forEach(r::add);
        }
        return user;
    }
}
