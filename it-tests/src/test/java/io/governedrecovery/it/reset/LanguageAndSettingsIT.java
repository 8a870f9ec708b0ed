package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;

/** Pages and mails speak the user's language; a bad policy setting is named in the log and refuses resets. */
@ExtendWith(RealKeycloak.class)
class LanguageAndSettingsIT {

    @Test
    void a_german_browser_gets_german_recovery_pages(TestRealm realm) {
        FlowClient client = new FlowClient("de-DE,de;q=0.9");
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "somebody");

        assertThat(methods.body()).contains("Bestätigen Sie, dass Sie es sind").contains("Code aus Ihrer Authenticator-App")
                .contains("Ich kann keine dieser Methoden verwenden");
    }

    @Test
    void a_german_speaking_user_gets_the_code_and_the_notice_in_german(TestRealm realm, MailCatcher mail,
                                                                     Browser browser) {
        realm.user("wilma").totp("wilma-secret").attribute("locale", "de").create();

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "wilma");
        recovery.choose("email-code");
        MailCatcher.Mail code = mail.next("wilma@example.test");
        assertThat(code.subject()).isEqualTo("Ihr Bestätigungscode");
        recovery.enterCode(Codes.in(code.text()));
        recovery.choose("totp").enterCode(Totp.now("wilma-secret"));
        recovery.newPassword().setPassword("Neues-Passwort-2");

        assertThat(mail.next("wilma@example.test").subject()).isEqualTo("Ihr Passwort wurde zurückgesetzt");
    }

    @Test
    void a_bad_policy_setting_is_named_in_the_log_and_resets_wait_for_the_fix(TestRealm realm, KeycloakServer server,
                                                                              MailCatcher mail, Browser browser) {
        realm.user("xena").totp("xena-secret").create();
        realm.policy(Map.of("min-methods", "1"));
        try {
            new RecoveryPages(browser).start(realm, "xena");
            RecoveryPages recovery = new RecoveryPages(browser);
            assertThat(recovery.onHelpdesk()).isTrue();
            assertThat(server.log()).contains("Setting 'min-methods' has value '1'; allowed: 2 to 5");
            assertThat(mail.count("xena@example.test")).isZero();
        } finally {
            realm.policy(Map.of("min-methods", "2"));
        }
    }
}
