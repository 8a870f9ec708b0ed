package io.governedrecovery.it.harness;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import jakarta.ws.rs.core.Response;

/** A realm of one test class, imported from realm-config/ and deleted when the class ends. */
public final class TestRealm implements AutoCloseable {


    private final KeycloakServer server;
    private final String name;

    TestRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** A realm created elsewhere (for example from a realm file with its users), not deleted by this object. */
    public static TestRealm existing(KeycloakServer server, String name) {
        return new TestRealm(server, name);
    }

    public String name() {
        return name;
    }

    public KeycloakServer server() {
        return server;
    }

    public RealmResource admin() {
        return server.admin().realm(name);
    }

    /** The account console of this realm: opening it shows the realm's login page. */
    public String accountUrl() {
        return server.baseUrl() + "/realms/" + name + "/account";
    }

    /**
     * The account console's authorization request: shows the sign-in page to a browser without a session, or goes
     * straight to the account console when signed in. Faster and more deterministic than loading the console.
     */
    public String signInUrl() {
        String redirect = server.baseUrl() + "/realms/" + name + "/account/";
        return server.baseUrl() + "/realms/" + name + "/protocol/openid-connect/auth?client_id=account-console"
                + "&response_type=code&scope=openid&redirect_uri=" + encode(redirect)
                // PKCE, as account-console requires: the S256 challenge of the tests' verifier.
                + "&code_challenge=" + PKCE_CHALLENGE + "&code_challenge_method=S256";
    }

    /** A PKCE code verifier (43 to 128 characters) and its S256 challenge, for the tests' authorization requests. */
    private static final String PKCE_VERIFIER = "governed-recovery-tests-pkce-verifier-0123456789";
    private static final String PKCE_CHALLENGE = pkceChallenge(PKCE_VERIFIER);

    private static String pkceChallenge(String verifier) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String loginActionsUrl() {
        return server.baseUrl() + "/realms/" + name + "/login-actions";
    }

    /** A user to import, registered 30 days ago unless set otherwise. */
    public NewUser user(String username) {
        return new NewUser(this, username);
    }

    /** Keycloak's partial import; returns its answer (the results, with the ids of what it added). */
    String partialImport(String json) {
        return send("POST", "/partialImport", json);
    }

    /** Changes settings of the governed reset step (the authenticator config "governed-recovery-policy"). */
    public void policy(Map<String, String> changes) {
        config("governed-recovery-policy", changes);
    }

    /** Changes settings of the privileged branch's reset step ("governed-recovery-privileged-policy"). */
    public void privilegedPolicy(Map<String, String> changes) {
        config("governed-recovery-privileged-policy", changes);
    }

    /** Changes settings of the privileged-account condition ("governed-recovery-privileged-accounts"). */
    public void privilegedAccounts(Map<String, String> changes) {
        config("governed-recovery-privileged-accounts", changes);
    }

    /** Changes settings of the approval step ("governed-recovery-approval"). */
    public void approval(Map<String, String> changes) {
        config("governed-recovery-approval", changes);
    }

    /** Changes an authenticator config of the reset flow, found by its alias; a null value removes the setting. */
    public void config(String alias, Map<String, String> changes) {
        var config = admin().flows().getExecutions("governed reset credentials").stream()
                .filter(e -> e.getAuthenticationConfig() != null)
                .map(e -> admin().flows().getAuthenticatorConfig(e.getAuthenticationConfig()))
                .filter(c -> alias.equals(c.getAlias()))
                .findFirst().orElseThrow(() -> new HarnessException("realm " + name + " has no step config " + alias));
        Map<String, String> merged = new java.util.HashMap<>(config.getConfig());
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        config.setConfig(merged);
        admin().flows().updateAuthenticatorConfig(config.getId(), config);
    }

