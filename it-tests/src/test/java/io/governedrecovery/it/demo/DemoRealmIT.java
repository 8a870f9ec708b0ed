package io.governedrecovery.it.demo;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;

/**
 * The demo realm as ./run-demo.sh imports it (users included) behaves as the demo printout promises: alice resets
 * with email and her app, bob (email and SMS only) is sent to the helpdesk.
 */
@ExtendWith(RealKeycloak.class)
class DemoRealmIT {

    private static final String REALM = "demo-as-shipped";

    @BeforeAll
    static void importTheDemoRealm(TestEnvironment env) {
        Realms.deleteIfPresent(env.server(), REALM);
        Realms.importRealm(env.server(), env.mail(), Realms.DEMO, REALM);
    }

    @AfterAll
    static void removeIt(KeycloakServer server) {
        Realms.deleteIfPresent(server, REALM);
    }

    @Test
    void alice_resets_with_her_email_and_her_authenticator_app(KeycloakServer server, MailCatcher mail,
                                                              Browser browser) {
        TestRealm demo = TestRealm.existing(server, REALM);
        String appSecret = DemoLauncher.authenticatorApps().get("alice");

        RecoveryPages recovery = new RecoveryPages(browser).start(demo, "alice");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("alice@demo.test").text()));
        recovery.choose("totp").enterCode(Totp.now(appSecret));
        recovery.newPassword().setPassword("Alice-new-2");

        assertThat(demo.passwordWorks("alice", "Alice-new-2", appSecret)).isTrue();
    }

    @Test
    void a_demo_user_uses_the_account_console(KeycloakServer server) {
        TestRealm demo = TestRealm.existing(server, REALM);
        // The account console's own client and API, as the demo printout sends carol and the others there.
        String token = demo.authorizationCodeToken("account-console", server.baseUrl() + "/realms/" + REALM
                + "/account/", "bob", "Bob-demo-1", null);
        var answer = io.governedrecovery.it.harness.RestCall.send("GET", server.baseUrl() + "/realms/" + REALM
                + "/account/credentials", token, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("password");
    }

    @Test
    void bob_with_email_and_sms_only_is_sent_to_the_helpdesk(KeycloakServer server, MailCatcher mail,
                                                            Browser browser) {
        TestRealm demo = TestRealm.existing(server, REALM);

        RecoveryPages recovery = new RecoveryPages(browser).start(demo, "bob");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("bob@demo.test").text()));

        assertThat(recovery.onHelpdesk()).isTrue();
        assertThat(recovery.helpdeskText()).contains("demo helpdesk");
        assertThat(demo.passwordWorks("bob", "Bob-demo-1")).isTrue();
    }

    @Test
    void carol_the_realm_admin_needs_a_second_strong_method_and_emergency_cannot_reset_at_all(
            KeycloakServer server, MailCatcher mail, Browser browser) {
        TestRealm demo = TestRealm.existing(server, REALM);
        String appSecret = DemoLauncher.authenticatorApps().get("carol");

        RecoveryPages recovery = new RecoveryPages(browser).start(demo, "carol");
        recovery.choose("totp").enterCode(Totp.now(appSecret));
        assertThat(recovery.onHelpdesk()).as("email never counts for a realm admin").isTrue();
        assertThat(demo.userResource(demo.userIdOf("carol")).credentials()).hasSize(2);

        recovery = new RecoveryPages(browser).start(demo, "emergency");
        recovery.choose("email-code").enterCode("12345678");
        assertThat(recovery.feedback()).contains("That did not work");
        assertThat(mail.count("emergency@demo.test")).isZero();
        assertThat(mail.await("carol@demo.test", m -> m.subject().contains("break-glass")).text())
                .contains("emergency");
    }

    @Test
    void the_policy_summary_describes_the_demo_in_plain_words_and_finds_no_problem(KeycloakServer server)
            throws Exception {
        var answer = io.governedrecovery.it.harness.RestCall.send("GET", server.baseUrl() + "/admin/realms/" + REALM
                + "/governed-recovery/policy", server.adminToken(), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
        assertThat(summary.path("problems")).as(answer.body()).isEmpty();
        assertThat(summary.path("statements").toString())
                .contains("Other accounts reset their password after proving 2 methods on different channels, "
                        + "at least 1 of them strong")
                .contains("Privileged accounts reset their password after proving 2 methods on different channels, "
                        + "at least 2 of them strong")
                .contains("waits for a member of /recovery-approvers")
                .contains("Everyone gets the governed reset")
                .contains("Members of /realm-admins are told");
    }
}
