package io.governedrecovery.events.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.events.intake.RecoveryEventSelection;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Every record shape the pipeline exports, validated against OCSF 1.8.0: each Keycloak event type it selects (with and
 * without a method or credential type, failed and not), administrators' events of each selected resource type, and
 * findings of each rule and subject. Also where each kind lands (class and activity) and what is left out.
 */
class OcsfRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "4b2c4a51-7f55-4d31-9a43-1c0f3e7b2a10";
    private static final String ADMIN = "0e5f2d8c-6a2b-4f11-8c77-5d3b9e0a4c21";

    private final RecordCodec codec = new RecordCodec(JSON);
    private final OcsfRecords ocsf = new OcsfRecords(codec, "test");
    private final OcsfValidator validator = OcsfValidator.load();

    private static RecoveryEvent user(String type, String userId, Map<String, String> details) {
        return new RecoveryEvent("e-" + type + details.hashCode(), 1_700_000_000_000L, RecoveryEvent.Kind.USER, type,
                "realm-1", "demo", "account-console", userId, "192.0.2.10",
                type.endsWith("_ERROR") ? "invalid_code" : null, details);
    }

    private static RecoveryEvent admin(String type, String path) {
        Map<String, String> details = new HashMap<>();
        details.put("resource_path", path);
        details.put("actor_user_id", ADMIN);
        return new RecoveryEvent("a-" + type + path.hashCode(), 1_700_000_000_000L, RecoveryEvent.Kind.ADMIN, type,
                "realm-1", "demo", "admin-cli", null, "2001:db8::5", null, details);
    }

    private JsonNode valid(RecoveryEvent e) {
        OutboxRecord record = codec.record(e);
        assertThat(ocsf.exported(record)).as(e.type() + " is exported").isTrue();
        JsonNode node = ocsf.toOcsf(record);
        assertThat(validator.validate(node)).as(node.toString()).isEmpty();
        assertThat(node.path("metadata").path("uid").asText()).isEqualTo(e.id());
        assertThat(node.path("metadata").path("tenant_uid").asText()).isEqualTo("realm-1");
        assertThat(node.path("metadata").path("version").asText()).isEqualTo("1.8.0");
        assertThat(node.path("unmapped").path("keycloak_type").asText()).isEqualTo(e.type());
        return node;
    }

    private static String classAndActivity(JsonNode node) {
        return node.path("class_uid").asInt() + "/" + node.path("activity_id").asInt();
    }

    @Test
    void every_selected_keycloak_event_type_about_an_account_is_a_valid_record() {
        List<Map<String, String>> variants = List.of(Map.of(), Map.of("username", "alice"),
                Map.of("credential_type", "password"), Map.of("credential_type", "otp"),
                Map.of("credential_type", "webauthn-passwordless"), Map.of("credential_type", "recovery-authn-codes"),
                Map.of("gr_method", "email-code", "gr_step", "verify", "gr_tier", "privileged"),
                Map.of("gr_method", "sms-code"), Map.of("gr_method", "totp"), Map.of("gr_method", "tap"),
                Map.of("gr_method", "webauthn"), Map.of("gr_method", "recovery-codes", "gr_tier", "break-glass"),
                Map.of("custom_required_action", "governed-recovery-update-email", "gr_outcome", "changed"));
        Map<String, Integer> byClass = new TreeMap<>();
        for (EventType type : RecoveryEventSelection.USER_EVENTS) {
            for (Map<String, String> details : variants) {
                JsonNode node = valid(user(type.name(), USER, details));
                assertThat(node.path("user").path("uid").asText()).isEqualTo(USER);
                byClass.merge(validator.className(node.path("class_uid").asInt()), 1, Integer::sum);
            }
            // A name typed that matches no account: the name is the target.
            JsonNode byName = valid(user(type.name(), null, Map.of("username", "h:3fa1")));
            assertThat(byName.path("user").path("name").asText()).isEqualTo("h:3fa1");
        }
        assertThat(byClass).containsOnlyKeys("Account Change", "Authentication");
    }

    @Test
    void each_event_lands_in_the_class_and_activity_that_fits() {
        assertThat(classAndActivity(valid(user("LOGIN", USER, Map.of())))).isEqualTo("3002/1");
        JsonNode failedLogin = valid(user("LOGIN_ERROR", USER, Map.of("username", "alice")));
        assertThat(failedLogin.path("status_id").asInt()).isEqualTo(2);
        assertThat(failedLogin.path("status_detail").asText()).isEqualTo("invalid_code");
        assertThat(failedLogin.path("service").path("name").asText()).isEqualTo("account-console");
        assertThat(classAndActivity(valid(user("RESET_PASSWORD", USER, Map.of())))).isEqualTo("3001/4");
        assertThat(classAndActivity(valid(user("SEND_RESET_PASSWORD", USER, Map.of())))).isEqualTo("3001/4");
        assertThat(classAndActivity(valid(user("UPDATE_PASSWORD", USER, Map.of())))).isEqualTo("3001/3");
        assertThat(classAndActivity(valid(user("UPDATE_CREDENTIAL", USER, Map.of("credential_type", "password")))))
                .isEqualTo("3001/3");
        JsonNode passkey = valid(user("UPDATE_CREDENTIAL", USER, Map.of("credential_type", "webauthn-passwordless")));
        assertThat(classAndActivity(passkey)).isEqualTo("3001/10");
        assertThat(passkey.path("auth_factors").path(0).path("factor_type_id").asInt()).isEqualTo(10);
        JsonNode codes = valid(user("REMOVE_CREDENTIAL", USER, Map.of("credential_type", "recovery-authn-codes")));
        assertThat(classAndActivity(codes)).isEqualTo("3001/11");
        assertThat(codes.path("auth_factors").path(0).path("factor_type").asText()).isEqualTo("Recovery Codes");
        assertThat(classAndActivity(valid(user("UPDATE_TOTP", USER, Map.of())))).isEqualTo("3001/10");
        assertThat(classAndActivity(valid(user("REMOVE_TOTP", USER, Map.of())))).isEqualTo("3001/11");
        assertThat(classAndActivity(valid(user("USER_DISABLED_BY_TEMPORARY_LOCKOUT", USER, Map.of()))))
                .isEqualTo("3001/9");
        JsonNode profile = valid(user("UPDATE_PROFILE", USER, Map.of()));
        assertThat(classAndActivity(profile)).isEqualTo("3001/99");
        assertThat(profile.path("activity_name").asText()).isEqualTo("Update Profile");
        JsonNode reset = valid(user("RESET_PASSWORD", USER, Map.of("gr_method", "sms-code", "gr_step", "verify")));
        assertThat(reset.path("auth_factors").path(0).path("factor_type").asText()).isEqualTo("SMS");
        assertThat(reset.path("unmapped").path("details").path("gr_step").asText()).isEqualTo("verify");
    }

    @Test
    void an_owners_report_is_a_high_account_change_named_for_what_it_did() {
        JsonNode report = valid(user("EXECUTE_ACTION_TOKEN", USER, Map.of("action", "governed-recovery-not-me",
                "gr_step", "not_me", "gr_outcome", "frozen", "gr_reported", "password-reset")));
        assertThat(classAndActivity(report)).isEqualTo("3001/99");
        assertThat(report.path("activity_name").asText()).isEqualTo("Owner Report: Recovery Frozen");
        assertThat(report.path("severity_id").asInt()).isEqualTo(4);
        assertThat(report.path("unmapped").path("details").path("gr_reported").asText()).isEqualTo("password-reset");
        JsonNode keycloaks = valid(user("EXECUTE_ACTION_TOKEN", USER, Map.of("action", "reset-credentials")));
        assertThat(keycloaks.path("activity_name").asText()).isEqualTo("Execute Action Token");
        assertThat(keycloaks.path("severity_id").asInt()).isEqualTo(1);
    }

    @Test
    void an_event_that_names_no_account_is_not_exported() {
        for (EventType type : RecoveryEventSelection.USER_EVENTS) {
            OutboxRecord record = codec.record(user(type.name(), null, Map.of("gr_step", "controls")));
            assertThat(ocsf.exported(record)).as(type.name()).isFalse();
            assertThatThrownBy(() -> ocsf.toOcsf(record)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void administrators_events_land_where_their_target_is() {
        String[][] cases = {
            {"CREATE_USER", "users/" + USER, "3001/1"},
            {"UPDATE_USER", "users/" + USER, "3001/99"},
            {"DELETE_USER", "users/" + USER, "3001/6"},
            {"ACTION_USER", "users/" + USER + "/reset-password", "3001/4"},
            {"ACTION_USER", "users/" + USER + "/execute-actions-email", "3001/99"},
            {"DELETE_USER", "users/" + USER + "/credentials/5d9e", "3001/11"},
            {"ACTION_USER", "users/" + USER + "/governed-recovery/temporary-access-passes", "3001/10"},
            {"ACTION_USER", "users/" + USER + "/governed-recovery/temporary-access-passes/9c1f-2/approval", "3001/10"},
            {"ACTION_USER", "users/" + USER + "/governed-recovery/temporary-access-passes/9c1f-2/revocation", "3001/11"},
            {"ACTION_USER", "users/" + USER + "/governed-recovery/break-glass-tests", "3001/99"},
            {"CREATE_REALM_ROLE_MAPPING", "users/" + USER + "/role-mappings/realm", "3005/1"},
            {"DELETE_CLIENT_ROLE_MAPPING", "users/" + USER + "/role-mappings/clients/c-1", "3005/2"},
            {"CREATE_CLIENT_ROLE_MAPPING", "groups/g-1/role-mappings/clients/c-1", "3006/1"},
            {"DELETE_REALM_ROLE_MAPPING", "groups/g-1/role-mappings/realm", "3006/2"},
            {"CREATE_GROUP_MEMBERSHIP", "users/" + USER + "/groups/g-1", "3006/3"},
            {"DELETE_GROUP_MEMBERSHIP", "users/" + USER + "/groups/g-1", "3006/4"},
            {"CREATE_AUTH_FLOW", "authentication/flows/f-1", "3004/1"},
            {"UPDATE_AUTH_EXECUTION", "authentication/flows/governed reset credentials/executions", "3004/3"},
            {"CREATE_AUTH_EXECUTION", "authentication/flows/identity first/executions/execution", "3004/1"},
            {"UPDATE_AUTHENTICATOR_CONFIG", "authentication/config/a-1", "3004/3"},
            {"DELETE_AUTHENTICATOR_CONFIG", "authentication/config/a-1", "3004/4"},
            {"UPDATE_REQUIRED_ACTION", "authentication/required-actions/UPDATE_PASSWORD", "3004/3"},
            {"ACTION_REQUIRED_ACTION", "authentication/required-actions/UPDATE_PASSWORD/raise-priority", "3004/99"},
            {"UPDATE_USER", "users/profile", "3004/3"},
            {"ACTION_GOVERNED_RECOVERY_FINDING", "users/" + USER + "/governed-recovery/findings/gr-f-1/triage",
                "3001/99"},
            {"ACTION_GOVERNED_RECOVERY_FINDING", "governed-recovery/findings/gr-f-2/triage", "3004/99"},
        };
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            JsonNode node = valid(admin(c[0], c[1]));
            if (!classAndActivity(node).equals(c[2])) {
                wrong.add(c[0] + " " + c[1] + " -> " + classAndActivity(node) + ", not " + c[2]);
            }
            assertThat(node.path("actor").path("user").path("uid").asText()).isEqualTo(ADMIN);
            int cls = node.path("class_uid").asInt();
            if (cls == 3001 || cls == 3005) {
                assertThat(node.path("user").path("uid").asText()).as(c[1]).isEqualTo(USER);
            }
            if (cls == 3004) {
                assertThat(node.path("entity").path("uid").asText()).isEqualTo(c[1]);
                assertThat(node.has("user")).isFalse();
            }
        }
        assertThat(wrong).isEmpty();
        JsonNode membership = valid(admin("CREATE_GROUP_MEMBERSHIP", "users/" + USER + "/groups/g-1"));
        assertThat(membership.path("group").path("uid").asText()).isEqualTo("g-1");
        assertThat(membership.path("user").path("uid").asText()).isEqualTo(USER);
        assertThat(valid(admin("CREATE_REALM_ROLE_MAPPING", "users/" + USER + "/role-mappings/realm"))
                .path("privileges").path(0).asText()).isEqualTo("realm roles");
    }

    @Test
    void findings_of_every_rule_and_subject_are_valid_detection_findings() {
        String[] rules = {"failed-resets", "ip-many-accounts", "department-spike", "new-subnet",
            "reset-after-method-change", "privileged-reset", "break-glass-use", "send-volume"};
        int n = 0;
        for (String rule : rules) {
            for (String subject : List.of(Finding.SUBJECT_ACCOUNT, Finding.SUBJECT_NAME, Finding.SUBJECT_ADDRESS,
                    Finding.SUBJECT_DEPARTMENT)) {
                for (int score : new int[] {10, 60, 95}) {
                    Finding f = new Finding("f-" + n++, rule, subject, score, "realm-1",
                            subject.equals(Finding.SUBJECT_ACCOUNT) ? USER : null,
                            subject.equals(Finding.SUBJECT_ADDRESS) || subject.equals(Finding.SUBJECT_DEPARTMENT)
                                    ? null : subject.equals(Finding.SUBJECT_NAME) ? "h:77aa" : "alice",
                            subject.equals(Finding.SUBJECT_DEPARTMENT) ? null : "198.51.100.4",
                            subject.equals(Finding.SUBJECT_DEPARTMENT) ? "Payroll" : null, 1_700_000_000_000L,
                            1_699_999_000_000L, 1_700_000_000_000L, Map.of("failures", "5", "tier", "break-glass"));
                    OutboxRecord record = codec.record(f);
                    assertThat(ocsf.exported(record)).isTrue();
                    JsonNode node = ocsf.toOcsf(record);
                    assertThat(validator.validate(node)).as(node.toString()).isEmpty();
                    assertThat(node.path("class_uid").asInt()).isEqualTo(2004);
                    assertThat(node.path("metadata").path("uid").asText()).isEqualTo(f.id());
                    assertThat(node.path("unmapped").path("rule").asText()).isEqualTo(rule);
                    assertThat(node.path("unmapped").path("subject").asText()).isEqualTo(subject);
                    assertThat(node.path("severity_id").asInt()).isEqualTo(f.severityId());
                }
            }
        }
    }
}
