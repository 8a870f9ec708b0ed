package io.governedrecovery.it.privileged;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Break-glass accounts: never reset by self-service (the pages of an unknown name), every sign-in a critical event
 * and a notice to the administrators, a real use forces a new password, tests are recorded and overdue ones listed.
 */
@ExtendWith(RealKeycloak.class)
class BreakGlassIT {

    static final String NOTIFIED = "p-nina@example.test";

    @BeforeAll
    static void administratorsToNotify(TestRealm realm) {
        realm.user("p-nina").group("/realm-admins").password("Nora-password-1").create();
    }

    @Test
    void a_break_glass_account_cannot_start_a_reset_and_walks_the_pages_of_an_unknown_name(
            TestRealm realm, MailCatcher mail, TestEnvironment env) {
        // by group; equal name lengths keep the pages byte-comparable
        String id = realm.user("glass-acct-1").group("/break-glass").totp("glass-secret").create();

        List<FlowClient.Page> glass = ResetWalk.walk(realm, "glass-acct-1");
        List<FlowClient.Page> unknown = ResetWalk.walk(realm, "nobody-abc-1");
        for (int step = 0; step < glass.size(); step++) {
            assertThat(glass.get(step).status()).isEqualTo(unknown.get(step).status());
            assertThat(ResetWalk.masked(glass.get(step).body(), "glass-acct-1")).as("page of step " + step)
                    .isEqualTo(ResetWalk.masked(unknown.get(step).body(), "nobody-abc-1"));
        }
        assertThat(mail.count("glass-acct-1@example.test")).as("no code goes to a break-glass account").isZero();

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode refused = exported.await(ExportedEvents.ofType("RESET_PASSWORD_ERROR", id)
                .and(e -> "break-glass".equals(ExportedEvents.detail(e, "gr_tier"))), Duration.ofSeconds(20));
        assertThat(refused.path("severity_id").asInt()).as("critical").isEqualTo(5);
        assertThat(refused.path("status_detail").asText()).isEqualTo("governed_recovery_break_glass");
        exported.await(ExportedEvents.finding("privileged-reset", id), Duration.ofSeconds(20));
        assertThat(mail.await(NOTIFIED, m -> m.subject().contains("tried to reset a break-glass account")
                && m.text().contains("glass-acct-1")).text()).contains("nothing was changed");
    }

    @Test
    void a_sign_in_is_critical_notifies_the_admins_and_forces_a_new_password(
            TestRealm realm, MailCatcher mail, TestEnvironment env, KeycloakServer server) {
        // by attribute
        String id = realm.user("glass-acct-2").attribute("governed-recovery.break-glass", "true")
                .password("Glass-password-2").create();

        assertThat(realm.passwordWorks("glass-acct-2", "Glass-password-2")).isTrue();

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode login = exported.await(ExportedEvents.ofType("LOGIN", id), Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(login, "gr_tier")).isEqualTo("break-glass");
        assertThat(ExportedEvents.detail(login, "gr_break_glass_test")).isEqualTo("false");
        assertThat(login.path("severity_id").asInt()).isEqualTo(5);
        exported.await(ExportedEvents.finding("break-glass-use", id), Duration.ofSeconds(20));
        assertThat(mail.await(NOTIFIED, m -> m.subject().contains("break-glass account signed in")
                && m.text().contains("glass-acct-2")).text()).contains("must set a new password");
        Await.until("the password rotation is required", Duration.ofSeconds(20), () -> realm.userResource(id)
                .toRepresentation().getRequiredActions().contains("UPDATE_PASSWORD"));

        JsonNode account = account(status(server, realm), id);
        assertThat(account.path("lastUseAt").asLong()).isPositive();
        assertThat(account.path("rotationRequired").asBoolean()).isTrue();
    }

    @Test
    void recorded_tests_show_in_the_status_and_an_overdue_test_is_flagged(
            TestRealm realm, MailCatcher mail, TestEnvironment env, KeycloakServer server) {
        String tested = realm.user("glass-acct-3").group("/break-glass").password("Glass-password-3").create();
        String overdue = realm.user("glass-acct-4").group("/break-glass").password("Glass-password-4")
                .attribute("governed-recovery.break-glass.last-test-at",
                        Long.toString(System.currentTimeMillis() - 100L * 24 * 3600 * 1000))
                .create();
        String never = realm.user("glass-acct-5").group("/break-glass").create();

        var recorded = PrivilegedFlows.call("POST",
                PrivilegedFlows.adminEndpoint(realm, "break-glass/" + tested + "/tests"), server.adminToken(),
                "{\"ticket\":\"CHG-4711\",\"note\":\"quarterly test\"}");
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);

