package io.governedrecovery.it.harness;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
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

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KeycloakServer server;
    private final String name;

    TestRealm(KeycloakServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public RealmResource admin() {
        return server.admin().realm(name);
    }

    /** The account console of this realm: opening it shows the realm's login page. */
    public String accountUrl() {
        return server.baseUrl() + "/realms/" + name + "/account";
    }

    public String loginActionsUrl() {
        return server.baseUrl() + "/realms/" + name + "/login-actions";
    }

    /** Creates an enabled user with a verified email and a password; returns the user id. */
    public String createUser(String username, String email, String password) {
        return createUser(username, email, password, Map.of());
    }

    public String createUser(String username, String email, String password, Map<String, List<String>> attributes) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(email);
        user.setEmailVerified(email != null);
        user.setFirstName(username);
        user.setLastName("Test");
        user.setEnabled(true);
        user.setAttributes(attributes);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        user.setCredentials(List.of(credential));
        try (Response response = admin().users().create(user)) {
            if (response.getStatus() != 201) {
                throw new HarnessException("Creating user " + username + " answered " + response.getStatus());
            }
            return CreatedResponseUtil.getCreatedId(response);
        }
    }

    public UserResource user(String id) {
        return admin().users().get(id);
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
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(username) + "&password="
                + encode(password);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/" + name
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            throw new HarnessException("Token request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during a token request");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Realms.deleteIfPresent(server, name);
    }
}
