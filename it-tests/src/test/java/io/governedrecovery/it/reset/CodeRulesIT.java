package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;

/** Codes are single use, short-lived and attempt-limited; too many failures pause a method. */
@ExtendWith(RealKeycloak.class)
class CodeRulesIT {

    @AfterEach
    void restoreDefaults(TestRealm realm) {
        realm.policy(Map.of("code-lifetime-seconds", "600", "max-sends", "3"));
    }

    @Test
    void five_wrong_codes_pause_the_method_and_then_the_right_code_is_refused_too(TestRealm realm, MailCatcher mail,
                                                                                Browser browser) {
        realm.user("paul").totp("paul-secret").create();
        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "paul");
        recovery.choose("email-code");
        String right = Codes.in(mail.next("paul@example.test").text());
        String wrong = right.equals("11111111") ? "22222222" : "11111111";
        for (int i = 1; i <= 4; i++) {
            recovery.enterCode(wrong);
            assertThat(recovery.feedback()).contains("That did not work");
        }
        recovery.enterCode(wrong);

        assertThat(recovery.onMethods()).isTrue();
        assertThat(recovery.feedback()).contains("cannot be used right now");
        recovery.choose("email-code");
        assertThat(recovery.feedback()).contains("cannot be used right now");
        assertThat(recovery.isVerified("email-code")).isFalse();
        assertThat(mail.count("paul@example.test")).as("no code is sent while paused").isEqualTo(1);
    }

    @Test
    void a_code_from_an_earlier_reset_is_refused(TestRealm realm, MailCatcher mail, Browser browser) {
        realm.user("quinn").totp("quinn-secret").create();
        RecoveryPages first = new RecoveryPages(browser).start(realm, "quinn");
        first.choose("email-code");
        String used = Codes.in(mail.next("quinn@example.test").text());
        first.enterCode(used);
        assertThat(first.isVerified("email-code")).isTrue();

        browser.deleteCookies();
        RecoveryPages second = new RecoveryPages(browser).start(realm, "quinn");
        second.choose("email-code");
        mail.next("quinn@example.test");
        second.enterCode(used);

        assertThat(second.feedback()).contains("That did not work");
        assertThat(second.onCodePage()).isTrue();
    }

    @Test
    void an_authenticator_code_used_once_is_refused_the_second_time(TestRealm realm, Browser browser) {
        realm.user("rita").totp("rita-secret").create();
        String code = Totp.now("rita-secret");
        RecoveryPages first = new RecoveryPages(browser).start(realm, "rita");
        first.choose("totp").enterCode(code);
        assertThat(first.isVerified("totp")).isTrue();

        browser.deleteCookies();
        RecoveryPages second = new RecoveryPages(browser).start(realm, "rita");
        second.choose("totp").enterCode(code);

        assertThat(second.feedback()).contains("That did not work");
    }

    @Test
    void an_expired_code_is_refused(TestRealm realm, MailCatcher mail, Browser browser, KeycloakServer server) {
        realm.policy(Map.of("code-lifetime-seconds", "60"));
        realm.user("sam").totp("sam-secret").create();
        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "sam");
        recovery.choose("email-code");
        String code = Codes.in(mail.next("sam@example.test").text());

        // Keycloak's clock moves past the code's lifetime: no waiting.
        try (var later = server.clockAhead(Duration.ofSeconds(61))) {
            recovery.enterCode(code);
        }

        assertThat(recovery.feedback()).contains("expired");
        assertThat(recovery.isVerifiedAfterBack("email-code")).isFalse();
    }

    @Test
    void only_the_newest_code_works_and_resends_are_limited(TestRealm realm, MailCatcher mail, Browser browser) {
        realm.policy(Map.of("max-sends", "2"));
        realm.user("tina").totp("tina-secret").create();
        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "tina");
        recovery.choose("email-code");
        String first = Codes.in(mail.next("tina@example.test").text());
        recovery.resend();
        String second = Codes.in(mail.next("tina@example.test").text());
        recovery.resend();
        assertThat(recovery.feedback()).contains("No more codes can be sent");
        assertThat(mail.count("tina@example.test")).isEqualTo(2);

        if (!first.equals(second)) {
            recovery.enterCode(first);
            assertThat(recovery.feedback()).contains("That did not work");
        }
        recovery.enterCode(second);
        assertThat(recovery.onMethods()).isTrue();
        assertThat(recovery.isVerified("email-code")).isTrue();
    }
}
