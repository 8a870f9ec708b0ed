package io.governedrecovery.it.privileged;

import static io.governedrecovery.it.privileged.PrivilegedFlows.WAITING_FORM;
import static io.governedrecovery.it.privileged.PrivilegedFlows.NEW_PASSWORD_FORM;
import static io.governedrecovery.it.privileged.PrivilegedFlows.approvalLink;
import static io.governedrecovery.it.privileged.PrivilegedFlows.check;
import static io.governedrecovery.it.privileged.PrivilegedFlows.decideByLink;
import static io.governedrecovery.it.privileged.PrivilegedFlows.prove;
import static io.governedrecovery.it.privileged.PrivilegedFlows.setPassword;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.Enrolment;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.pages.RecoveryPages;

/**
 * The privileged branch of the demo realm's reset flow: an administrator needs two strong methods and a second
 * administrator's approval; email and SMS never count; an admin role held through a group or a composite role counts.
 */
@ExtendWith(RealKeycloak.class)
class PrivilegedResetIT {

    static final String APPROVER = "p-val@example.test";
    static final String NOTIFIED = "p-nola@example.test";
    private final PrivilegedFlows flows = new PrivilegedFlows();

    @BeforeAll
    static void approversAndAdministrators(TestRealm realm) {
        // Passkeys and recovery codes are registered by the tests moments before the reset.
        realm.policy(Map.of("cooldown-hours", "0"));
        realm.privilegedPolicy(Map.of("cooldown-hours", "0"));
        realm.user("p-val").group("/recovery-approvers").password("Vera-password-1").create();
        realm.user("p-nola").group("/realm-admins").password("Nora-password-1").create();
    }

    @Test
    void a_realm_admin_with_email_and_sms_only_cannot_reset(TestRealm realm, MailCatcher mail, SmsGatewayStub sms) {
        realm.user("p-adam").group("/realm-admins").phone("+4915112346001").password("Old-password-1").create();

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "p-adam");
        FlowClient.Page after = prove(client, methods, "email-code",
                () -> Codes.in(mail.next("p-adam@example.test").text()));

