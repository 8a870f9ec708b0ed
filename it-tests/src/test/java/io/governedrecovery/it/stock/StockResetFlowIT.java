package io.governedrecovery.it.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.pages.LoginPage;
import io.governedrecovery.it.pages.UpdatePasswordPage;

/**
 * Keycloak's stock "reset credentials" flow, driven through its own pages in Chromium: proves the harness end to end
 * (server, SMTP, browser, our listener's export) and documents the single-channel behaviour we replace.
 */
@ExtendWith(RealKeycloak.class)
class StockResetFlowIT {

    @BeforeAll
    static void useKeycloaksStockResetFlow(TestRealm realm) {
        realm.bindResetFlow("reset credentials");
    }

    @Test
    void user_who_forgot_the_password_resets_it_through_the_mailed_link(TestRealm realm, MailCatcher mail,
                                                                        Browser browser, TestEnvironment env) {
        String userId = realm.user("stock-user").password("Old-password-1").create();

        new LoginPage(browser).open(realm).forgotPassword().requestFor("stock-user");
        assertThat(browser.text()).contains("You should receive an email shortly");

        MailCatcher.Mail resetMail = mail.next("stock-user@example.test");
        assertThat(resetMail.subject()).isEqualTo("Reset password");
        browser.open(resetMail.linkContaining("/login-actions/action-token"));
        new UpdatePasswordPage(browser).awaitShown().setPassword("New-password-2");

        assertThat(realm.passwordWorks("stock-user", "New-password-2")).isTrue();
        assertThat(realm.passwordWorks("stock-user", "Old-password-1")).isFalse();

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        exported.await(ExportedEvents.ofType("SEND_RESET_PASSWORD", userId), Duration.ofSeconds(10));
        exported.await(ExportedEvents.ofType("UPDATE_CREDENTIAL", userId), Duration.ofSeconds(10));
    }

    @Test
    void unknown_user_sees_the_same_confirmation_as_a_real_one(TestRealm realm, Browser browser) {
        new LoginPage(browser).open(realm).forgotPassword().requestFor("nobody-here");

        assertThat(browser.text()).contains("You should receive an email shortly");
    }
}
