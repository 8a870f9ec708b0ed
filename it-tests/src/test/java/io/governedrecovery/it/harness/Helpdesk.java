package io.governedrecovery.it.harness;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the helpdesk does for a test through the admin REST API, as the server's bootstrap admin. */
public final class Helpdesk {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Helpdesk() {
    }

    /** The base URL of the realm's Governed Recovery admin endpoints, under Keycloak's admin API. */
    public static String adminApi(TestRealm realm) {
        return realm.server().baseUrl() + "/admin/realms/" + realm.name() + "/governed-recovery/";
    }

    /** Issues a one-time temporary access pass (60 minutes) to a standard account; returns the pass. */
    public static String issuePass(TestRealm realm, String userId) {
        HttpResponse<String> answer = RestCall.send("POST", adminApi(realm) + "users/" + userId
                        + "/temporary-access-passes", realm.server().adminToken(),
                "{\"evidence\":\"in-person\",\"ticket\":\"TEST-1\",\"lifetimeMinutes\":60}");
        if (answer.statusCode() != 201) {
            throw new AssertionError("No pass issued: " + answer.statusCode() + " " + answer.body());
        }
        try {
            return JSON.readTree(answer.body()).path("pass").asText();
        } catch (java.io.IOException e) {
            throw new HarnessException("Bad answer: " + answer.body(), e);
        }
    }

    /**
     * Fine-grained admin permissions (v2) for a helpdesk serving part of the realm: {@code userId} may view and
     * manage (so reset) the members of the top-level group {@code group}. Turns the realm's admin permissions on.
     */
    public static void grantManageOfGroupMembers(TestRealm realm, String group, String userId) {
        KeycloakServer server = realm.server();
        String admin = server.baseUrl() + "/admin/realms/" + realm.name();
        expect(RestCall.send("PUT", admin, server.adminToken(),
                "{\"realm\":\"" + realm.name() + "\",\"adminPermissionsEnabled\":true}"), 204);
        String clientId = json(RestCall.send("GET", admin + "/clients?clientId=admin-permissions",
                server.adminToken(), null).body()).path(0).path("id").asText();
        String authz = admin + "/clients/" + clientId + "/authz/resource-server";
        expect(RestCall.send("POST", authz + "/policy/user", server.adminToken(),
                "{\"name\":\"delegated helpdesk\",\"users\":[\"" + userId + "\"],\"logic\":\"POSITIVE\"}"), 201);
        String groupId = realm.admin().groups().groups().stream().filter(g -> group.equals(g.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No group " + group)).getId();
        expect(RestCall.send("POST", authz + "/permission/scope", server.adminToken(),
                "{\"name\":\"helpdesk manages " + group + "\",\"resourceType\":\"Groups\",\"resources\":[\""
                        + groupId + "\"],\"scopes\":[\"manage-members\",\"view-members\"],"
                        + "\"policies\":[\"delegated helpdesk\"]}"), 201);
    }

    private static void expect(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            throw new AssertionError("Expected " + status + ", got " + answer.statusCode() + ": " + answer.body());
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new HarnessException("Not JSON: " + body, e);
        }
    }
}
