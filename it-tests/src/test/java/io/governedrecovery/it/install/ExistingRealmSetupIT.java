package io.governedrecovery.it.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.it.harness.AdminConsole;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.privileged.PrivilegedFlows;

/**
 * The README's "set up an existing realm in the admin console", click by click, through the admin REST calls the
 * console makes, on a plain realm; the policy summary names each missing piece on the way and nothing at the end; then
 * a standard user resets, and an administrator resets with a second person's approval. The README's steps and this
 * test say the same thing, in the same order.
 */
@ExtendWith(RealKeycloak.class)
class ExistingRealmSetupIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "plain-existing";
    private static final String FLOW = "governed reset credentials";
    private static final String BRANCH = "governed reset - privileged accounts";

    @AfterAll
    static void removeIt(KeycloakServer server) {
        Realms.deleteIfPresent(server, REALM);
    }

    @Test
    void the_readme_steps_on_a_plain_realm_govern_its_resets(KeycloakServer server, MailCatcher mail) {
        Realms.deleteIfPresent(server, REALM);
        RestCall.send("POST", server.baseUrl() + "/admin/realms", server.adminToken(), "{\"realm\":\"" + REALM
                + "\",\"enabled\":true,\"smtpServer\":{\"host\":\"127.0.0.1\",\"port\":\"" + mail.smtpPort()
                + "\",\"from\":\"no-reply@plain.test\"}}");
        AdminConsole console = new AdminConsole(server, REALM);
        TestRealm realm = TestRealm.existing(server, REALM);

        // Authentication, Create flow; then its steps, in this order, each Required.
        console.createFlow(FLOW, "Reset a password only after several methods were proven.");
        console.addStep(FLOW, "governed-recovery-choose-user");
        String controls = console.addStep(FLOW, "governed-recovery-controls");
        console.configure(controls, "governed-recovery-controls", Map.of("risk-policy", "true"));
        String verify = console.addStep(FLOW, "governed-recovery-reset");
        console.configure(verify, "governed-recovery-policy", Map.of("min-methods", "2", "min-strong-methods", "1",
                "cooldown-hours", "72", "helpdesk-text", "Call the plain helpdesk."));
        // The privileged branch: a Conditional sub-flow after the verify step.
        console.addSubFlow(FLOW, BRANCH, "Privileged accounts: stricter policy and a second person's approval.");
        console.requirement(FLOW, BRANCH, "CONDITIONAL");
        String condition = console.addStep(BRANCH, "governed-recovery-privileged");
        console.configure(condition, "governed-recovery-privileged-accounts", Map.of());
        String privileged = console.addStep(BRANCH, "governed-recovery-reset");
        // The dialog pre-fills "Strong methods required" with 1; saved as it is, with branch = privileged.
        console.configure(privileged, "governed-recovery-privileged-policy", Map.of("branch", "privileged",
                "min-methods", "2", "min-strong-methods", "1", "cooldown-hours", "72"));
        String approval = console.addStep(BRANCH, "governed-recovery-approval");
        console.configure(approval, "governed-recovery-approval", Map.of("approvers-group", "/recovery-approvers",
                "approval-minutes", "30"));
        console.addStep(FLOW, "governed-recovery-new-password");
        console.bindResetFlow(FLOW);

        for (String step : List.of("governed-recovery-choose-user", "governed-recovery-controls",
                "governed-recovery-privileged", "governed-recovery-approval", "governed-recovery-new-password")) {
            JsonNode execution = console.execution(FLOW, step);
            assertThat(execution.path("requirement").asText()).as(step + " is added Required").isEqualTo("REQUIRED");
            assertThat(execution.path("requirementChoices").toString()).as(step + " offers only Required")
                    .isEqualTo("[\"REQUIRED\"]");
        }

        // Before the realm settings, the group and the user profile, the summary names each missing piece.
        String problems = problems(realm);
        assertThat(problems).contains("Forgot password").contains("governed-recovery-events is not enabled")
                .contains("login theme").contains("/recovery-approvers does not exist")
                .contains("sms-code is listed but cannot be used");

        // Realm settings: Login, Themes, Events; the user profile; the approvers group.
        console.realmSettings(Map.of("resetPasswordAllowed", true, "loginTheme", "governed-recovery",
                "emailTheme", "governed-recovery"));
        console.addEventListener("governed-recovery-events");
        assertThat(console.serverInfo().path("componentTypes").path("org.keycloak.validate.Validator").toString())
                .as("\"Add validator\" lists ours").contains("\"id\":\"governed-recovery-contact\"");
        console.userProfile(profile -> {
            for (JsonNode attribute : profile.path("attributes")) {
                if ("email".equals(attribute.path("name").asText())) {
                    ((ObjectNode) attribute).with("validations").putObject("governed-recovery-contact");
                }
            }
            for (String name : List.of("phoneNumber", "phoneNumberVerified")) {
                ObjectNode attribute = profile.withArray("attributes").addObject();
                attribute.put("name", name);
                attribute.putObject("permissions").putArray("view").add("admin").add("user");
                ((ObjectNode) attribute.path("permissions")).putArray("edit").add("admin");
                if (name.equals("phoneNumber")) {
                    attribute.putObject("validations").putObject("governed-recovery-contact");
                }
            }
        });
        console.createGroup("recovery-approvers");
        assertThat(problems(realm)).as("every step of the README done").isEqualTo("[]");

        // A standard user resets with the email code and the authenticator app.
        realm.user("px-stan").totp("px-stan-secret").password("Old-password-1").create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "px-stan");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("px-stan@example.test").text()));
        FlowClient.Page newPassword = client.prove(afterEmail, "totp",
                () -> io.governedrecovery.it.harness.Totp.unused("px-stan-secret"));
        FlowClient.Page done = PrivilegedFlows.setPassword(client, newPassword, "New-password-2");
        assertThat(done.body()).contains("Your password was changed");
        assertThat(realm.passwordWorks("px-stan", "New-password-2", "px-stan-secret")).isTrue();

        // An administrator: two strong methods, then a second person's approval.
        realm.user("px-vera").group("/recovery-approvers").create();
        realm.user("px-adam").clientRole("realm-management", "realm-admin").totp("px-adam-secret")
                .recoveryCodes("ADAMCODE2345", "ADAMCODE6789").password("Old-password-1").create();
        PrivilegedFlows flows = new PrivilegedFlows();
        FlowClient admin = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(admin, realm, "px-adam", "px-adam-secret", "ADAMCODE2345");
        String link = PrivilegedFlows.approvalLink(mail, "px-vera@example.test", "px-adam");
        assertThat(PrivilegedFlows.decideByLink(link, "approve").body()).contains("You approved the reset");
        FlowClient.Page adminNewPassword = PrivilegedFlows.check(admin, waiting);
        PrivilegedFlows.setPassword(admin, adminNewPassword, "New-password-3");
        assertThat(realm.passwordWorks("px-adam", "New-password-3", "px-adam-secret")).isTrue();

        // The approval switched off by hand (the REST API still takes it): summary problem, and no reset.
        console.requirement(FLOW, "governed-recovery-approval", "DISABLED");
        assertThat(problems(realm)).contains("governed-recovery-approval").contains("Disabled");
        realm.user("px-ada").clientRole("realm-management", "realm-admin").totp("px-ada-secret")
                .recoveryCodes("ADACODE23456", "ADACODE78923").password("Old-password-1").create();
        FlowClient again = new FlowClient();
        FlowClient.Page methodsAgain = again.requestReset(again.openResetPage(realm), "px-ada");
        FlowClient.Page afterApp = again.prove(methodsAgain, "totp",
                () -> io.governedrecovery.it.harness.Totp.unused("px-ada-secret"));
        FlowClient.Page after = again.prove(afterApp, "recovery-codes", () -> "ADACODE23456");
        assertThat(after.body()).doesNotContain(PrivilegedFlows.NEW_PASSWORD_FORM);
        assertThat(realm.passwordWorks("px-ada", "Old-password-1", "px-ada-secret")).isTrue();
    }

    private static String problems(TestRealm realm) {
        try {
            return JSON.readTree(RestCall.send("GET", Helpdesk.adminApi(realm) + "policy",
                    realm.server().adminToken(), null).body()).path("problems").toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
