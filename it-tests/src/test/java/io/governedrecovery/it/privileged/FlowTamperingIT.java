package io.governedrecovery.it.privileged;

import static io.governedrecovery.it.privileged.PrivilegedFlows.NEW_PASSWORD_FORM;
import static io.governedrecovery.it.privileged.PrivilegedFlows.WAITING_FORM;
import static io.governedrecovery.it.privileged.PrivilegedFlows.check;
import static io.governedrecovery.it.privileged.PrivilegedFlows.decideByLink;
import static io.governedrecovery.it.privileged.PrivilegedFlows.prove;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.Enrolment;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Crafted requests against the privileged branch: none moves an administrator into the standard branch or past the
 * approval, none makes one flow's proof or approval serve another, and bad input on the approval pages and endpoints
 * gets a clear answer and changes nothing.
 */
@ExtendWith(RealKeycloak.class)
class FlowTamperingIT {

    static final String APPROVER = "p-vic@example.test";
    private final PrivilegedFlows flows = new PrivilegedFlows();

    @BeforeAll
    static void approver(TestRealm realm) {
        realm.policy(Map.of("cooldown-hours", "0"));
        realm.privilegedPolicy(Map.of("cooldown-hours", "0"));
        // Methods registered moments before a reset make its start a "reset after a method change" finding, and the
        // risk policy would then refuse these tests' second and third flows of one account: tested in RiskPolicyIT.
        realm.config("governed-recovery-controls", Map.of("risk-policy", "false"));
        realm.user("p-vic").group("/recovery-approvers").password("Vera-password-1").create();
    }

    @Test
    void an_administrator_walks_the_same_pages_as_a_standard_account_until_a_proof(TestRealm realm) {
        realm.user("admin-acct-1").group("/realm-admins").totp("a1-secret").create();
        realm.user("plain-acct-1").totp("p1-secret").create();
        List<FlowClient.Page> admin = ResetWalk.walk(realm, "admin-acct-1");
        List<FlowClient.Page> plain = ResetWalk.walk(realm, "plain-acct-1");
        for (int step = 0; step < admin.size(); step++) {
            assertThat(ResetWalk.masked(admin.get(step).body(), "admin-acct-1")).as("page of step " + step)
                    .isEqualTo(ResetWalk.masked(plain.get(step).body(), "plain-acct-1"));
        }
    }

    @Test
    void without_a_privileged_branch_an_administrator_walks_the_pages_of_an_unknown_name(TestRealm realm) {
        realm.user("admin-acct-2").group("/realm-admins").totp("a2-secret").create();
        var branch = realm.admin().flows().getExecutions("governed reset credentials").stream()
                .filter(e -> "governed reset - privileged accounts".equals(e.getDisplayName())).findFirst()
                .orElseThrow();
        branch.setRequirement("DISABLED");
        realm.admin().flows().updateExecutions("governed reset credentials", branch);
        try {
            List<FlowClient.Page> admin = ResetWalk.walk(realm, "admin-acct-2");
            List<FlowClient.Page> unknown = ResetWalk.walk(realm, "nobody-acc-2");
            for (int step = 0; step < admin.size(); step++) {
                assertThat(ResetWalk.masked(admin.get(step).body(), "admin-acct-2")).as("page of step " + step)
                        .isEqualTo(ResetWalk.masked(unknown.get(step).body(), "nobody-acc-2"));
            }
        } finally {
            branch.setRequirement("CONDITIONAL");
            realm.admin().flows().updateExecutions("governed reset credentials", branch);
        }
    }

    @Test
    void the_privileged_settings_as_the_console_saves_them_break_nothing(TestRealm realm) {
        // The console's dialog pre-fills "Strong methods required" with 1; an admin saves it to set branch=privileged.
        realm.privilegedPolicy(Map.of("min-strong-methods", "1"));
        try {
            realm.user("admin-acct-3").group("/realm-admins").totp("a3-secret").create();
            realm.user("plain-acct-3").totp("p3-secret").create();
            List<FlowClient.Page> admin = ResetWalk.walk(realm, "admin-acct-3");
            List<FlowClient.Page> plain = ResetWalk.walk(realm, "plain-acct-3");
            for (int step = 0; step < admin.size(); step++) {
                assertThat(ResetWalk.masked(admin.get(step).body(), "admin-acct-3")).as("page of step " + step)
                        .isEqualTo(ResetWalk.masked(plain.get(step).body(), "plain-acct-3"));
            }
            realm.user("admin-acct-4").group("/realm-admins").totp("a4-secret")
                    .recoveryCodes("ADMINCODE234", "ADMINCODE567").create();
            FlowClient.Page waiting = flows.proveBoth(new FlowClient(), realm, "admin-acct-4", "a4-secret",
                    "ADMINCODE234");
            assertThat(waiting.body()).as("two strong methods still lead to the approval").contains(WAITING_FORM);
        } finally {
            realm.privilegedPolicy(Map.of("min-strong-methods", "2"));
        }
    }

