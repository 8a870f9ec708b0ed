package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.UserRepresentation;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * What a reset must cause (the notice, the end of every other and offline session, the exported finish event) happens
 * with the new password itself: a person who closes the tab on any page after it (the lost-device offer, the last page)
 * skips none of it. The account's own required actions (new recovery codes after the last one, pending actions) and
 * the registration campaign wait for the next full sign-in; none of them runs inside the reset.
 */
@ExtendWith(RealKeycloak.class)
class FinishBoundToPasswordIT {

    private static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    private static final String NEW_PASSWORD = "New-password-2";
    private static final String DONE = "governed-recovery-done";

    @Test
    void closing_the_tab_on_the_lost_device_offer_still_notifies_and_ends_sessions(TestRealm realm, MailCatcher mail,
                                                                                   TestEnvironment env) {
        String secret = "finish-lost-secret";
        String id = realm.user("lena").totp(secret).realmRole("default-roles-" + realm.name()).create();
        Signedin elsewhere = signInElsewhere(realm, "lena", secret);
        String pass = Helpdesk.issuePass(realm, id);

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "lena");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("lena@example.test").text()));
        FlowClient.Page after = setPassword(client, client.prove(afterEmail, "tap", () -> pass));

        assertThat(after.body()).as("the lost-device offer shows; the person closes the tab here")
                .contains("governed-recovery-lost-form");
        assertConsequences(realm, mail, env, id, "lena", elsewhere);
        assertThat(realm.signIn("lena", NEW_PASSWORD, Totp.unused(secret))).isTrue();
    }

    @Test
    void after_the_last_recovery_code_new_codes_come_at_the_next_sign_in(TestRealm realm, MailCatcher mail,
                                                                         TestEnvironment env) {
        String id = realm.user("rita").recoveryCodes("LASTCODE2345").realmRole("default-roles-" + realm.name())
                .create();
        Signedin elsewhere = signInElsewhere(realm, "rita", null);

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "rita");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("rita@example.test").text()));
        FlowClient.Page after = setPassword(client, client.prove(afterEmail, "recovery-codes", () -> "LASTCODE2345"));

        assertThat(after.body()).as("the last page; no setup inside the reset").contains(DONE)
                .doesNotContain("template: login-recovery-authn-code-config.ftl");
        assertConsequences(realm, mail, env, id, "rita", elsewhere);
        assertThat(signInFromTheLastPage(client, after, "rita", null).body()).as("new recovery codes after the sign-in")
                .contains("template: login-recovery-authn-code-config.ftl");
    }

    @Test
    void a_campaign_target_is_not_asked_inside_the_reset_and_the_reset_finishes(TestRealm realm, MailCatcher mail,
                                                                               TestEnvironment env) {
        String id = realm.user("cami").realmRole("default-roles-" + realm.name()).create();
        Signedin elsewhere = signInElsewhere(realm, "cami", null);
        // Joins the campaign's target group after signing in elsewhere (the campaign would hold that sign-in).
        String pilot = realm.admin().groups().groups().stream().filter(g -> "recovery-pilot".equals(g.getName()))
                .findFirst().orElseThrow().getId();
        realm.userResource(id).joinGroup(pilot);
        String pass = Helpdesk.issuePass(realm, id);

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "cami");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("cami@example.test").text()));
        FlowClient.Page after = setPassword(client, client.prove(afterEmail, "tap", () -> pass));

        assertThat(after.body()).as("the campaign asks at the next sign-in, never inside a reset (no sign-in was "
                + "proven here)").doesNotContain("template: governed-recovery-register.ftl");
        assertConsequences(realm, mail, env, id, "cami", elsewhere);
    }

    @Test
    void the_accounts_own_pending_action_waits_for_the_next_sign_in(TestRealm realm, MailCatcher mail,
                                                                     TestEnvironment env) {
        String secret = "finish-pending-secret";
        String id = realm.user("paul").totp(secret).realmRole("default-roles-" + realm.name()).create();
        Signedin elsewhere = signInElsewhere(realm, "paul", secret);
        UserRepresentation rep = realm.userResource(id).toRepresentation();
        rep.setRequiredActions(List.of("webauthn-register"));
        realm.userResource(id).update(rep);

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "paul");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("paul@example.test").text()));
        FlowClient.Page after = setPassword(client, client.prove(afterEmail, "totp",
                () -> Totp.unused(secret)));

        assertThat(after.body()).as("the last page; the pending action does not run inside the reset")
                .contains(DONE).doesNotContain("<form id=\"register\"");
        assertConsequences(realm, mail, env, id, "paul", elsewhere);
        assertThat(signInFromTheLastPage(client, after, "paul", Totp.unused(secret)).body())
                .as("the pending action, after a sign-in with the new password and the app")
                .contains("<form id=\"register\"");
    }

    /** A session and an offline session of the account, elsewhere, before the reset. */
    private record Signedin(String offlineRefreshToken) {
    }

    private static Signedin signInElsewhere(TestRealm realm, String username, String secret) {
        assertThat(realm.signIn(username, "Initial-password-1",
                secret == null ? null : Totp.unused(secret)))
                .as("signed in elsewhere").isTrue();
        String offline = realm.offlineRefreshToken(username, "Initial-password-1",
                secret == null ? null : Totp.unused(secret));
        assertThat(realm.refreshWorks(offline)).as("the offline session works before the reset").isTrue();
        return new Signedin(offline);
    }

    /** Follows "Sign in" on the last page of the reset and signs in with the new password (and app code). */
    private static FlowClient.Page signInFromTheLastPage(FlowClient client, FlowClient.Page last, String username,
                                                         String totpCode) {
        FlowClient.Page login = client.get(last.link("/login-actions/restart"));
        FlowClient.Page next = client.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", username, "password", NEW_PASSWORD));
        if (totpCode != null) {
            next = client.postFollowing(next.formAction("kc-otp-login-form"), Map.of("otp", totpCode));
        }
        return next;
    }

    private static FlowClient.Page setPassword(FlowClient client, FlowClient.Page newPassword) {
        assertThat(newPassword.body()).as("the new-password page").contains(NEW_PASSWORD_FORM);
        return client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", NEW_PASSWORD, "password-confirm", NEW_PASSWORD));
    }

    private static void assertConsequences(TestRealm realm, MailCatcher mail, TestEnvironment env, String id,
                                           String username, Signedin elsewhere) {
        assertThat(mail.next(username + "@example.test").subject()).as("the reset notice")
                .isEqualTo("Your password was reset");
        assertThat(realm.userResource(id).getUserSessions()).as("the other session ended").isEmpty();
        assertThat(realm.refreshWorks(elsewhere.offlineRefreshToken())).as("the offline session ended").isFalse();
        new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "finish".equals(ExportedEvents.detail(e, "gr_step"))), Duration.ofSeconds(20));
    }
}
