package io.governedrecovery.it.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.Enrolment;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;
import io.governedrecovery.it.privileged.PrivilegedFlows;

/**
 * The smoke set every supported Keycloak line runs (CI runs it on 26.4.7 and 26.5.6; on 26.7.3 the full suite walks the
 * same paths, and {@code -Dit.test=SmokeIT} runs this class there): a standard reset with two methods, a privileged reset with a second person's approval, a
 * reset with a temporary access pass, the reset's events at each sink (file, syslog, webhook), and the production
 * realm template's import. One server start.
 */
@ExtendWith(RealKeycloak.class)
class SmokeIT {

    private static final Duration EXPORT_WAIT = Duration.ofSeconds(60);
    private static final String APPROVER = "smoke-approver@example.test";
    private static final List<String> LINKAGE_ERRORS = List.of("NoSuchMethodError", "NoClassDefFoundError",
            "NoSuchFieldError", "AbstractMethodError", "IncompatibleClassChangeError");
    private static final Pattern STACK_LINE = Pattern.compile("\\s+at |\\s*Caused by: |\\s+\\.\\.\\. \\d+ more|\\s+Suppressed: ");

    @BeforeAll
    static void realm(TestRealm realm) {
        // The recovery codes of the privileged test are created moments before its reset.
        realm.privilegedPolicy(Map.of("cooldown-hours", "0"));
        realm.user("smoke-approver").group("/recovery-approvers").password("Approver-password-1").create();
    }

    @Test
    void the_server_runs_the_keycloak_version_under_test(KeycloakServer server) {
        String expected = System.getProperty("it.keycloak.version");
        assertThat(expected).as("failsafe passes it.keycloak.version").isNotBlank();
        assertThat(server.admin().serverInfo().getInfo().getSystemInfo().getVersion()).isEqualTo(expected);
    }

