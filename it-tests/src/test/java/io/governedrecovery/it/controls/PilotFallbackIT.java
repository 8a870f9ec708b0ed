package io.governedrecovery.it.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.GroupRepresentation;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * During a pilot, accounts outside it reset through the realm's fallback (Keycloak's email link): one mailbox sets a
 * password, as before the pilot, but never more. Whoever holds only the mailbox cannot remove the account's
 * authenticator app (the lost-device offer follows governed resets only) nor enrol their own methods through the
 * registration campaign at the end of the reset. A pilot that names a group which does not exist governs everyone.
 */
@ExtendWith(RealKeycloak.class)
class PilotFallbackIT {

    static final String METHODS_FORM = "governed-recovery-methods-form";
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    static final String LOST_FORM = "governed-recovery-lost-form";
    static final String CAMPAIGN_FORM = "governed-recovery-register-form";

    @BeforeAll
    static void pilot(TestRealm realm) {
        for (String name : new String[] {"reset-pilot", "recovery-pilot"}) {
            GroupRepresentation group = new GroupRepresentation();
            group.setName(name);
            realm.admin().groups().add(group).close();
        }
        realm.config("governed-recovery-pilot", Map.of("pilot-groups", "/reset-pilot"));
    }

    @Test
    void a_mailbox_alone_does_not_remove_the_app(TestRealm realm, MailCatcher mail) {
        String id = realm.user("pf-tina").totp("pf-tina-secret").password("Old-password-1").create();
        FlowClient.Page after = fallbackReset(realm, mail, "pf-tina", "Attacker-password-9");
        assertThat(after.body()).as("no offer to remove the app after a mailbox-only reset").doesNotContain(LOST_FORM);
        assertThat(realm.userResource(id).credentials()).extracting("type").contains("otp");
        // The mailbox set a password (the fallback's promise), but the app still guards the sign-in.
        assertThat(realm.signIn("pf-tina", "Attacker-password-9", Totp.now("pf-tina-secret"))).isTrue();
    }

    @Test
    void a_mailbox_alone_enrols_no_methods_through_the_campaign(TestRealm realm, MailCatcher mail) {
        // Outside the reset pilot, inside the registration campaign (its target group is /recovery-pilot).
        String id = realm.user("pf-carl").group("/recovery-pilot").password("Old-password-1").create();
        FlowClient.Page after = fallbackReset(realm, mail, "pf-carl", "Attacker-password-9");
        assertThat(after.body()).as("no campaign inside a reset: nothing is enrolled without a sign-in")
                .doesNotContain(CAMPAIGN_FORM).doesNotContain("kc-totp-settings");
        assertThat(realm.userResource(id).toRepresentation().getRequiredActions())
                .doesNotContain("CONFIGURE_TOTP");
        assertThat(realm.userResource(id).credentials()).extracting("type").doesNotContain("otp");
        assertThat(realm.passwordWorks("pf-carl", "Attacker-password-9"))
                .as("the fallback's promise: the mailbox sets a password; no action is left pending").isTrue();
    }

    /** Keycloak's reset email of the pilot's fallback, walked by whoever reads the mailbox. */
    private static FlowClient.Page fallbackReset(TestRealm realm, MailCatcher mail, String name, String password) {
        FlowClient attacker = new FlowClient();
        FlowClient.Page sent = attacker.requestReset(attacker.openResetPage(realm), name);
        assertThat(sent.body()).as("the fallback: Keycloak's email link").doesNotContain(METHODS_FORM);
        String link = mail.next(name + "@example.test").linkContaining("/login-actions/action-token");
        FlowClient.Page newPassword = attacker.get(link);
        assertThat(newPassword.body()).contains(NEW_PASSWORD_FORM);
        FlowClient.Page after = attacker.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", password, "password-confirm", password));
        assertThat(after.status()).isLessThan(500);
        return after;
    }

    @Test
    void a_pilot_naming_a_missing_group_governs_everyone(TestRealm realm) {
        realm.user("pf-ola").password("Old-password-1").create();
        try {
            realm.config("governed-recovery-pilot", Map.of("pilot-groups", "/reset-pilot##/no-such-group"));
            FlowClient client = new FlowClient();
            assertThat(client.requestReset(client.openResetPage(realm), "pf-ola").body())
                    .as("a broken pilot fails closed: the governed reset, not the email link").contains(METHODS_FORM);
        } finally {
            realm.config("governed-recovery-pilot", Map.of("pilot-groups", "/reset-pilot"));
        }
        FlowClient client = new FlowClient();
        assertThat(client.requestReset(client.openResetPage(realm), "pf-ola").body())
                .as("with the pilot fixed, the account is outside it again").doesNotContain(METHODS_FORM);
    }
}
