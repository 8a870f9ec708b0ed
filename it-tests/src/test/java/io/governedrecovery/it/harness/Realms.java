package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Creates realms from the JSON files of realm-config/ through the admin REST API. */
public final class Realms {

    public static final String DEMO = "/realms/demo-realm.json";
    public static final String TEMPLATE = "/realms/governed-recovery-template.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Realms() {
    }

    /** Reads a realm file from realm-config/ (on the test classpath). */
    public static ObjectNode read(String resource) {
        try (InputStream in = Realms.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new HarnessException("No realm file " + resource + " on the classpath (realm-config/ module)");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new HarnessException("Cannot read realm file " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * Imports {@code resource} as realm {@code name}, with its SMTP server pointed at {@code mail}; {@code customize}
     * may change the JSON before it is sent.
     */
    public static void importRealm(KeycloakServer server, MailCatcher mail, String resource, String name,
                                   Consumer<ObjectNode> customize) {
        ObjectNode realm = read(resource);
        String original = realm.path("realm").asText();
        realm.put("realm", name);
        // Clients of the file name their realm in their URLs (the recovery console): follow the new name.
        for (var client : realm.withArray("/clients")) {
            String json = client.toString().replace("/realms/" + original + "/", "/realms/" + name + "/");
            try {
                ((ObjectNode) client).setAll((ObjectNode) JSON.readTree(json));
            } catch (IOException e) {
                throw new HarnessException("Cannot rename the realm in a client: " + e.getMessage(), e);
            }
        }
        // Users of the file hold the realm's default roles by name: follow the new name.
        for (var user : realm.withArray("/users")) {
            com.fasterxml.jackson.databind.node.ArrayNode roles = ((ObjectNode) user).withArray("realmRoles");
            for (int i = 0; i < roles.size(); i++) {
                if (("default-roles-" + original).equals(roles.get(i).asText())) {
                    roles.set(i, JSON.getNodeFactory().textNode("default-roles-" + name));
                }
            }
        }
        ObjectNode smtp = realm.withObject("/smtpServer");
        smtp.put("host", "127.0.0.1");
        smtp.put("port", String.valueOf(mail.smtpPort()));
        // Authenticator-app codes of two periods either side count (Keycloak's look-around window, 1 as shipped): a
        // test that signs in, resets and signs in again with one app then needs no half minute for a fresh code.
        // (Keycloak's import reads the OTP policy only with its type: Keycloak's defaults, and the window.)
        realm.put("otpPolicyType", "totp").put("otpPolicyAlgorithm", "HmacSHA1").put("otpPolicyDigits", 6)
                .put("otpPolicyPeriod", 30).put("otpPolicyInitialCounter", 0).put("otpPolicyCodeReusable", false)
                .put("otpPolicyLookAheadWindow", Totp.LOOK_AROUND);
        customize.accept(realm);
        post(server, "/admin/realms", realm.toString());
    }

    /** The realm file as shipped (only its name, mail server and clients' addresses changed): for the demo. */
    public static void importAsShipped(KeycloakServer server, MailCatcher mail, String resource, String name) {
        importRealm(server, mail, resource, name, json -> json.remove(List.of("otpPolicyType", "otpPolicyAlgorithm",
                "otpPolicyDigits", "otpPolicyPeriod", "otpPolicyInitialCounter", "otpPolicyCodeReusable",
                "otpPolicyLookAheadWindow")));
    }

    /** The settings object of the authenticator config {@code alias} in a realm file, to change before import. */
    public static ObjectNode config(ObjectNode realm, String alias) {
        for (var config : realm.path("authenticatorConfig")) {
            if (alias.equals(config.path("alias").asText())) {
                return (ObjectNode) config.get("config");
            }
        }
        throw new HarnessException("realm file has no authenticator config " + alias);
    }

    /** Raises the recovery controls' rate limits of a realm file out of reach (tests and benchmarks from one address). */
    public static ObjectNode withoutRateLimits(ObjectNode realm) {
        config(realm, "governed-recovery-controls").put("starts-per-ip-hour", "100000")
                .put("starts-per-name-hour", "100000").put("sends-per-user-hour", "100000")
                .put("sends-per-ip-hour", "100000");
        return realm;
    }

    public static void importRealm(KeycloakServer server, MailCatcher mail, String resource, String name) {
        importRealm(server, mail, resource, name, json -> { });
    }

    public static void deleteIfPresent(KeycloakServer server, String name) {
        try {
            server.admin().realm(name).remove();
        } catch (jakarta.ws.rs.NotFoundException absent) {
            // nothing to delete
        }
    }

    /** POSTs JSON to the server's admin API as the bootstrap admin; anything but 2xx fails the test. */
    public static void post(KeycloakServer server, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = server.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new HarnessException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new HarnessException("POST " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during POST " + path);
        }
    }
}