        assertThat(after.body()).as("email and SMS can never make two strong methods")
                .contains("governed-recovery-helpdesk-text").doesNotContain("password-new");
        assertThat(sms.to("+4915112346001")).isEmpty();
        assertThat(mail.to(APPROVER)).noneMatch(m -> m.subject().contains("p-adam"));
        assertThat(realm.passwordWorks("p-adam", "Old-password-1")).isTrue();
    }

    @Test
    void a_realm_admin_with_a_passkey_and_an_app_resets_once_a_second_person_approves(
            TestRealm realm, MailCatcher mail, Browser browser, TestEnvironment env) {
        String id = realm.user("p-bea").group("/realm-admins").totp("p-bea-secret").password("Old-password-1").create();
        Enrolment.passkeyDevice(browser);
        Enrolment.passkey(browser, realm, id, "p-bea", "Old-password-1", flows.totp("p-bea-secret"));

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "p-bea");
        recovery.choose("webauthn").useSecurityKey();
        recovery.choose("totp").enterCode(flows.totp("p-bea-secret"));
        browser.await(org.openqa.selenium.By.id(WAITING_FORM));
        assertThat(browser.text()).contains("approval of a second administrator");

        String link = approvalLink(mail, APPROVER, "p-bea");
        assertThat(mail.to("p-bea@example.test")).noneMatch(m -> m.subject().contains("Approve"));
        FlowClient.Page approved = decideByLink(link, "approve");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body()).contains("You approved the reset");

        // The page checks by itself every 10 seconds; a person may also press "Check now".
        browser.submit(org.openqa.selenium.By.id("governed-recovery-approval-check"));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(realm.signIn("p-bea", "New-password-2", flows.totp("p-bea-secret"))).isTrue();
        assertThat(mail.await("p-bea@example.test", m -> m.subject().contains("reviewed")).text())
                .contains("approved");
        assertThat(mail.await(NOTIFIED, m -> m.subject().contains("administrator password was reset")
                && m.text().contains("p-bea")).text()).contains("p-bea");
        JsonNode finished = new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "finish".equals(ExportedEvents.detail(e, "gr_step"))), Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(finished, "gr_tier")).isEqualTo("privileged");
        assertThat(finished.path("severity_id").asInt()).isEqualTo(4);

        FlowClient.Page again = decideByLink(link, "approve");
        assertThat(again.status()).as("an approval link works once").isEqualTo(409);
        assertThat(again.body()).contains("already decided").doesNotContain("governed-recovery-decision-form");
    }

    @Test
    void without_the_approval_the_reset_does_not_go_on_and_a_denial_ends_it(TestRealm realm, MailCatcher mail,
                                                                           Browser browser) {
        String id = realm.user("p-cal").group("/realm-admins").totp("p-cal-secret").password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "p-cal", "Old-password-1",
                flows.totp("p-cal-secret"));

        FlowClient client = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(client, realm, "p-cal", "p-cal-secret", codes.get(0));
        FlowClient.Page stillWaiting = check(client, waiting);
        assertThat(stillWaiting.body()).contains(WAITING_FORM).doesNotContain("password-new");

        FlowClient.Page denied = decideByLink(approvalLink(mail, APPROVER, "p-cal"), "deny");
        assertThat(denied.body()).contains("You denied the reset");
        FlowClient.Page end = check(client, stillWaiting);
        assertThat(end.body()).contains("did not approve this reset").doesNotContain("password-new")
                .doesNotContain(WAITING_FORM);
        assertThat(realm.signIn("p-cal", "Old-password-1", flows.totp("p-cal-secret"))).isTrue();
        assertThat(mail.await("p-cal@example.test", m -> m.subject().contains("reviewed")).text()).contains("denied");
    }

    @Test
    void the_requester_cannot_approve_their_own_reset(TestRealm realm, MailCatcher mail, Browser browser,
                                                      io.governedrecovery.it.harness.KeycloakServer server) {
        // dora administers the realm and is an approver herself.
        String id = realm.user("p-dora").group("/realm-admins").group("/recovery-approvers").totp("p-dora-secret")
                .password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "p-dora", "Old-password-1",
                flows.totp("p-dora-secret"));
        FlowClient client = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(client, realm, "p-dora", "p-dora-secret", codes.get(0));
        assertThat(waiting.body()).contains(WAITING_FORM);
        approvalLink(mail, APPROVER, "p-dora");
        assertThat(mail.to("p-dora@example.test")).as("no approval link goes to the requester")
                .noneMatch(m -> m.subject().contains("Approve"));

        String doraToken = realm.consoleToken("p-dora", "Old-password-1", flows.totp("p-dora-secret"));
        String approverToken = realm.consoleToken("p-val", "Vera-password-1", null);
        String list = PrivilegedFlows.call("GET", PrivilegedFlows.endpoint(server, realm, "approvals"), doraToken, null)
                .body();
        assertThat(list).doesNotContain(id);
        JsonNode pending = Json.read(PrivilegedFlows.call("GET", PrivilegedFlows.endpoint(server, realm, "approvals"),
                approverToken, null).body()).path("approvals");
        String approvalId = null;
        for (JsonNode a : pending) {
            if (id.equals(a.path("userId").asText())) {
                approvalId = a.path("id").asText();
            }
        }
        assertThat(approvalId).as("the approver sees dora's request").isNotNull();

        var own = PrivilegedFlows.call("POST", PrivilegedFlows.endpoint(server, realm, "approvals/" + approvalId),
                doraToken, "{\"decision\":\"approve\"}");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
        assertThat(check(client, waiting).body()).as("still waiting").contains(WAITING_FORM);

        var byApprover = PrivilegedFlows.call("POST", PrivilegedFlows.endpoint(server, realm, "approvals/" + approvalId),
                approverToken, "{\"decision\":\"approve\",\"reason\":\"called her back on her desk phone\"}");
        assertThat(byApprover.statusCode()).as(byApprover.body()).isEqualTo(200);
        assertThat(Json.read(byApprover.body()).path("status").asText()).isEqualTo("APPROVED");
        var twice = PrivilegedFlows.call("POST", PrivilegedFlows.endpoint(server, realm, "approvals/" + approvalId),
                approverToken, "{\"decision\":\"deny\"}");
        assertThat(twice.statusCode()).isEqualTo(409);

        FlowClient.Page newPassword = check(client, waiting);
        assertThat(newPassword.body()).contains(NEW_PASSWORD_FORM);
        setPassword(client, newPassword, "New-password-2");
        assertThat(realm.signIn("p-dora", "New-password-2", flows.totp("p-dora-secret"))).isTrue();
    }

    @Test
    void an_admin_role_held_through_a_group_or_a_composite_role_is_privileged(TestRealm realm, MailCatcher mail) {
        var management = realm.admin().clients().findByClientId("realm-management").get(0);
        RoleRepresentation manageUsers = realm.admin().clients().get(management.getId()).roles().get("manage-users")
                .toRepresentation();
        GroupRepresentation group = new GroupRepresentation();
        group.setName("user-admins");
        realm.admin().groups().add(group).close();
        String groupId = realm.admin().groups().groups("user-admins", 0, 1).get(0).getId();
        realm.admin().groups().group(groupId).roles().clientLevel(management.getId()).add(List.of(manageUsers));
        RoleRepresentation lead = new RoleRepresentation();
        lead.setName("it-lead");
        realm.admin().roles().create(lead);
        realm.admin().roles().get("it-lead").addComposites(List.of(manageUsers));

        realm.user("p-gus").group("/user-admins").totp("p-gus-secret").password("Old-password-1").create();
        realm.user("p-hal").realmRole("it-lead").totp("p-hal-secret").password("Old-password-1").create();
        realm.user("p-ida").totp("p-ida-secret").password("Old-password-1").create();

        for (String name : List.of("p-gus", "p-hal", "p-ida")) {
            FlowClient client = new FlowClient();
            FlowClient.Page methods = client.requestReset(client.openResetPage(realm), name);
            FlowClient.Page afterApp = prove(client, methods, "totp", () -> flows.totp(name + "-secret"));
            if (name.equals("p-ida")) {
                FlowClient.Page afterMail = prove(client, afterApp, "email-code",
                        () -> Codes.in(mail.next("p-ida@example.test").text()));
                assertThat(afterMail.body()).as("a standard account resets with email and app")
                        .contains(NEW_PASSWORD_FORM);
            } else {
                assertThat(afterApp.body()).as(name + " is privileged: one strong method and email cannot do")
                        .contains("governed-recovery-helpdesk-text").doesNotContain(NEW_PASSWORD_FORM)
                        .doesNotContain(WAITING_FORM);
                assertThat(realm.signIn(name, "Old-password-1", flows.totp(name + "-secret"))).isTrue();
            }
        }
    }

    @Test
    void with_self_service_off_an_admin_is_shown_the_admin_recovery_procedure(TestRealm realm) {
        realm.user("p-ivo").group("/realm-admins").totp("p-ivo-secret").password("Old-password-1").create();
        realm.privilegedPolicy(Map.of("self-service", "false"));
        try {
            FlowClient client = new FlowClient();
            FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "p-ivo");
            FlowClient.Page after = prove(client, methods, "totp", () -> flows.totp("p-ivo-secret"));
            assertThat(after.body()).contains("administrator recovery procedure").doesNotContain(WAITING_FORM)
                    .doesNotContain(NEW_PASSWORD_FORM);
        } finally {
            realm.privilegedPolicy(Map.of("self-service", "true"));
        }
    }


    /** Reads JSON in assertions. */
    static final class Json {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode read(String body) {
            try {
                return MAPPER.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
