package io.governedrecovery.it.harness;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admin REST calls Keycloak's admin console makes for the clicks of the README's "set up an existing realm": one
 * method per click, named as the console names it, each checking the answer.
 */
public final class AdminConsole {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final String realm;

    public AdminConsole(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    private String url(String path) {
        return server.baseUrl() + "/admin/realms/" + realm + path;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HttpResponse<String> call(String method, String path, Object body) {
        String json;
        try {
            json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (java.io.IOException e) {
            throw new HarnessException("Cannot write " + body, e);
        }
        HttpResponse<String> answer = RestCall.send(method, url(path), server.adminToken(), json);
        if (answer.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    public JsonNode get(String path) {
        try {
            return JSON.readTree(call("GET", path, null).body());
        } catch (java.io.IOException e) {
            throw new HarnessException("Not JSON: " + path, e);
        }
    }

    /** Authentication, "Create flow": a basic top-level flow. */
    public void createFlow(String alias, String description) {
        call("POST", "/authentication/flows", Map.of("alias", alias, "description", description,
                "providerId", "basic-flow", "topLevel", true, "builtIn", false));
    }

    /** In a flow (or sub-flow), "Add step" or "Add condition": returns the new execution's id. */
    public String addStep(String flowAlias, String providerId) {
        HttpResponse<String> answer = call("POST", "/authentication/flows/" + encode(flowAlias)
                + "/executions/execution", Map.of("provider", providerId));
        String location = answer.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** In a flow, "Add sub-flow" (generic, basic flow): returns the sub-flow's execution id. */
    public String addSubFlow(String flowAlias, String alias, String description) {
        call("POST", "/authentication/flows/" + encode(flowAlias) + "/executions/flow", Map.of("alias", alias,
                "description", description, "provider", "registration-page-form", "type", "basic-flow"));
        return execution(flowAlias, alias).path("id").asText();
    }

    /** The execution of {@code topFlowAlias} (at any depth) whose display name or provider is {@code name}. */
    public JsonNode execution(String topFlowAlias, String name) {
        for (JsonNode e : get("/authentication/flows/" + encode(topFlowAlias) + "/executions")) {
            if (name.equals(e.path("displayName").asText()) || name.equals(e.path("providerId").asText())) {
                return e;
            }
        }
        throw new AssertionError("No execution " + name + " in " + topFlowAlias);
    }

    /** The "Requirement" drop-down of a step. */
    public void requirement(String topFlowAlias, String name, String requirement) {
        ObjectNode e = (ObjectNode) execution(topFlowAlias, name);
        e.put("requirement", requirement);
        call("PUT", "/authentication/flows/" + encode(topFlowAlias) + "/executions", e);
    }

    /** A step's gear ("Settings"): alias and values. */
    public void configure(String executionId, String alias, Map<String, String> config) {
        call("POST", "/authentication/executions/" + executionId + "/config", Map.of("alias", alias,
                "config", config));
    }

    /** The flow's "Bind flow": as the reset-credentials flow. */
    public void bindResetFlow(String alias) {
        realmSettings(Map.of("resetCredentialsFlow", alias));
    }

    /** Realm settings, saved with the changed values only (as the console's forms do). */
    public void realmSettings(Map<String, Object> changes) {
        ObjectNode rep = (ObjectNode) get("");
        changes.forEach((k, v) -> rep.set(k, JSON.valueToTree(v)));
        call("PUT", "", rep);
    }

    /** Realm settings, Events, Event listeners: adds one. */
    public void addEventListener(String id) {
        ObjectNode config = (ObjectNode) get("/events/config");
        ArrayNode listeners = config.withArray("eventsListeners");
        listeners.add(id);
        call("PUT", "/events/config", config);
    }

    /** Realm settings, User profile: changes the JSON editor's content. */
    public void userProfile(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode profile = (ObjectNode) get("/users/profile");
        change.accept(profile);
        call("PUT", "/users/profile", profile);
    }

    /** Groups, "Create group". */
    public void createGroup(String name) {
        call("POST", "/groups", Map.of("name", name));
    }

    /** Authentication, Required actions: the "Enabled" switch. */
    public void enableRequiredAction(String alias) {
        ObjectNode action = (ObjectNode) get("/authentication/required-actions/" + encode(alias));
        action.put("enabled", true);
        call("PUT", "/authentication/required-actions/" + encode(alias), action);
    }

    /** The server info the console reads (for example which validators "Add validator" lists). */
    public JsonNode serverInfo() {
        HttpResponse<String> answer = RestCall.send("GET", server.baseUrl() + "/admin/serverinfo",
                server.adminToken(), null);
        try {
            return JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new HarnessException("Not JSON: serverinfo", e);
        }
    }
}
