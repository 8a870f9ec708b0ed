package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * Verified changes of the recovery phone number and the email address: impossible without step-up by every route,
 * possible with step-up and a code to the new number, told to both numbers, and the reset ignores the new number
 * during the cooldown.
 */
@ExtendWith(RealKeycloak.class)
class ContactChangeIT {

    static final String FORM = "governed-recovery-contact-form";

    @Test
    void the_phone_and_email_cannot_be_changed_without_step_up_by_any_route(TestRealm realm, KeycloakServer server) {
        String id = realm.user("cc-locked").phone("+4915112347000").password("Locked-password-1").create();
        String token = realm.accessToken("cc-locked", "Locked-password-1", null);
        // The account REST API, as the account console uses it.
        HttpResponse<String> account = send(server.baseUrl() + "/realms/" + realm.name() + "/account/", "POST", token,
                "{\"username\":\"cc-locked\",\"email\":\"evil@example.test\",\"firstName\":\"A\",\"lastName\":\"B\","
                        + "\"attributes\":{\"phoneNumber\":[\"+4915199999999\"],\"phoneNumberVerified\":[\"true\"]}}");
        assertThat(account.statusCode()).isLessThan(500);
        // Keycloak's update-profile page, with the fields added by hand.
        var user = realm.userResource(id);
        var rep = user.toRepresentation();
        rep.setRequiredActions(List.of("UPDATE_PROFILE"));
        user.update(rep);
        FlowClient client = new FlowClient();
        FlowClient.Page profile = client.postFollowing(client.get(realm.signInUrl()).formAction("kc-form-login"),
                Map.of("username", "cc-locked", "password", "Locked-password-1"));
        FlowClient.Page after = client.postFollowing(profile.formAction("kc-update-profile-form"), Map.of(
                "username", "cc-locked", "email", "evil@example.test", "firstName", "A", "lastName", "B",
                "phoneNumber", "+4915199999999", "phoneNumberVerified", "true"));
        assertThat(after.status()).isLessThan(500);

        var now = realm.userResource(id).toRepresentation();
        assertThat(now.getAttributes().get("phoneNumber")).containsExactly("+4915112347000");
        assertThat(now.getEmail()).isEqualTo("cc-locked@example.test");
    }

