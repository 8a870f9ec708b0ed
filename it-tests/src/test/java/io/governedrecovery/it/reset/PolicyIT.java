package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;

/** The realm's recovery policy decides: weak plus weak is not enough, a method in its cooldown does not count. */
@ExtendWith(RealKeycloak.class)
class PolicyIT {

    @AfterEach
    void restoreDefaults(TestRealm realm) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("min-strong-methods", "1");
        defaults.put("cooldown-hours", "72");
        defaults.put("helpdesk-text", null);
        realm.policy(defaults);
    }

    @Test
    void email_plus_sms_cannot_reset_by_default_and_the_user_is_sent_to_the_helpdesk(
            TestRealm realm, MailCatcher mail, SmsGatewayStub sms, Browser browser) {
        realm.user("lena").phone("+4915112345002").password("Old-password-1").create();
        realm.policy(Map.of("helpdesk-text", "Call the helpdesk on 1234."));

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "lena");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("lena@example.test").text()));

        assertThat(recovery.onHelpdesk()).isTrue();
        assertThat(browser.text()).as("why, in words the user can act on")
                .contains("A reset needs more strong methods").contains("temporary access pass");
        assertThat(recovery.helpdeskText()).isEqualTo("Call the helpdesk on 1234.");
        assertThat(sms.to("+4915112345002")).isEmpty();
        assertThat(realm.passwordWorks("lena", "Old-password-1")).isTrue();
    }

    @Test
    void the_page_counts_what_the_server_counts_and_says_what_is_missing(TestRealm realm, MailCatcher mail,
                                                                        SmsGatewayStub sms) {
        realm.user("pia").phone("+4915112345009").totp("pia-secret", Duration.ofDays(30)).create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "pia");
        assertThat(methods.body()).doesNotContain("governed-recovery-progress");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("pia@example.test").text()));
        assertThat(afterEmail.body()).contains("Confirmed so far: 1 of 2.").contains("Strong methods still needed: 1");
        FlowClient.Page afterSms = client.prove(afterEmail, "sms-code",
                () -> Codes.in(sms.next("+4915112345009").text()));
        assertThat(afterSms.body()).as("email and SMS: still one strong method short, not 2 of 2")
                .contains("Confirmed so far: 1 of 2.").contains("Strong methods still needed: 1")
                .doesNotContain("2 of 2");
    }

    @Test
    void a_proof_that_does_not_count_yet_is_named(TestRealm realm, MailCatcher mail) {
        // An old app and a passkey-like second strong method: recovery codes generated an hour ago (in cooldown).
        realm.user("quirin").totp("quirin-secret", Duration.ofDays(30)).registeredAgo(Duration.ofHours(1))
                .recoveryCodes("QUIRINCODE23").create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "quirin");
        FlowClient.Page afterCodes = client.prove(methods, "recovery-codes", () -> "QUIRINCODE23");
        assertThat(afterCodes.body()).contains("Confirmed so far: 0 of 2.")
                .contains("was added or changed less than 72 hours ago, so it does not count yet");
    }

    @Test
    void email_plus_sms_resets_only_when_the_admin_allows_weak_methods_alone(
            TestRealm realm, MailCatcher mail, SmsGatewayStub sms, Browser browser) {
        realm.user("mona").phone("+4915112345003").password("Old-password-1").create();
        realm.policy(Map.of("min-strong-methods", "0"));

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "mona");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("mona@example.test").text()));
        recovery.choose("sms-code").enterCode(Codes.in(sms.next("+4915112345003").text()));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(realm.passwordWorks("mona", "New-password-2")).isTrue();
    }

    @Test
    void an_authenticator_app_added_inside_the_cooldown_does_not_count(TestRealm realm, MailCatcher mail,
                                                                      Browser browser) {
        realm.user("nina").totp("nina-secret", Duration.ofHours(2)).password("Old-password-1").create();

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "nina");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("nina@example.test").text()));

        // With the app in its 72-hour cooldown, nothing the user has left can meet the policy.
        assertThat(recovery.onHelpdesk()).isTrue();
        assertThat(browser.text()).as("the page says why: the app is too new")
                .contains("less than 72 hours ago").contains("Try again once 72 hours have passed");
        assertThat(realm.passwordWorks("nina", "Old-password-1", "nina-secret")).isTrue();
    }

    @Test
    void the_same_user_resets_once_the_app_is_older_than_the_cooldown(TestRealm realm, MailCatcher mail,
                                                                     Browser browser) {
        realm.user("olga").totp("olga-secret", Duration.ofHours(73)).password("Old-password-1").create();

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "olga");
        recovery.choose("totp").enterCode(Totp.now("olga-secret"));
        recovery.choose("email-code").enterCode(Codes.in(mail.next("olga@example.test").text()));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(realm.passwordWorks("olga", "New-password-2", "olga-secret")).isTrue();
    }
}