    @Test
    void posting_to_other_steps_does_not_skip_the_approval(TestRealm realm, Browser browser) {
        String id = realm.user("p-tia").group("/realm-admins").totp("p-tia-secret").password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "p-tia", "Old-password-1",
                flows.totp("p-tia-secret"));
        FlowClient client = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(client, realm, "p-tia", "p-tia-secret", codes.get(0));
        String action = waiting.formAction(WAITING_FORM);

        List<String> others = new java.util.ArrayList<>(realm.executionIds("governed-recovery-reset"));
        others.addAll(realm.executionIds("governed-recovery-new-password"));
        others.addAll(realm.executionIds("governed-recovery-choose-user"));
        for (String execution : others) {
            String crafted = action.replaceAll("execution=[^&]*", "execution=" + execution);
            for (Map<String, String> form : List.of(Map.of("action", "select", "method", "totp"),
                    Map.of("password-new", "Evil-password-9", "password-confirm", "Evil-password-9"),
                    Map.of("username", "p-tia"))) {
                FlowClient.Page answer = client.postFollowing(crafted, form);
                assertThat(answer.status()).as(execution + " " + form).isLessThan(500);
                assertThat(answer.body()).as(execution + " " + form).doesNotContain(NEW_PASSWORD_FORM);
            }
        }
        assertThat(realm.signIn("p-tia", "Old-password-1", flows.totp("p-tia-secret"))).isTrue();
        assertThat(realm.signIn("p-tia", "Evil-password-9", flows.totp("p-tia-secret"))).isFalse();
    }

    @Test
    void proofs_of_one_account_never_count_for_another(TestRealm realm, MailCatcher mail) {
        // The attacker owns sam's mailbox and app and tries to carry them over to the administrator tom.
        realm.user("p-sam").totp("p-sam-secret").password("Old-password-1").create();
        realm.user("p-tom").group("/realm-admins").totp("p-tom-secret").password("Old-password-1").create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "p-sam");
        FlowClient.Page afterApp = prove(client, methods, "totp", () -> flows.totp("p-sam-secret"));

        // A crafted post of another name to the first step, and a restart of the flow with the other name.
        String crafted = afterApp.formAction(PrivilegedFlows.METHODS_FORM).replaceAll("execution=[^&]*",
                "execution=" + realm.executionIds("governed-recovery-choose-user").get(0));
        FlowClient.Page answer = client.postFollowing(crafted, Map.of("username", "p-tom"));
        assertThat(answer.body()).doesNotContain(NEW_PASSWORD_FORM).doesNotContain(WAITING_FORM);
        FlowClient.Page restarted = client.requestReset(client.openResetPage(realm), "p-tom");
        assertThat(restarted.body()).as("nothing shows as verified for tom").doesNotContain("&check;");
        FlowClient.Page afterMail = prove(client, restarted, "email-code",
                () -> Codes.in(mail.next("p-tom@example.test").text()));
        assertThat(afterMail.body()).as("sam's app does not count for tom").doesNotContain(NEW_PASSWORD_FORM)
                .doesNotContain(WAITING_FORM);
        assertThat(realm.signIn("p-tom", "Old-password-1", flows.totp("p-tom-secret"))).isTrue();
    }

    @Test
    void an_approval_serves_only_the_flow_it_was_given_to(TestRealm realm, MailCatcher mail, Browser browser) {
        String id = realm.user("p-uma").group("/realm-admins").totp("p-uma-secret").password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "p-uma", "Old-password-1",
                flows.totp("p-uma-secret"));
        FlowClient client = new FlowClient();
        FlowClient.Page firstTab = flows.proveBoth(client, realm, "p-uma", "p-uma-secret", codes.get(0));
        String firstLink = PrivilegedFlows.approvalLink(mail, APPROVER, "p-uma");
        // A second tab of the same browser, and a second browser, each with their own proofs.
        FlowClient.Page secondTab = flows.proveBoth(client, realm, "p-uma", "p-uma-secret", codes.get(1));
        FlowClient other = new FlowClient();
        FlowClient.Page otherBrowser = flows.proveBoth(other, realm, "p-uma", "p-uma-secret", codes.get(2));

        assertThat(decideByLink(firstLink, "approve").body()).contains("You approved the reset");
        assertThat(check(client, secondTab).body()).as("the second tab still waits").contains(WAITING_FORM);
        assertThat(check(other, otherBrowser).body()).as("another browser still waits").contains(WAITING_FORM);
        FlowClient.Page newPassword = check(client, firstTab);
        assertThat(newPassword.body()).contains(NEW_PASSWORD_FORM);
        assertThat(check(client, secondTab).body()).as("not after the first tab used it").contains(WAITING_FORM);
        assertThat(decideByLink(firstLink, "approve").status()).as("a replayed link").isEqualTo(409);
    }

    @Test
    void bad_input_on_the_approval_pages_and_endpoints_changes_nothing(TestRealm realm, MailCatcher mail,
                                                                      Browser browser, KeycloakServer server) {
        String id = realm.user("p-ned").group("/realm-admins").totp("p-ned-secret").password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "p-ned", "Old-password-1",
                flows.totp("p-ned-secret"));
        FlowClient client = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(client, realm, "p-ned", "p-ned-secret", codes.get(0));
        String link = PrivilegedFlows.approvalLink(mail, APPROVER, "p-ned");
        String key = PrivilegedFlows.keyOf(link);
        String page = PrivilegedFlows.endpoint(server, realm, "approval");

        FlowClient approver = new FlowClient();
        for (String url : List.of(page, page + "?key=", page + "?key=garbage", page + "?key=" + "a".repeat(5000),
                page + "?key=" + key.substring(0, key.length() - 3) + "abc", page + "?key=%25ZZ")) {
            FlowClient.Page answer = approver.get(url);
            assertThat(answer.status()).as(url).isBetween(400, 499);
            assertThat(answer.body()).as(url).doesNotContain("governed-recovery-decision-form");
        }
        for (Map<String, String> form : List.of(Map.of("key", key, "decision", "maybe"), Map.of("key", key),
                Map.of("decision", "approve"), Map.of("key", "garbage", "decision", "approve"))) {
            FlowClient.Page answer = approver.post(page, form);
            assertThat(answer.status()).as(form.toString()).isBetween(400, 499);
        }
        FlowClient.Page raw = approver.postRaw(page, "application/json", "{\"key\":\"" + key + "\"}");
        assertThat(raw.status()).isBetween(400, 499);

        String approverToken = realm.consoleToken("p-vic", "Vera-password-1", null);
        String approvals = PrivilegedFlows.endpoint(server, realm, "approvals/");
        String someId = java.util.UUID.randomUUID().toString();
        assertThat(PrivilegedFlows.call("POST", approvals + someId, approverToken, "{\"decision\":\"approve\"}")
                .statusCode()).isEqualTo(404);
        assertThat(PrivilegedFlows.call("POST", approvals + "x".repeat(300), approverToken, "{\"decision\":\"approve\"}")
                .statusCode()).isEqualTo(404);
        assertThat(PrivilegedFlows.call("GET", PrivilegedFlows.endpoint(server, realm, "approvals"), null, null)
                .statusCode()).isEqualTo(401);
        String pendingId = pendingOf(server, realm, approverToken, id);
        for (String body : List.of("", "nonsense", "[]", "{\"decision\":\"yes\"}", "{\"decision\":1}",
                "{\"decision\":\"approve\",\"reason\":" + "\"" + "r".repeat(201) + "\"}",
                "{\"decision\":\"approve\",\"reason\":{}}")) {
            var answer = PrivilegedFlows.call("POST", approvals + pendingId, approverToken, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
        }
        // A token of the master realm's admin is no approver of this realm.
        assertThat(PrivilegedFlows.call("POST", approvals + pendingId, server.adminToken(),
                "{\"decision\":\"approve\"}").statusCode()).isEqualTo(401);
        for (String action : List.of("", "approve", "x".repeat(3000))) {
            FlowClient.Page answer = client.postFollowing(waiting.formAction(WAITING_FORM), Map.of("action", action));
            assertThat(answer.status()).isLessThan(500);
            assertThat(answer.body()).contains(WAITING_FORM).doesNotContain(NEW_PASSWORD_FORM);
        }
        assertThat(pendingOf(server, realm, approverToken, id)).as("still pending").isEqualTo(pendingId);
        assertThat(realm.signIn("p-ned", "Old-password-1", flows.totp("p-ned-secret"))).isTrue();
    }

    private static String pendingOf(KeycloakServer server, TestRealm realm, String token, String userId) {
        var answer = PrivilegedFlows.call("GET", PrivilegedFlows.endpoint(server, realm, "approvals"), token, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        for (var a : PrivilegedResetIT.Json.read(answer.body()).path("approvals")) {
            if (userId.equals(a.path("userId").asText())) {
                return a.path("id").asText();
            }
        }
        throw new AssertionError("no pending approval of " + userId + ": " + answer.body());
    }

}