    @Test
    void a_standard_reset_with_email_and_app_and_its_events_at_every_sink(TestRealm realm, MailCatcher mail,
                                                                        Browser browser, TestEnvironment env) {
        String secret = "smoke-standard-secret";
        String id = realm.user("smoke-std").totp(secret).password("Old-password-1").create();

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "smoke-std");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("smoke-std@example.test").text()));
        assertThat(recovery.isVerified("email-code")).isTrue();
        assertThat(recovery.progress()).contains("1 of 2");
        recovery.choose("totp").enterCode(Totp.now(secret));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(browser.text()).contains("Your password was changed");
        assertThat(realm.passwordWorks("smoke-std", "New-password-2", secret)).isTrue();
        assertThat(realm.passwordWorks("smoke-std", "Old-password-1", secret)).isFalse();
        assertThat(mail.next("smoke-std@example.test").subject()).isEqualTo("Your password was reset");

        JsonNode finished = new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "finish".equals(ExportedEvents.detail(e, "gr_step"))), EXPORT_WAIT);
        String uid = ExportedEvents.id(finished);
        assertThat(uid).isNotBlank();
        Await.until("the reset's last event at the syslog receiver", EXPORT_WAIT,
                () -> env.syslog().ids().contains(uid));
        Await.until("the reset's last event at the webhook", EXPORT_WAIT,
                () -> env.webhook().records().stream().map(ExportedEvents::id).anyMatch(uid::equals));
    }

    @Test
    void a_privileged_reset_goes_on_once_a_second_person_approves(TestRealm realm, MailCatcher mail,
                                                                 Browser browser) {
        String secret = "smoke-admin-secret";
        PrivilegedFlows flows = new PrivilegedFlows();
        String id = realm.user("smoke-admin").group("/realm-admins").totp(secret).password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "smoke-admin", "Old-password-1",
                flows.totp(secret));

        FlowClient client = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(client, realm, "smoke-admin", secret, codes.get(0));
        FlowClient.Page stillWaiting = PrivilegedFlows.check(client, waiting);
        assertThat(stillWaiting.body()).as("no new password before the approval")
                .contains(PrivilegedFlows.WAITING_FORM).doesNotContain("password-new");

        FlowClient.Page approved = PrivilegedFlows.decideByLink(
                PrivilegedFlows.approvalLink(mail, APPROVER, "smoke-admin"), "approve");
        assertThat(approved.body()).contains("You approved the reset");
        FlowClient.Page newPassword = PrivilegedFlows.check(client, stillWaiting);
        assertThat(newPassword.body()).contains(PrivilegedFlows.NEW_PASSWORD_FORM);
        PrivilegedFlows.setPassword(client, newPassword, "New-password-2");

        assertThat(realm.signIn("smoke-admin", "New-password-2", flows.totp(secret))).isTrue();
        assertThat(realm.passwordWorks("smoke-admin", "Old-password-1", secret)).isFalse();
    }

    @Test
    void a_temporary_access_pass_and_an_email_code_reset_the_password(TestRealm realm, MailCatcher mail) {
        String id = realm.user("smoke-tap").password("Old-password-1").create();
        String pass = Helpdesk.issuePass(realm, id);

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "smoke-tap");
        FlowClient.Page afterPass = client.prove(methods, "tap", () -> pass);
        FlowClient.Page newPassword = client.prove(afterPass, "email-code",
                () -> Codes.in(mail.next("smoke-tap@example.test").text()));
        assertThat(newPassword.body()).contains(PrivilegedFlows.NEW_PASSWORD_FORM);
        PrivilegedFlows.setPassword(client, newPassword, "New-password-2");

        assertThat(realm.passwordWorks("smoke-tap", "New-password-2")).isTrue();
        assertThat(realm.passwordWorks("smoke-tap", "Old-password-1")).isFalse();
    }

    @Test
    void the_production_template_imports_and_its_policy_summary_finds_no_problem(KeycloakServer server,
                                                                                 MailCatcher mail) throws Exception {
        String name = "smoke-template";
        Realms.deleteIfPresent(server, name);
        // What kc.sh import does with the environment: GR_* placeholders resolved, Keycloak's own ${...} kept.
        Map<String, String> env = Map.of("GR_REALM_NAME", name, "GR_SMTP_HOST", "127.0.0.1",
                "GR_SMTP_PORT", Integer.toString(mail.smtpPort()), "GR_SMTP_FROM", "it@example.test",
                "GR_SMTP_USER", "", "GR_SMTP_PASSWORD", "");
        Matcher placeholder = Pattern.compile("\\$\\{(GR_[A-Z_]+)(?::([^}]*))?}")
                .matcher(Realms.read(Realms.TEMPLATE).toString());
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            String value = env.getOrDefault(placeholder.group(1), placeholder.group(2) == null ? "" : placeholder.group(2));
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(resolved);
        Realms.post(server, "/admin/realms", resolved.toString());
        try {
            HttpResponse<String> summary = RestCall.send("GET", server.baseUrl() + "/admin/realms/" + name
                    + "/governed-recovery/policy", server.adminToken(), null);
            assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(summary.body()).path("problems").toString()).isEqualTo("[]");
        } finally {
            Realms.deleteIfPresent(server, name);
        }
    }

    /**
     * Whatever the tests above touched, no call of ours failed to link against this Keycloak (what a JAR built for
     * another line shows first: a NoSuchMethodError in a request or a worker thread).
     */
    @AfterAll
    static void no_linkage_error_of_ours_in_the_server_log(KeycloakServer server) {
        String[] lines = server.log().split("\n");
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String error = lines[i];
            if (LINKAGE_ERRORS.stream().noneMatch(error::contains)) {
                continue;
            }
            // Its stack trace: the frames and causes right below it; ours if one of its frames is in our code.
            for (int j = i + 1; j < lines.length && STACK_LINE.matcher(lines[j]).lookingAt(); j++) {
                if (lines[j].contains("at io.governedrecovery.")) {
                    ours.add(error.strip() + " " + lines[j].strip());
                    break;
                }
            }
        }
        assertThat(ours).as("linkage errors in our code in " + server.logFile()).isEmpty();
    }
}