    private String send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/realms/" + name + path))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = server.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new HarnessException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new HarnessException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during " + method + " " + path);
        }
    }

    public UserResource userResource(String id) {
        return admin().users().get(id);
    }

    /** When the account's password was last set (epoch millis): a new value means a new password. */
    public long passwordSetAt(String userId) {
        return userResource(userId).credentials().stream().filter(c -> "password".equals(c.getType()))
                .findFirst().orElseThrow().getCreatedDate();
    }

    /** Binds another flow as the realm's reset-credentials flow ("reset credentials" is Keycloak's stock one). */
    public void bindResetFlow(String alias) {
        var rep = admin().toRepresentation();
        rep.setResetCredentialsFlow(alias);
        admin().update(rep);
    }

    public String userIdOf(String username) {
        List<UserRepresentation> found = admin().users().searchByUsername(username, true);
        if (found.isEmpty()) {
            throw new AssertionError("No user " + username + " in realm " + name);
        }
        return found.get(0).getId();
    }

    /**
     * Whether {@code password} signs {@code username} in, checked with a direct grant on the realm's admin-cli client
     * (no browser, no session cookie).
     */
    public boolean passwordWorks(String username, String password) {
        return passwordWorks(username, password, null);
    }

    /**
     * The same for a user with an authenticator app: the direct grant then also needs a code. It sends the next
     * period's code (inside Keycloak's look-ahead window), because the current one may just have been used and
     * Keycloak rightly refuses a reused code.
     */
    public boolean passwordWorks(String username, String password, String totpSecret) {
        return signIn(username, password,
                totpSecret == null ? null : Totp.code(totpSecret, java.time.Instant.now().plusSeconds(30)));
    }

    /** A direct-grant sign-in with an explicit one-time code (or none); true when it is accepted. */
    public boolean signIn(String username, String password, String totpCode) {
        return signInStatus(username, password, totpCode) == 200;
    }

    /**
     * The HTTP status of a direct-grant sign-in: 200 accepted, 400 or 401 refused (Keycloak committed a LOGIN_ERROR
     * event and handed it to the event listeners), 5xx a failure of the server.
     */
    public int signInStatus(String username, String password, String totpCode) {
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(username) + "&password="
                + encode(password) + (totpCode == null ? "" : "&totp=" + totpCode);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/" + name
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            return server.httpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new HarnessException("Token request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during a token request");
        }
    }

    /** The realm's recovery console client, whose tokens the approvers' endpoint accepts. */
    public static final String CONSOLE_CLIENT = "governed-recovery-console";

    /**
     * An access token of the recovery console client for the user, obtained as the console does: authorization code
     * with PKCE through the realm's own sign-in page (with the app's code when the account has one).
     */
    public String consoleToken(String username, String password, String totpCode) {
        return authorizationCodeToken(CONSOLE_CLIENT, server.baseUrl() + "/realms/" + name
                + "/governed-recovery/console/", username, password, totpCode);
    }

    /** An access token of a public client for the user, through the sign-in page (authorization code with PKCE). */
    public String authorizationCodeToken(String clientId, String redirectUri, String username, String password,
                                         String totpCode) {
        FlowClient browser = new FlowClient();
        FlowClient.Page login = browser.get(server.baseUrl() + "/realms/" + name + "/protocol/openid-connect/auth"
                + "?client_id=" + encode(clientId) + "&response_type=code&scope=openid&redirect_uri="
                + encode(redirectUri) + "&code_challenge=" + PKCE_CHALLENGE + "&code_challenge_method=S256");
        FlowClient.Page next = browser.post(login.formAction("kc-form-login"),
                java.util.Map.of("username", username, "password", password));
        if (next.status() == 200 && totpCode != null) {
            next = browser.post(next.formAction("kc-otp-login-form"), java.util.Map.of("otp", totpCode));
        }
        String location = browser.lastLocation();
        if (next.status() != 302 || location == null || !location.contains("code=")) {
            throw new AssertionError("No authorization code for " + username + " at " + clientId + ": " + next.status()
                    + " " + next.body());
        }
        String code = java.net.URLDecoder.decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);
        String form = "grant_type=authorization_code&client_id=" + encode(clientId) + "&code=" + encode(code)
                + "&redirect_uri=" + encode(redirectUri) + "&code_verifier=" + PKCE_VERIFIER;
        return tokenField(form, "access_token", username);
    }

    /** An access token of any client allowing direct grants (for example a third-party app the test created). */
    public String directGrantToken(String clientId, String username, String password) {
        String form = "grant_type=password&client_id=" + encode(clientId) + "&username=" + encode(username)
                + "&password=" + encode(password);
        return tokenField(form, "access_token", username);
    }

    /**
     * The refresh token of a new offline session of the user (direct grant on admin-cli, scope offline_access): a
     * long-lived session that must end when the password is reset.
     */
    public String offlineRefreshToken(String username, String password, String totpCode) {
        String form = "grant_type=password&client_id=admin-cli&scope=openid%20offline_access&username="
                + encode(username) + "&password=" + encode(password) + (totpCode == null ? "" : "&totp=" + totpCode);
        return tokenField(form, "refresh_token", username);
    }

    /** Whether a refresh token still gives new tokens (its session is alive). */
    public boolean refreshWorks(String refreshToken) {
        String form = "grant_type=refresh_token&client_id=admin-cli&refresh_token=" + encode(refreshToken);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/" + name
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            return server.httpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            throw new HarnessException("Token request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during a token request");
        }
    }

    /** An access token of the realm's admin-cli client for the user (direct grant), or an AssertionError. */
    public String accessToken(String username, String password, String totpCode) {
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(username) + "&password="
                + encode(password) + (totpCode == null ? "" : "&totp=" + totpCode);
        return tokenField(form, "access_token", username);
    }

    private String tokenField(String form, String field, String username) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/" + name
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = server.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("No token for " + username + ": " + response.statusCode() + " "
                        + response.body());
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path(field).asText();
        } catch (java.io.IOException e) {
            throw new HarnessException("Token request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during a token request");
        }
    }

    /** The ids of the reset flow's executions of {@code providerId}, in flow order. */
    public List<String> executionIds(String providerId) {
        return admin().flows().getExecutions("governed reset credentials").stream()
                .filter(e -> providerId.equals(e.getProviderId())).map(e -> e.getId()).toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Realms.deleteIfPresent(server, name);
    }
}
