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

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new HarnessException("Not JSON: " + body, e);
        }
    }
}
