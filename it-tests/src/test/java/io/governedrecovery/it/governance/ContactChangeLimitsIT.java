package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The verified contact change is held to the reset's limits: one cluster-wide failure budget per account and method
 * (a new round of the page grants no new guesses), the per-account and per-address send limits of the recovery
 * controls (a new round grants no new messages), and the cooldown of new methods (an authenticator app added minutes
 * ago is no step-up).
 */
@ExtendWith(RealKeycloak.class)
class ContactChangeLimitsIT {

    static final String FORM = ContactChangeIT.FORM;

    @BeforeAll
    static void realLimits(TestRealm realm) {
        // The shipped limits (the harness raises them for other classes): 3 codes per account an hour.
        realm.config("governed-recovery-controls", Map.of("sends-per-user-hour", "3", "sends-per-ip-hour", "20"));
    }

    @Test
    void thirty_wrong_codes_and_thirty_send_presses_get_no_more_guesses_or_messages_than_the_limits(
            TestRealm realm, MailCatcher mail) {
        realm.user("lim-mail").password("Limit-password-1").create();
        FlowClient client = signedInAt(realm, "lim-mail", "Limit-password-1", "governed-recovery-update-email");
        FlowClient.Page page = client.postFollowing(client.lastForm(FORM),
                Map.of("stage", "step-up", "method", "email-code"));
        for (int press = 0; press < 30; press++) {
            // Wrong codes, and "start over" with a new code to the current address, as an attacker would.
            page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up-code", "action", "verify",
                    "code", String.format("%08d", press)));
            assertThat(page.status()).isLessThan(500);
            page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up", "method", "email-code"));
            assertThat(page.status()).isLessThan(500);
        }
        int mails = mail.count("lim-mail@example.test");
        assertThat(mails).as("codes sent to the account in the hour").isBetween(1, 3);
        // The budget is spent: even the right code of the last mail is refused now.
        String lastCode = Codes.in(mail.to("lim-mail@example.test").get(mails - 1).text());
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up-code", "action", "verify",
                "code", lastCode));
        assertThat(page.body()).as("no way on to the new address").doesNotContain("name=\"value\"");
        assertThat(realm.userResource(realm.userIdOf("lim-mail")).toRepresentation().getEmail())
                .isEqualTo("lim-mail@example.test");
    }

    @Test
    void thirty_new_numbers_get_no_more_messages_than_the_limits(TestRealm realm, SmsGatewayStub sms) {
        String secret = "lim-phone-secret";
        realm.user("lim-phone").phone("+4915112348000").totp(secret).password("Limit-password-2").create();
        FlowClient client = signedInAt(realm, "lim-phone", "Limit-password-2", "governed-recovery-update-phone",
                secret);
        FlowClient.Page page = client.postFollowing(client.lastForm(FORM), Map.of("stage", "step-up", "method", "totp"));
        page = client.postFollowing(page.formAction(FORM), Map.of("stage", "step-up-code", "action", "verify",
                "code", Totp.code(secret, Instant.now().plusSeconds(30))));
        assertThat(page.body()).contains("name=\"value\"");
        int sent = 0;
        for (int press = 0; press < 30; press++) {
            String number = "+49151123481" + String.format("%02d", press);
            page = client.postFollowing(page.formAction(FORM), Map.of("stage", "enter", "action", "send",
                    "value", number));
            assertThat(page.status()).isLessThan(500);
            if (page.body().contains("name=\"code\"")) {
                // Wrong confirmation codes until the page starts over, as an attacker pumping messages would.
                for (int i = 0; i < 6 && page.body().contains("name=\"code\""); i++) {
                    page = client.postFollowing(page.formAction(FORM), Map.of("stage", "confirm", "action", "verify",
                            "code", "0000000" + i));
                }
            }
        }
        for (int press = 0; press < 30; press++) {
            sent += sms.to("+49151123481" + String.format("%02d", press)).size();
        }
        assertThat(sent).as("codes sent to new numbers for one account in the hour").isBetween(1, 3);
        assertThat(realm.userResource(realm.userIdOf("lim-phone")).toRepresentation().getAttributes()
                .get("phoneNumber")).containsExactly("+4915112348000");
    }

    @Test
    void an_authenticator_app_added_minutes_ago_is_no_step_up(TestRealm realm) {
        realm.user("lim-fresh").registeredAgo(Duration.ofDays(30)).totp("lim-fresh-secret", Duration.ofMinutes(5))
                .phone("+4915112348200").password("Limit-password-3").create();
        FlowClient client = signedInAt(realm, "lim-fresh", "Limit-password-3", "governed-recovery-update-phone",
                "lim-fresh-secret");
        String stepUp = client.lastPage().body();
        assertThat(stepUp).contains(FORM).doesNotContain("governed-recovery-contact-method-totp")
                .as("the phone, on file for a month, may serve instead")
                .contains("governed-recovery-contact-method-sms-code");
        FlowClient.Page crafted = client.postFollowing(client.lastForm(FORM),
                Map.of("stage", "step-up", "method", "totp"));
        assertThat(crafted.body()).as("a crafted choice of the new app is refused")
                .doesNotContain("name=\"code\"");
    }

    @Test
    void the_change_time_is_stored_in_the_same_transaction_as_the_change(TestRealm realm) {
        String id = realm.user("lim-stamp").phone("+4915112348300").create();
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            var rep = realm.userResource(id).toRepresentation();
            rep.getAttributes().put("phoneNumber", List.of("+49151123483" + (10 + i)));
            realm.userResource(id).update(rep);
            // Read right after the update answered: no background worker may be needed for the stamp.
            var after = realm.userResource(id).toRepresentation().getAttributes();
            assertThat(after.get("phoneNumber")).containsExactly("+49151123483" + (10 + i));
            assertThat(after).as("the cooldown stamp of change " + i).containsKey("governed-recovery.phone-changed-at");
            long stamp = Long.parseLong(after.get("governed-recovery.phone-changed-at").get(0));
            assertThat(stamp).as("change " + i + " has its own stamp").isGreaterThan(previous);
            previous = stamp;
        }
    }

    private static FlowClient signedInAt(TestRealm realm, String username, String password, String action) {
        return signedInAt(realm, username, password, action, null);
    }

    /** Signs in (with the app's code when the account has one) and starts the contact change {@code action}. */
    private static FlowClient signedInAt(TestRealm realm, String username, String password, String action,
                                         String secret) {
        FlowClient client = new FlowClient();
        FlowClient.Page login = client.get(realm.signInUrl() + "&kc_action=" + action);
        FlowClient.Page next = client.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", username, "password", password));
        if (secret != null) {
            next = client.postFollowing(next.formAction("kc-otp-login-form"),
                    Map.of("otp", Totp.code(secret, Instant.now().minusSeconds(30))));
        }
        assertThat(next.body()).as("the contact change's first page").contains(FORM);
        return client;
    }
}
