package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.CredentialRepresentation;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * Every addition or removal of a sign-in method that serves recovery, by any path, tells the account's owner on every
 * channel the account has (its email address and its confirmed phone), with what changed, when and from where: the
 * owner learns of a method an attacker added (or of one an attacker removed) while it can still be undone.
 */
@ExtendWith(RealKeycloak.class)
class MethodChangeNoticesIT {

    private static final Pattern FIRST_FORM = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern TOTP_SECRET = Pattern.compile("name=\"totpSecret\"[^>]*value=\"([^\"]+)\"");

    @Test
    void an_authenticator_app_enrolled_through_kc_action_tells_the_owner_by_mail_and_by_text(
            TestRealm realm, MailCatcher mail, SmsGatewayStub sms) {
        realm.user("mc-ada").password("Mc-password-1").phone("+4915112349001").create();

        FlowClient client = new FlowClient();
        FlowClient.Page login = client.get(realm.signInUrl() + "&kc_action=CONFIGURE_TOTP");
        FlowClient.Page setup = client.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", "mc-ada", "password", "Mc-password-1"));
        assertThat(setup.body()).as("Keycloak's authenticator-app page").contains("kc-totp-settings");
        Matcher secret = TOTP_SECRET.matcher(setup.body());
        assertThat(secret.find()).isTrue();
        FlowClient.Page done = client.postFollowing(setup.formAction("kc-totp-settings-form"),
                Map.of("totp", Totp.now(secret.group(1)), "totpSecret", secret.group(1), "userLabel", "new phone"));
        assertThat(done.body()).doesNotContain("kc-totp-settings-form");

        MailCatcher.Mail notice = mail.await("mc-ada@example.test",
                m -> m.subject().equals("A sign-in method was added to your account"));
        assertThat(notice.text()).contains("An authenticator app was added to your").contains("When: ")
                .contains("From the address: ").contains("If this was not you");
        SmsGatewayStub.Sms text = sms.await("+4915112349001", m -> m.text().contains("was added"));
        assertThat(text.text()).contains("An authenticator app was added to your account").contains("Not you?");
    }

    @Test
    void a_method_the_owner_removes_through_keycloaks_delete_credential_action_is_told_too(TestRealm realm,
                                                                                        MailCatcher mail) {
        // How the account console removes a method since Keycloak 26: the application-initiated action.
        String id = realm.user("mc-ben").password("Mc-password-2").totp("mc-ben-secret").create();
        String credentialId = otpCredential(realm, id);

        FlowClient client = new FlowClient();
        FlowClient.Page login = client.get(realm.signInUrl() + "&kc_action=delete_credential:" + credentialId);
        FlowClient.Page otp = client.post(login.formAction("kc-form-login"),
                Map.of("username", "mc-ben", "password", "Mc-password-2"));
        FlowClient.Page confirm = client.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", Totp.now("mc-ben-secret")));
        Matcher form = FIRST_FORM.matcher(confirm.body());
        assertThat(form.find()).as("Keycloak's delete-credential page").isTrue();
        client.postFollowing(form.group(1).replace("&amp;", "&"), Map.of("accept", ""));
        assertThat(realm.userResource(id).credentials()).noneMatch(c -> "otp".equals(c.getType()));

        MailCatcher.Mail notice = mail.await("mc-ben@example.test",
                m -> m.subject().equals("A sign-in method was removed from your account"));
        assertThat(notice.text()).contains("An authenticator app was removed from your");
    }

    @Test
    void an_administrator_removing_a_method_or_setting_a_password_is_told_to_the_owner(
            TestRealm realm, MailCatcher mail, SmsGatewayStub sms) {
        String id = realm.user("mc-cai").password("Mc-password-3").totp("mc-cai-secret").phone("+4915112349003")
                .create();

        realm.userResource(id).removeCredential(otpCredential(realm, id));
        MailCatcher.Mail removed = mail.await("mc-cai@example.test",
                m -> m.subject().equals("An administrator removed a sign-in method from your account"));
        assertThat(removed.text()).contains("When: ").contains("From the address: ");
        sms.await("+4915112349003", m -> m.text().contains("an administrator removed a sign-in method"));

        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("Mc-password-3-new");
        password.setTemporary(false);
        realm.userResource(id).resetPassword(password);
        mail.await("mc-cai@example.test",
                m -> m.subject().equals("An administrator set a new password for your account"));
        sms.await("+4915112349003", m -> m.text().contains("an administrator set a new password"));
    }

    @Test
    void a_pass_issued_by_the_helpdesk_is_told_to_the_owner(TestRealm realm, MailCatcher mail) {
        String id = realm.user("mc-dan").password("Mc-password-4").create();
        Helpdesk.issuePass(realm, id);
        MailCatcher.Mail notice = mail.await("mc-dan@example.test",
                m -> m.subject().equals("A temporary access pass was issued for your account"));
        assertThat(notice.text()).contains("with it, your password can be reset").contains("When: ");
    }

    private static String otpCredential(TestRealm realm, String userId) {
        List<CredentialRepresentation> credentials = realm.userResource(userId).credentials();
        return credentials.stream().filter(c -> "otp".equals(c.getType())).findFirst().orElseThrow().getId();
    }
}
