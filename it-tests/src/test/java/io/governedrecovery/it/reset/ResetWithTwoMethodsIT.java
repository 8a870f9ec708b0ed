package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.CredentialRepresentation;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.LoginPage;
import io.governedrecovery.it.pages.RecoveryPages;

/** A standard user with email and an authenticator app: both are needed, and the app is never replaced. */
@ExtendWith(RealKeycloak.class)
class ResetWithTwoMethodsIT {

    private static final String SECRET = "two-methods-secret-1";

    @Test
    void user_with_email_and_authenticator_app_resets_with_both(TestRealm realm, MailCatcher mail, Browser browser) {
        String id = realm.user("erin").totp(SECRET).password("Old-password-1").create();
        String otpBefore = otpCredentialId(realm, id);
        // Signed in elsewhere, with the previous period's code (the reset uses the current one, the check the next).
        assertThat(realm.signIn("erin", "Old-password-1", Totp.code(SECRET, java.time.Instant.now().minusSeconds(30))))
                .as("signed in elsewhere").isTrue();
        assertThat(realm.userResource(id).getUserSessions()).hasSize(1);

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "erin");
        recovery.choose("email-code");
        String code = Codes.in(mail.next("erin@example.test").text());
        recovery.enterCode(code);
        assertThat(recovery.onMethods()).isTrue();
        assertThat(recovery.isVerified("email-code")).isTrue();
        assertThat(recovery.progress()).contains("1 of 2");

        recovery.choose("totp").enterCode(Totp.now(SECRET));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(browser.text()).as("the last page says what happened and what comes next")
                .contains("Your password was changed").contains("Every other session of your account was signed out")
                .contains("sign in with your new password");
        assertThat(realm.userResource(id).getUserSessions()).as("the other session ended").isEmpty();
        assertThat(realm.passwordWorks("erin", "New-password-2", SECRET)).isTrue();
        assertThat(realm.passwordWorks("erin", "Old-password-1", SECRET)).isFalse();
        assertThat(otpCredentialId(realm, id)).as("the authenticator app is untouched").isEqualTo(otpBefore);
        assertThat(mail.next("erin@example.test").subject()).isEqualTo("Your password was reset");
    }

    @Test
    void email_code_alone_changes_nothing_issues_no_session_and_enrols_nothing(TestRealm realm, MailCatcher mail,
                                                                              Browser browser) {
        String id = realm.user("frank").totp(SECRET).password("Old-password-1").create();
        String otpBefore = otpCredentialId(realm, id);

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "frank");
        recovery.choose("email-code").enterCode(Codes.in(mail.next("frank@example.test").text()));
        assertThat(recovery.onMethods()).isTrue();
        assertThat(recovery.onNewPassword()).isFalse();

        // The mailbox alone never reaches the new-password page, a session, or an authenticator enrolment.
        browser.open(realm.loginActionsUrl() + "/required-action?execution=CONFIGURE_TOTP");
        assertThat(browser.text()).doesNotContain("Mobile Authenticator Setup");
        browser.open(realm.signInUrl());
        assertThat(new LoginPage(browser).isShown()).as("no session was issued: " + browser.text()).isTrue();

        assertThat(realm.userResource(id).getUserSessions()).isEmpty();
        assertThat(realm.userResource(id).toRepresentation().getRequiredActions()).isEmpty();
        assertThat(otpCredentialId(realm, id)).isEqualTo(otpBefore);
        assertThat(realm.passwordWorks("frank", "Old-password-1", SECRET)).isTrue();
    }

    private static String otpCredentialId(TestRealm realm, String userId) {
        List<CredentialRepresentation> otp = realm.userResource(userId).credentials().stream()
                .filter(c -> "otp".equals(c.getType())).toList();
        assertThat(otp).hasSize(1);
        return otp.get(0).getId();
    }
}
