package io.governedrecovery.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Attacks;
import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * A security analyst's triage of a finding, over the admin API: "confirmed" with a freeze stops the account's
 * self-service recovery (it walks an unknown name's pages) until the helpdesk lifts the freeze with a ticket; the
 * triage is an admin event and an exported record; who may triage what; bad input changes nothing. (The console's
 * findings view and a false positive lowering the risk: {@link ConsoleIT}.)
 */
@ExtendWith(RealKeycloak.class)
class FindingTriageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";

    /** Where the attacker's tries come from: not the owner's address (the tests' loopback). */
    static final String ATTACKER = "203.0.113.77";

    @BeforeAll
    static void analysts(TestRealm realm) {
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32"));
        realm.user("t-analyst").clientRole("realm-management", "view-events")
                .clientRole("realm-management", "manage-users").clientRole("realm-management", "query-users")
                .password("Analyst-password-1").create();
        realm.user("t-viewer").clientRole("realm-management", "view-events").password("Viewer-password-1").create();
    }

    @Test
    void a_confirmed_finding_freezes_recovery_until_the_helpdesk_lifts_it(TestRealm realm, MailCatcher mail,
                                                                         TestEnvironment env) throws Exception {
        String id = realm.user("t-frozen-1").totp("t-frozen-secret").password("Old-password-1").create();
        String finding = burst(realm, env, "t-frozen-1", id);
        String analyst = realm.accessToken("t-analyst", "Analyst-password-1", null);

        JsonNode triage = json(expect(triage(realm, finding, analyst,
                "{\"verdict\":\"confirmed\",\"freeze\":true,\"note\":\"not her: a spray from abroad\"}"), 200));
        assertThat(triage.path("verdict").asText()).isEqualTo("confirmed");
        assertThat(triage.path("frozen").asBoolean()).isTrue();
        JsonNode state = json(expect(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + id
                + "/recovery-freeze", analyst, null), 200));
        assertThat(state.path("frozen").asBoolean()).isTrue();
        assertThat(state.path("reason").asText()).isEqualTo(finding);

        // The owner's reset now walks the pages of an unknown name: byte for byte, and no code is sent.
        int mailsBefore = mail.count("t-frozen-1@example.test");
        List<FlowClient.Page> frozen = ResetWalk.walk(realm, "t-frozen-1");
        List<FlowClient.Page> unknown = ResetWalk.walk(realm, "t-nobody-1");
        for (int step = 0; step < frozen.size(); step++) {
            assertThat(frozen.get(step).status()).isEqualTo(unknown.get(step).status());
            assertThat(ResetWalk.masked(frozen.get(step).body(), "t-frozen-1")).as("page of step " + step)
                    .isEqualTo(ResetWalk.masked(unknown.get(step).body(), "t-nobody-1"));
        }
        assertThat(mail.count("t-frozen-1@example.test")).as("no code goes to a frozen account")
                .isEqualTo(mailsBefore);
        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode refused = exported.await(ExportedEvents.ofType("RESET_PASSWORD_ERROR", id)
                .and(e -> "true".equals(ExportedEvents.detail(e, "gr_frozen"))), Duration.ofSeconds(20));
        assertThat(refused.path("status_detail").asText()).isEqualTo("governed_recovery_frozen");
        assertThat(refused.path("severity_id").asInt()).as("high").isEqualTo(4);
        JsonNode record = exported.await(e -> "ACTION_GOVERNED_RECOVERY_FINDING".equals(e.path("unmapped")
                .path("keycloak_type").asText()) && finding.equals(ExportedEvents.detail(e, "gr_finding")),
                Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(record, "gr_verdict")).isEqualTo("confirmed");
        assertThat(ExportedEvents.detail(record, "gr_frozen")).isEqualTo("true");
        assertThat(ExportedEvents.detail(record, "gr_by")).isEqualTo("t-analyst");
        assertThat(ExportedEvents.detail(record, "gr_rule")).isEqualTo("failed-resets");
        assertThat(ExportedEvents.detail(record, "gr_note")).isEqualTo("not her: a spray from abroad");
        assertThat(record.path("user").path("uid").asText()).as("the account triaged").isEqualTo(id);
        assertThat(realm.signIn("t-frozen-1", "Old-password-1", Totp.unused("t-frozen-secret")))
                .as("the owner still signs in with the password and the app").isTrue();

        // The finding list shows the verdict.
        JsonNode listed = json(expect(RestCall.send("GET", Helpdesk.adminApi(realm) + "findings?user=t-frozen-1",
                analyst, null), 200));
        assertThat(listed.findValues("triage").stream().filter(t -> !t.isNull()).map(t -> t.path("verdict").asText())
                .toList()).contains("confirmed");

        // Only with a ticket, and only by someone who may manage the account.
        String lift = Helpdesk.adminApi(realm) + "users/" + id + "/recovery-freeze/lift";
        expect(RestCall.send("POST", lift, analyst, "{}"), 400);
        expect(RestCall.send("POST", lift, realm.accessToken("t-viewer", "Viewer-password-1", null),
                "{\"ticket\":\"INC-7\"}"), 403);
        assertThat(json(expect(RestCall.send("POST", lift, analyst, "{\"ticket\":\"INC-7\"}"), 200)).path("frozen")
                .asBoolean()).isFalse();
        expect(RestCall.send("POST", lift, analyst, "{\"ticket\":\"INC-7\"}"), 409);
        exported.await(ExportedEvents.ofType("ACTION_USER", id).and(e -> ExportedEvents.detail(e, "resource_path")
                .endsWith("/recovery-freeze/lift")), Duration.ofSeconds(20));

        // The reset works again (risk aside: the burst's finding was confirmed, so the realm's step-up stays; email
        // and app then still reach the helpdesk at elevated risk, which the analyst may lower as a false positive).
        expect(triage(realm, finding, analyst, "{\"verdict\":\"false-positive\"}"), 200);
        awaitRiskCleared(realm, id, analyst);
        FlowClient owner = new FlowClient();
        FlowClient.Page methods = owner.requestReset(owner.openResetPage(realm), "t-frozen-1");
        FlowClient.Page afterMail = owner.prove(methods, "email-code",
                () -> Codes.in(mail.next("t-frozen-1@example.test").text()));
        FlowClient.Page after = owner.prove(afterMail, "totp", () -> Totp.unused("t-frozen-secret"));
        assertThat(after.body()).contains(NEW_PASSWORD_FORM);
    }

    @Test
    void who_may_triage_and_bad_input_changes_nothing(TestRealm realm, TestEnvironment env) throws Exception {
        String id = realm.user("t-bad-1").totp("t-bad-secret").password("Old-password-1").create();
        String finding = burst(realm, env, "t-bad-1", id);
        String analyst = realm.accessToken("t-analyst", "Analyst-password-1", null);
        String viewer = realm.accessToken("t-viewer", "Viewer-password-1", null);

        for (String body : List.of("", "{}", "{\"verdict\":\"maybe\"}", "{\"verdict\":true}",
                "{\"verdict\":\"false-positive\",\"freeze\":true}",
                "{\"verdict\":\"confirmed\",\"note\":\"" + "x".repeat(501) + "\"}",
                "{\"verdict\":\"confirmed\",\"note\":\"a\\u0007b\"}", "{\"verdict\":\"confirmed\",\"extra\":1}")) {
            HttpResponse<String> answer = triage(realm, finding, analyst, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).doesNotContain("Exception").contains("error");
        }
        expect(triage(realm, "gr-failed-resets-0000000000000000", analyst, "{\"verdict\":\"confirmed\"}"), 404);
        expect(triage(realm, finding, viewer, "{\"verdict\":\"false-positive\"}"), 403);
        expect(triage(realm, finding, null, "{\"verdict\":\"false-positive\"}"), 401);

        JsonNode state = json(expect(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + id
                + "/recovery-freeze", analyst, null), 200));
        assertThat(state.path("frozen").asBoolean()).as("nothing was frozen").isFalse();
        JsonNode listed = json(expect(RestCall.send("GET", Helpdesk.adminApi(realm) + "findings?user=t-bad-1",
                analyst, null), 200));
        assertThat(listed.findValues("triage")).as("no triage recorded").allMatch(JsonNode::isNull);
        JsonNode risk = json(expect(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + id + "/recovery",
                analyst, null), 200)).path("risk");
        assertThat(risk.path("score").asInt()).as("the risk stands").isPositive();
    }

    @Test
    void the_policy_summary_reports_a_realm_whose_users_could_remove_a_freeze(TestRealm realm) throws Exception {
        var profile = realm.admin().users().userProfile();
        var config = profile.getConfiguration();
        var before = config.getUnmanagedAttributePolicy();
        String policy = Helpdesk.adminApi(realm) + "policy";
        String admin = realm.server().adminToken();
        assertThat(RestCall.send("GET", policy, admin, null).body()).doesNotContain("unmanaged attributes");
        config.setUnmanagedAttributePolicy(
                org.keycloak.representations.userprofile.config.UPConfig.UnmanagedAttributePolicy.ENABLED);
        profile.update(config);
        try {
            assertThat(json(expect(RestCall.send("GET", policy, admin, null), 200)).path("problems").toString())
                    .contains("lets users edit unmanaged attributes").contains("recovery freeze");
        } finally {
            config.setUnmanagedAttributePolicy(before);
            profile.update(config);
        }
    }

    /**
     * Five wrong app codes at the account's reset from {@link #ATTACKER} (the realm must trust the loopback address as
     * a proxy): a failed-resets finding about the account; returns its id.
     */
    static String burst(TestRealm realm, TestEnvironment env, String username, String id) {
        Attacks.fiveWrongAppCodes(realm, username, ATTACKER);
        return ExportedEvents.id(new ExportedEvents(env.exportDir()).await(
                ExportedEvents.finding("failed-resets", id), Duration.ofSeconds(20)));
    }

    /** Waits until the account's recovery picture shows no risk (every node's scorer applied the triage). */
    static void awaitRiskCleared(TestRealm realm, String id, String token) {
        Await.until("the account's risk lowered", Duration.ofSeconds(20), () -> {
            JsonNode risk = json(expect(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + id + "/recovery",
                    token, null), 200)).path("risk");
            return risk.path("score").asInt() == 0 ? risk : null;
        });
    }

    static HttpResponse<String> triage(TestRealm realm, String finding, String token, String body) {
        return RestCall.send("POST", Helpdesk.adminApi(realm) + "findings/" + finding + "/triage", token, body);
    }

    static HttpResponse<String> expect(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer;
    }

    static JsonNode json(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("Not JSON: " + answer.body(), e);
        }
    }
}