        JsonNode status = status(server, realm);
        assertThat(status.path("testDays").asInt()).isEqualTo(90);
        assertThat(account(status, tested).path("testOverdue").asBoolean()).isFalse();
        assertThat(account(status, tested).path("lastTestTicket").asText()).isEqualTo("CHG-4711");
        assertThat(account(status, tested).path("lastTestBy").asText()).isEqualTo("admin");
        assertThat(account(status, overdue).path("testOverdue").asBoolean()).isTrue();
        assertThat(account(status, never).path("testOverdue").asBoolean()).isTrue();

        // A sign-in inside the test's window is the test: critical and notified, but no forced rotation.
        assertThat(realm.passwordWorks("glass-acct-3", "Glass-password-3")).isTrue();
        JsonNode login = new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("LOGIN", tested),
                Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(login, "gr_break_glass_test")).isEqualTo("true");
        assertThat(mail.await(NOTIFIED, m -> m.subject().contains("recorded test")
                && m.text().contains("glass-acct-3")).text()).contains("glass-acct-3");
        assertThat(realm.userResource(tested).toRepresentation().getRequiredActions()).doesNotContain("UPDATE_PASSWORD");
    }

    @Test
    void bad_input_on_the_break_glass_endpoints_changes_nothing(TestRealm realm, KeycloakServer server) {
        String id = realm.user("glass-acct-6").group("/break-glass").create();
        String standard = realm.user("plain-user-6").create();
        String tests = PrivilegedFlows.adminEndpoint(realm, "break-glass/" + id + "/tests");
        String token = server.adminToken();
        String userToken = realm.accessToken("p-nina", "Nora-password-1", null);

        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"ticket\":\"\"}", 400);
        cases.put("{\"ticket\":\"CHG 1; drop table\"}", 400);
        cases.put("{\"ticket\":\"" + "x".repeat(65) + "\"}", 400);
        cases.put("{\"ticket\":42}", 400);
        cases.put("{\"ticket\":\"CHG-1\",\"note\":\"" + "n".repeat(201) + "\"}", 400);
        cases.put("not json", 400);
        cases.put("[]", 400);
        cases.put("", 400);
        cases.forEach((body, expected) -> {
            var answer = PrivilegedFlows.call("POST", tests, token, body);
            assertThat(answer.statusCode()).as(body + " -> " + answer.body()).isEqualTo(expected);
        });
        assertThat(PrivilegedFlows.call("POST", tests, null, "{\"ticket\":\"CHG-1\"}").statusCode()).isEqualTo(401);
        assertThat(PrivilegedFlows.call("POST", tests, "not-a-token", "{\"ticket\":\"CHG-1\"}").statusCode())
                .isEqualTo(401);
        assertThat(PrivilegedFlows.call("GET", PrivilegedFlows.adminEndpoint(realm, "break-glass"), null, null)
                .statusCode()).isEqualTo(401);
        // nina administers the realm through her group, so she may; a plain user may not
        String plainToken = realm.accessToken("plain-user-6", "Initial-password-1", null);
        assertThat(PrivilegedFlows.call("POST", tests, plainToken, "{\"ticket\":\"CHG-1\"}").statusCode())
                .isEqualTo(403);
        assertThat(PrivilegedFlows.call("GET", PrivilegedFlows.adminEndpoint(realm, "break-glass"), plainToken,
                null).statusCode()).isEqualTo(403);
        assertThat(PrivilegedFlows.call("GET", PrivilegedFlows.adminEndpoint(realm, "break-glass"), userToken,
                null).statusCode()).isEqualTo(200);
        for (String target : List.of(standard, "no-such-id", "x".repeat(300))) {
            var answer = PrivilegedFlows.call("POST", PrivilegedFlows.adminEndpoint(realm, "break-glass/" + target + "/tests"), token, "{\"ticket\":\"CHG-1\"}");
            assertThat(answer.statusCode()).as(target).isEqualTo(404);
        }
        assertThat(account(status(server, realm), id).path("lastTestAt").isNull()).as("nothing recorded").isTrue();
        assertThat(realm.userResource(standard).toRepresentation().getAttributes()).as("nothing written")
                .isNullOrEmpty();
    }

    private static JsonNode status(KeycloakServer server, TestRealm realm) {
        var answer = PrivilegedFlows.call("GET", PrivilegedFlows.adminEndpoint(realm, "break-glass"),
                server.adminToken(), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return PrivilegedResetIT.Json.read(answer.body());
    }

    private static JsonNode account(JsonNode status, String id) {
        for (JsonNode a : status.path("accounts")) {
            if (id.equals(a.path("id").asText())) {
                return a;
            }
        }
        throw new AssertionError("account " + id + " not in the break-glass status: " + status);
    }
}