    @Test
    void with_step_up_a_new_number_is_confirmed_by_code_both_numbers_are_told_and_the_reset_waits_for_the_cooldown(
            TestRealm realm, SmsGatewayStub sms, MailCatcher mail) {
        String id = realm.user("cc-user").phone("+4915112347001").totp("cc-secret").password("Cc-password-1")
                .create();
        FlowClient client = new FlowClient();
        FlowClient.Page login = client.get(realm.signInUrl() + "&kc_action=governed-recovery-update-phone");
        FlowClient.Page otp = client.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", "cc-user", "password", "Cc-password-1"));
        FlowClient.Page stepUp = client.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", Totp.now("cc-secret")));
        assertThat(stepUp.body()).contains(FORM).contains("governed-recovery-contact-method-totp")
                .as("a strong method is asked for when the account has one")
                .doesNotContain("governed-recovery-contact-method-sms-code");

        FlowClient.Page codePage = client.postFollowing(stepUp.formAction(FORM),
                Map.of("stage", "step-up", "method", "totp"));
        FlowClient.Page enter = client.postFollowing(codePage.formAction(FORM), Map.of("stage", "step-up-code",
                "action", "verify", "code", Totp.code("cc-secret", Instant.now().plusSeconds(30))));
        assertThat(enter.body()).contains("name=\"value\"");
        FlowClient.Page confirm = client.postFollowing(enter.formAction(FORM),
                Map.of("stage", "enter", "action", "send", "value", "+49 151 1234 7002"));
        assertThat(confirm.body()).contains("We sent a code to the new phone number");
        assertThat(realm.userResource(id).toRepresentation().getAttributes().get("phoneNumber"))
                .as("nothing changes before the new number is confirmed").containsExactly("+4915112347001");
        String code = Codes.in(sms.next("+4915112347002").text());
        FlowClient.Page done = client.postFollowing(confirm.formAction(FORM),
                Map.of("stage", "confirm", "action", "verify", "code", code));
        assertThat(done.status()).isLessThan(400);
        assertThat(done.body()).doesNotContain(FORM);

        var now = realm.userResource(id).toRepresentation().getAttributes();
        assertThat(now.get("phoneNumber")).containsExactly("+4915112347002");
        assertThat(now.get("phoneNumberVerified")).containsExactly("true");
        assertThat(sms.next("+4915112347001").text()).as("the old number is told").contains("recovery phone number");
        assertThat(sms.next("+4915112347002").text()).as("the new number is told").contains("recovery phone number");
        Await.until("the change time is recorded", java.time.Duration.ofSeconds(10), () -> realm.userResource(id)
                .toRepresentation().getAttributes().containsKey("governed-recovery.phone-changed-at"));

        // The reset: app + the new number is not enough while the number is in its cooldown.
        FlowClient reset = new FlowClient();
        FlowClient.Page methods = reset.requestReset(reset.openResetPage(realm), "cc-user");
        FlowClient.Page smsCode = reset.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "sms-code"));
        FlowClient.Page afterSms = reset.postFollowing(smsCode.formAction("governed-recovery-code-form"),
                Map.of("action", "verify", "code", "12345678"));
        // A number in its cooldown does not count (README, recovery policy): proving it cannot complete the reset.
        // (A code is sent to it all the same, after the request: the former check that none arrives only passed
        // while the sender was slower than this test.)
        assertThat(afterSms.body()).doesNotContain("kc-passwd-update-form");
    }

    @Test
    void a_new_email_address_counts_only_once_its_code_comes_back(TestRealm realm, MailCatcher mail) {
        String id = realm.user("cc-mail").totp("cc-mail-secret").password("Mail-password-1").create();
        FlowClient client = new FlowClient();
        FlowClient.Page login = client.get(realm.signInUrl() + "&kc_action=governed-recovery-update-email");
        FlowClient.Page otp = client.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", "cc-mail", "password", "Mail-password-1"));
        FlowClient.Page page = client.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", Totp.now("cc-mail-secret")));
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up", "method", "totp"));
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up-code", "action", "verify",
                "code", Totp.code("cc-mail-secret", Instant.now().plusSeconds(30))));
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "enter", "action", "send",
                "value", "CC-Mail-New@Example.test"));
        MailCatcher.Mail code = mail.next("cc-mail-new@example.test");
        assertThat(code.subject()).isEqualTo("Confirm your recovery contact");
        assertThat(code.text()).contains("confirm this address or number");
        assertThat(realm.userResource(id).toRepresentation().getEmail()).isEqualTo("cc-mail@example.test");
        client.postFollowing(page.formAction(FORM), Map.of("stage", "confirm", "action", "verify",
                "code", Codes.in(code.text())));
        var now = realm.userResource(id).toRepresentation();
        assertThat(now.getEmail()).isEqualTo("cc-mail-new@example.test");
        assertThat(now.isEmailVerified()).isTrue();
        assertThat(mail.next("cc-mail@example.test").subject()).as("the old address is told")
                .contains("recovery contact");
    }

    @Test
    void bad_input_on_the_change_pages_changes_nothing(TestRealm realm, SmsGatewayStub sms) {
        String id = realm.user("cc-bad").phone("+4915112347003").totp("cc-bad-secret").password("Bad-password-1")
                .create();
        FlowClient client = new FlowClient();
        FlowClient.Page login = client.get(realm.signInUrl() + "&kc_action=governed-recovery-update-phone");
        FlowClient.Page otp = client.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", "cc-bad", "password", "Bad-password-1"));
        FlowClient.Page page = client.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", Totp.now("cc-bad-secret")));
        // A crafted stage or method is turned back to where the change really stands.
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "enter", "action", "send",
                "value", "+4915100000000"));
        assertThat(page.body()).contains("governed-recovery-contact-method-totp");
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up", "method", "sms-code"));
        assertThat(page.body()).contains("governed-recovery-contact-method-totp");
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up", "method", "totp"));
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up-code", "action", "verify",
                "code", "x".repeat(500)));
        assertThat(page.status()).isLessThan(500);
        assertThat(page.body()).contains("not right");
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up-code", "action", "verify",
                "code", Totp.code("cc-bad-secret", Instant.now().plusSeconds(30))));
        for (String bad : List.of("", "12345", "not a number", "+4915112347003", "0049151123", "+" + "1".repeat(30))) {
            page = client.postFollowing(page.formAction(FORM), Map.of("stage", "enter", "action", "send",
                    "value", bad));
            assertThat(page.status()).as(bad).isLessThan(500);
            assertThat(page.body()).as(bad).contains("name=\"value\"");
        }
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "enter", "action", "send",
                "value", "+4915112347004"));
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "confirm", "action", "verify",
                "code", "00000000"));
        assertThat(page.body()).contains("not right");
        assertThat(realm.userResource(id).toRepresentation().getAttributes().get("phoneNumber"))
                .containsExactly("+4915112347003");
        assertThat(sms.to("+4915112347003")).as("no notice without a change").isEmpty();
    }

    private static HttpResponse<String> send(String url, String method, String token, String body) {
        return RestCall.send(method, url, token, body);
    }
}
