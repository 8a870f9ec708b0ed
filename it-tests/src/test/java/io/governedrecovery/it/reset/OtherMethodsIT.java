package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.Enrolment;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;

/** SMS through an HTTP gateway, a passkey through Chromium's virtual authenticator, and saved recovery codes. */
@ExtendWith(RealKeycloak.class)
class OtherMethodsIT {

    @BeforeAll
    static void methodsRegisteredTodayCount(TestRealm realm) {
        // Passkeys and recovery codes are registered by the test itself, moments before the reset.
        realm.policy(Map.of("cooldown-hours", "0"));
    }

    @Test
    void user_with_sms_and_authenticator_app_resets_with_both(TestRealm realm, SmsGatewayStub sms, Browser browser) {
        realm.user("gina").phone("+4915112345001").totp("gina-secret").password("Old-password-1").create();
        // The shared server knows the gateway by a name that resolves nowhere, and reaches it only through the proxy
        // mapping given to Keycloak's HTTP client: every text of this test went through Keycloak's client.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.net.InetAddress.getByName(
                SmsGatewayStub.PROXIED_HOST)).isInstanceOf(java.net.UnknownHostException.class);

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "gina");
        recovery.choose("sms-code");
        SmsGatewayStub.Sms text = sms.next("+4915112345001");
        assertThat(text.text()).contains("code to reset your password");
        recovery.enterCode(Codes.in(text.text()));
        assertThat(recovery.onMethods()).isTrue();
        recovery.choose("totp").enterCode(Totp.now("gina-secret"));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(realm.passwordWorks("gina", "New-password-2", "gina-secret")).isTrue();
        assertThat(sms.next("+4915112345001").text()).as("the notice reaches the phone too")
                .contains("your password was reset");
    }

    @Test
    void user_with_a_passkey_and_email_resets_with_both(TestRealm realm, MailCatcher mail, Browser browser) {
        String id = realm.user("hank").password("Old-password-1").create();
        Enrolment.passkeyDevice(browser);
        Enrolment.passkey(browser, realm, id, "hank", "Old-password-1");

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "hank");
        recovery.choose("webauthn").useSecurityKey();
        assertThat(recovery.onMethods()).as(browser.text()).isTrue();
        assertThat(recovery.isVerified("webauthn")).isTrue();
        recovery.choose("email-code").enterCode(Codes.in(mail.next("hank@example.test").text()));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(realm.passwordWorks("hank", "New-password-2")).isTrue();
    }

    @Test
    void a_passkey_of_another_account_does_not_count(TestRealm realm, Browser browser) {
        String ivy = realm.user("ivy").password("Old-password-1").create();
        realm.user("jack").password("Old-password-1").create();
        Enrolment.passkeyDevice(browser);
        Enrolment.passkey(browser, realm, ivy, "ivy", "Old-password-1");

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "jack");
        recovery.choose("webauthn").useSecurityKey();

        assertThat(recovery.feedback()).contains("That did not work");
        assertThat(realm.passwordWorks("jack", "Old-password-1")).isTrue();
    }

    @Test
    void user_with_recovery_codes_and_email_resets_with_both(TestRealm realm, MailCatcher mail, Browser browser) {
        String id = realm.user("kate").password("Old-password-1").create();
        List<String> codes = Enrolment.recoveryCodes(browser, realm, id, "kate", "Old-password-1");
        assertThat(codes).hasSizeGreaterThan(1);

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "kate");
        recovery.choose("recovery-codes").enterCode(codes.get(0));
        assertThat(recovery.onMethods()).isTrue();
        recovery.choose("email-code").enterCode(Codes.in(mail.next("kate@example.test").text()));
        recovery.newPassword().setPassword("New-password-2");

        assertThat(realm.passwordWorks("kate", "New-password-2")).isTrue();
    }
}
