package io.governedrecovery.realmconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The demo realm and the production template are two files an admin imports as they are; they must not drift apart
 * in what governs recovery (flows, step settings, required actions, user profile), and the template must carry no
 * users and no literal secrets.
 */
class RealmFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode read(String name) throws IOException {
        try (InputStream in = RealmFilesTest.class.getResourceAsStream("/realms/" + name)) {
            assertThat(in).as(name).isNotNull();
            return (ObjectNode) JSON.readTree(in);
        }
    }

    @Test
    void both_bind_the_governed_reset_flow_with_its_privileged_branch_and_steps_in_order() throws IOException {
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            ObjectNode realm = read(file);
            assertThat(realm.path("resetCredentialsFlow").asText()).isEqualTo("governed reset credentials");
            JsonNode flow = flow(realm, "governed reset credentials");
            List<String> steps = new ArrayList<>();
            flow.path("authenticationExecutions").forEach(e -> steps.add(e.path("authenticator").asText(
                    e.path("flowAlias").asText())));
            // The privileged branch after the reset step: one step serves every account before a proof.
            assertThat(steps).as(file).containsExactly("governed-recovery-choose-user", "governed-recovery-controls",
                    "governed reset - outside the pilot", "governed-recovery-reset",
                    "governed reset - privileged accounts", "governed-recovery-new-password");
            List<String> fallback = new ArrayList<>();
            flow(realm, "governed reset - outside the pilot").path("authenticationExecutions")
                    .forEach(e -> fallback.add(e.path("authenticator").asText()));
            assertThat(fallback).as(file + ": the fallback never offers 'Reset OTP'")
                    .containsExactly("governed-recovery-pilot", "reset-credential-email");
            List<String> privileged = new ArrayList<>();
            flow(realm, "governed reset - privileged accounts").path("authenticationExecutions")
                    .forEach(e -> privileged.add(e.path("authenticator").asText() + ":" + e.path("requirement").asText()));
            assertThat(privileged).as(file + ": the privileged branch, every step required").containsExactly(
                    "governed-recovery-privileged:REQUIRED", "governed-recovery-reset:REQUIRED",
                    "governed-recovery-approval:REQUIRED");
            assertThat(config(realm, "governed-recovery-privileged-policy").path("branch").asText())
                    .isEqualTo("privileged");
            assertThat(config(realm, "governed-recovery-privileged-policy").path("min-strong-methods").asText())
                    .isEqualTo("2");
            assertThat(config(realm, "governed-recovery-approval").path("approvers-group").asText())
                    .isEqualTo("/recovery-approvers");
            List<String> groups = new ArrayList<>();
            realm.path("groups").forEach(g -> groups.add(g.path("path").asText()));
            assertThat(groups).as(file + ": the groups the flow names exist").contains("/recovery-approvers",
                    "/break-glass", "/realm-admins");
            assertThat(realm.path("eventsListeners").toString()).contains("governed-recovery-events");
            assertThat(realm.path("loginTheme").asText()).isEqualTo("governed-recovery");
            assertThat(realm.path("requiredActions").toString()).as(file + ": no finish action; the new-password "
                    + "step finishes the reset").doesNotContain("governed-recovery-finish-reset");
        }
    }

    @Test
    void every_provider_id_in_a_flow_fits_keycloaks_column() throws IOException {
        // AUTHENTICATION_EXECUTION.AUTHENTICATOR is 36 characters: a longer id fails the import with "Database
        // operation failed" and nothing else.
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            for (JsonNode flow : read(file).path("authenticationFlows")) {
                for (JsonNode execution : flow.path("authenticationExecutions")) {
                    assertThat(execution.path("authenticator").asText().length()).as(file + " " + execution)
                            .isLessThanOrEqualTo(36);
                }
            }
        }
    }

    @Test
    void texts_fit_keycloaks_columns() throws IOException {
        // Group attributes and client descriptions are 255-character columns: a longer value fails the whole import
        // with "Database operation failed".
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            ObjectNode realm = read(file);
            for (JsonNode group : realm.path("groups")) {
                group.path("attributes").forEach(values -> values.forEach(v -> assertThat(v.asText().length())
                        .as(file + " group " + group.path("name")).isLessThan(255)));
            }
            for (JsonNode client : realm.path("clients")) {
                assertThat(client.path("description").asText().length()).as(file + " " + client.path("clientId"))
                        .isLessThan(255);
            }
        }
    }

    @Test
    void the_recovery_console_client_is_the_approvers_audience_and_the_helpdesk_a_privileged_group()
            throws IOException {
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            ObjectNode realm = read(file);
            JsonNode console = null;
            for (JsonNode client : realm.path("clients")) {
                if ("governed-recovery-console".equals(client.path("clientId").asText())) {
                    console = client;
                }
            }
            assertThat(console).as(file + " declares the recovery console client").isNotNull();
            assertThat(console.path("publicClient").asBoolean()).isTrue();
            assertThat(console.path("directAccessGrantsEnabled").asBoolean()).as("no password grant").isFalse();
            assertThat(console.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
            assertThat(console.path("protocolMappers").toString()).contains("oidc-audience-mapper")
                    .contains("\"included.client.audience\":\"governed-recovery-console\"");
            assertThat(console.path("fullScopeAllowed").asBoolean(true))
                    .as(file + ": the console's tokens carry only the admin roles it uses").isFalse();
            List<String> scoped = new ArrayList<>();
            realm.path("clientScopeMappings").path("realm-management").forEach(m -> {
                if ("governed-recovery-console".equals(m.path("client").asText())) {
                    m.path("roles").forEach(r -> scoped.add(r.asText()));
                }
            });
            assertThat(scoped).as(file).containsExactlyInAnyOrder("query-groups", "query-users", "view-users",
                    "manage-users", "view-events", "view-realm");
            assertThat(config(realm, "governed-recovery-privileged-accounts").path("privileged-groups").asText())
                    .as(file + ": the people who run recovery are privileged")
                    .contains("/recovery-approvers").contains("/recovery-helpdesk");
            assertThat(realm.path("roles").toString()).doesNotContain("recovery-helpdesk");
        }
    }

    @Test
    void the_user_profile_declares_department_and_every_display_name_has_a_text() throws IOException {
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            ObjectNode realm = read(file);
            JsonNode profile = new ObjectMapper().readTree(realm.path("components")
                    .path("org.keycloak.userprofile.UserProfileProvider").path(0).path("config")
                    .path("kc.user.profile.config").path(0).asText());
            JsonNode department = null;
            for (JsonNode attribute : profile.path("attributes")) {
                if ("department".equals(attribute.path("name").asText())) {
                    department = attribute;
                }
                String display = attribute.path("displayName").asText();
                if (display.startsWith("${governedRecovery")) {
                    String key = display.substring(2, display.length() - 1);
                    for (String language : List.of("en", "de")) {
                        assertThat(realm.path("localizationTexts").path(language).path(key).asText(""))
                                .as(file + ": " + language + " text of " + key).isNotBlank();
                    }
                }
            }
            assertThat(department).as(file + ": department is declared, or an admin's value is silently dropped")
                    .isNotNull();
            assertThat(department.path("permissions").path("edit").toString()).isEqualTo("[\"admin\"]");
            assertThat(department.path("permissions").path("view").toString()).contains("user");
        }
    }

    @Test
    void demo_and_template_govern_recovery_the_same_way() throws IOException {
        ObjectNode demo = read("demo-realm.json");
        ObjectNode template = read("governed-recovery-template.json");
        for (String part : List.of("authenticationFlows", "requiredActions", "components", "browserFlow",
                "directGrantFlow", "resetCredentialsFlow", "supportedLocales", "groups")) {
            assertThat(template.get(part)).as(part).isEqualTo(demo.get(part));
        }
        assertThat(withoutHelpdesk(template.get("authenticatorConfig")))
                .isEqualTo(withoutHelpdesk(demo.get("authenticatorConfig")));
    }

    @Test
    void the_template_has_no_users_and_no_literal_secrets() throws IOException {
        ObjectNode template = read("governed-recovery-template.json");
        assertThat(template.has("users")).isFalse();
        assertThat(template.path("smtpServer").path("password").asText()).startsWith("${");
        assertThat(template.path("realm").asText()).startsWith("${");
    }

    /** keycloak-config-cli matches authenticator configs by alias: each step's config needs its own. */
    @Test
    void every_authenticator_config_has_its_own_alias_and_step() throws IOException {
        for (String file : List.of("demo-realm.json", "governed-recovery-template.json")) {
            ObjectNode realm = read(file);
            List<String> aliases = new ArrayList<>();
            realm.path("authenticatorConfig").forEach(c -> aliases.add(c.path("alias").asText()));
            assertThat(aliases).as(file + ": config aliases").doesNotHaveDuplicates().doesNotContain("");
            List<String> used = new ArrayList<>();
            realm.path("authenticationFlows").forEach(f -> f.path("authenticationExecutions").forEach(e -> {
                if (e.hasNonNull("authenticatorConfig")) {
                    used.add(e.path("authenticatorConfig").asText());
                }
            }));
            assertThat(used).as(file + ": one step per config").doesNotHaveDuplicates();
            assertThat(aliases).as(file + ": every config a step names exists").containsAll(used);
        }
    }

    /**
     * realm-config/terraform/governed-reset-flow.tf is the template's governed flow as Terraform: the same steps in the
     * same order (sub-flows in place), the same sub-flows, and for each config alias the same settings (the helpdesk
     * texts, placeholders in the template, are variables there).
     */
    @Test
    void the_terraform_example_builds_the_templates_flow() throws IOException {
        String tf = java.nio.file.Files.readString(java.nio.file.Path.of("terraform", "governed-reset-flow.tf"));
        ObjectNode realm = read("governed-recovery-template.json");

        List<String> expected = new ArrayList<>();
        flatten(realm, "governed reset credentials", expected);
        List<String> steps = new ArrayList<>();
        java.util.regex.Matcher step = java.util.regex.Pattern.compile(
                "(?m)^\\s*(authenticator|alias)\\s*=\\s*\"([^\"]+)\"").matcher(tf);
        while (step.find()) {
            if (step.group(1).equals("authenticator")) {
                steps.add(step.group(2));
            } else if (step.group(2).startsWith("governed reset - ")) {
                steps.add(step.group(2));
            }
        }
        assertThat(steps).as("steps and sub-flows, in order").containsExactlyElementsOf(expected);
        assertThat(tf).contains("reset_credentials_flow = keycloak_authentication_flow.governed_reset.alias")
                .contains("alias       = \"governed reset credentials\"");

        java.util.regex.Matcher block = java.util.regex.Pattern.compile(
                "alias\\s*=\\s*\"([^\"]+)\"\\s*\\n\\s*config = \\{(.*?)\\n  \\}", java.util.regex.Pattern.DOTALL)
                .matcher(tf);
        List<String> configured = new ArrayList<>();
        while (block.find()) {
            String alias = block.group(1);
            configured.add(alias);
            java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
            java.util.regex.Matcher entry = java.util.regex.Pattern.compile(
                    "\"([^\"]+)\"\\s*=\\s*(\"[^\"]*\"|var\\.\\w+)").matcher(block.group(2));
            while (entry.find()) {
                settings.put(entry.group(1), entry.group(2));
            }
            java.util.Map<String, String> template = new java.util.LinkedHashMap<>();
            config(realm, alias).fields().forEachRemaining(f -> template.put(f.getKey(),
                    f.getValue().asText().startsWith("${GR_HELPDESK_")
                            ? "var." + (f.getKey().equals("helpdesk-text") ? "helpdesk_text" : "helpdesk_url")
                            : "\"" + f.getValue().asText() + "\""));
            assertThat(settings).as(alias).containsExactlyInAnyOrderEntriesOf(template);
        }
        List<String> used = new ArrayList<>();
        realm.path("authenticationFlows").forEach(f -> {
            if (f.path("alias").asText().startsWith("governed reset")) {
                f.path("authenticationExecutions").forEach(e -> {
                    if (e.hasNonNull("authenticatorConfig")) {
                        used.add(e.path("authenticatorConfig").asText());
                    }
                });
            }
        });
        assertThat(configured).as("every config of the flow").containsExactlyInAnyOrderElementsOf(used);
    }

    private static void flatten(ObjectNode realm, String alias, List<String> into) {
        for (JsonNode e : flow(realm, alias).path("authenticationExecutions")) {
            if (e.path("authenticatorFlow").asBoolean()) {
                into.add(e.path("flowAlias").asText());
                flatten(realm, e.path("flowAlias").asText(), into);
            } else {
                into.add(e.path("authenticator").asText());
            }
        }
    }

    private static JsonNode flow(ObjectNode realm, String alias) {
        for (JsonNode flow : realm.path("authenticationFlows")) {
            if (alias.equals(flow.path("alias").asText())) {
                return flow;
            }
        }
        throw new AssertionError("no flow " + alias);
    }

    private static JsonNode config(ObjectNode realm, String alias) {
        for (JsonNode config : realm.path("authenticatorConfig")) {
            if (alias.equals(config.path("alias").asText())) {
                return config.path("config");
            }
        }
        throw new AssertionError("no authenticator config " + alias);
    }

    private static JsonNode withoutHelpdesk(JsonNode configs) {
        JsonNode copy = configs.deepCopy();
        copy.forEach(c -> {
            ObjectNode config = (ObjectNode) c.path("config");
            config.remove("helpdesk-text");
            config.remove("helpdesk-url");
        });
        return copy;
    }
}
