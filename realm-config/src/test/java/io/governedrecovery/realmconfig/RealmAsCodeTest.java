package io.governedrecovery.realmconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Realm as code. keycloak-config-cli matches authenticator configs by alias, so both realm files give each execution
 * its own config with its own alias; and the Terraform example ({@code terraform/governed-reset-flow.tf}) describes the
 * very flow the template imports: the same executions and sub-flows under the same parents, with the same requirement,
 * order and settings.
 */
class RealmAsCodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOP = "governed reset credentials";
    private static final Pattern RESOURCE = Pattern.compile("resource \"(\\w+)\" \"(\\w+)\" \\{");
    private static final Pattern FIELD = Pattern.compile("^\\s*(\\w+)\\s*=\\s*(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern ENTRY = Pattern.compile("^\\s*\"([^\"]+)\"\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*$",
            Pattern.MULTILINE);

    private static JsonNode realm(String name) throws IOException {
        try (InputStream in = RealmAsCodeTest.class.getResourceAsStream("/realms/" + name)) {
            assertThat(in).as(name).isNotNull();
            return JSON.readTree(in);
        }
    }

    @Test
    void every_execution_has_its_own_config_with_its_own_alias() throws IOException {
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            JsonNode realm = realm(file);
            List<String> aliases = new ArrayList<>();
            realm.path("authenticatorConfig").forEach(c -> aliases.add(c.path("alias").asText()));
            assertThat(aliases).as(file + ": config aliases").doesNotHaveDuplicates().doesNotContain("");
            List<String> used = new ArrayList<>();
            realm.path("authenticationFlows").forEach(f -> f.path("authenticationExecutions").forEach(e -> {
                if (e.has("authenticatorConfig")) {
                    used.add(e.path("authenticatorConfig").asText());
                }
            }));
            assertThat(used).as(file + ": a config serves one execution").doesNotHaveDuplicates();
            assertThat(aliases).as(file + ": every config an execution uses exists").containsAll(used);
        }
    }

    @Test
    void the_terraform_example_is_the_templates_flow() throws IOException {
        JsonNode template = realm("governed-recovery-template.json");
        assertThat(template.path("resetCredentialsFlow").asText()).isEqualTo(TOP);
        Map<String, Map<String, String>> configs = new HashMap<>();
        template.path("authenticatorConfig").forEach(c -> {
            Map<String, String> values = new TreeMap<>();
            c.path("config").fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
            configs.put(c.path("alias").asText(), values);
        });
        List<String> expected = new ArrayList<>();
        describe(template, TOP, configs, expected);

        String tf = Files.readString(Path.of("terraform", "governed-reset-flow.tf"));
        assertThat(terraform(tf)).isEqualTo(expected);
        assertThat(tf).contains("reset_credentials_flow = keycloak_authentication_flow.governed_reset_credentials.alias");
    }

    /** One line per execution or sub-flow of {@code alias}, depth first in order, with its config. */
    private static void describe(JsonNode realm, String alias, Map<String, Map<String, String>> configs,
                                 List<String> out) {
        for (JsonNode flow : realm.path("authenticationFlows")) {
            if (!alias.equals(flow.path("alias").asText())) {
                continue;
            }
            List<JsonNode> executions = new ArrayList<>();
            flow.path("authenticationExecutions").forEach(executions::add);
            executions.sort((a, b) -> Integer.compare(a.path("priority").asInt(), b.path("priority").asInt()));
            for (JsonNode e : executions) {
                if (e.path("authenticatorFlow").asBoolean()) {
                    out.add(alias + " > flow " + e.path("flowAlias").asText() + " " + e.path("requirement").asText()
                            + " " + e.path("priority").asInt());
                    describe(realm, e.path("flowAlias").asText(), configs, out);
                } else {
                    String config = e.path("authenticatorConfig").asText(null);
                    out.add(alias + " > " + e.path("authenticator").asText() + " " + e.path("requirement").asText()
                            + " " + e.path("priority").asInt()
                            + (config == null ? "" : " config " + config + " " + configs.get(config)));
                }
            }
            return;
        }
        throw new AssertionError("no flow " + alias);
    }

    /** The same lines read from the Terraform file. */
    private static List<String> terraform(String tf) {
        Map<String, Map<String, String>> blocks = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Matcher r = RESOURCE.matcher(tf);
        while (r.find()) {
            int start = r.end();
            int depth = 1;
            int i = start;
            while (depth > 0) {
                char c = tf.charAt(i++);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            String body = tf.substring(start, i - 1);
            String key = r.group(1) + "." + r.group(2);
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher f = FIELD.matcher(body.replaceAll("(?s)config = \\{.*?\\n  }", ""));
            while (f.find()) {
                fields.put(f.group(1), unquote(f.group(2)));
            }
            if (body.contains("config = {")) {
                Map<String, String> config = new TreeMap<>();
                Matcher e = ENTRY.matcher(body.substring(body.indexOf("config = {")));
                while (e.find()) {
                    config.put(e.group(1), unquote("\"" + e.group(2) + "\""));
                }
                fields.put("config", config.toString());
            }
            blocks.put(key, fields);
            types.put(key, r.group(1));
        }
        Map<String, String> configByExecution = new HashMap<>();
        blocks.forEach((key, fields) -> {
            if (key.startsWith("keycloak_authentication_execution_config.")) {
                String execution = fields.get("execution_id").replaceAll("\\.id$", "");
                configByExecution.put(execution, " config " + fields.get("alias") + " " + fields.get("config"));
            }
        });
        List<String> out = new ArrayList<>();
        blocks.forEach((key, fields) -> {
            String parent = parent(blocks, fields.get("parent_flow_alias"));
            if (key.startsWith("keycloak_authentication_execution.")) {
                out.add(parent + " > " + fields.get("authenticator") + " " + fields.get("requirement") + " "
                        + fields.get("priority") + configByExecution.getOrDefault(key, ""));
            } else if (key.startsWith("keycloak_authentication_subflow.")) {
                out.add(parent + " > flow " + fields.get("alias") + " " + fields.get("requirement") + " "
                        + fields.get("priority"));
            }
        });
        return out;
    }

    private static String parent(Map<String, Map<String, String>> blocks, String reference) {
        if (reference == null) {
            return null;
        }
        Map<String, String> parent = blocks.get(reference.replaceAll("\\.alias$", ""));
        return parent == null ? reference : parent.get("alias");
    }

    private static String unquote(String value) {
        if (!value.startsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replace("$${", "${").replace("\\\"", "\"")
                .replace("\\\\", "\\");
    }
}
