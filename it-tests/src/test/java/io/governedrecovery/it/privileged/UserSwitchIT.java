package io.governedrecovery.it.privileged;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * With an identity-first sign-in page, one browser tab can name one account on the reset page and another on the
 * sign-in page, then come back to the reset: the account the recovery controls judged is then not the one being reset.
 * The reset must never go on under controls judged for someone else, and a break-glass account named this way must
 * never reach any reset step.
 */
@ExtendWith(RealKeycloak.class)
class UserSwitchIT {

    private static final String METHODS_FORM = "governed-recovery-methods-form";
    private static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    private static final String RESET_REQUEST_FORM = "kc-reset-password-form";

    @BeforeAll
    static void identityFirstSignInAndAStepUpForEveryReset(TestRealm realm) {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias("identity first");
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        realm.admin().flows().createFlow(flow);
        realm.admin().flows().addExecution("identity first", Map.of("provider", "auth-username-form"));
        realm.admin().flows().addExecution("identity first", Map.of("provider", "auth-password-form"));
        for (AuthenticationExecutionInfoRepresentation e : realm.admin().flows().getExecutions("identity first")) {
            e.setRequirement("REQUIRED");
            realm.admin().flows().updateExecutions("identity first", e);
        }
        var rep = realm.admin().toRepresentation();
        rep.setBrowserFlow("identity first");
        realm.admin().update(rep);
        // Every reset from the tests' address needs one more strong method.
        realm.config("governed-recovery-controls", Map.of("deny-cidrs", "127.0.0.1/32", "deny-action", "step-up"));
    }

    @Test
    void a_name_switched_on_the_sign_in_page_never_escapes_the_step_up(TestRealm realm, MailCatcher mail) {
        String secret = "switch-std-secret";
        realm.user("sw-target").totp(secret).create();
        FlowClient client = new FlowClient();
        FlowClient.Page resetPage = switched(client, realm, "sw-nobody-x", "sw-target");

        if (resetPage.has(RESET_REQUEST_FORM)) {
            // The reset started over: naming the account there has the controls judge it.
            resetPage = client.requestReset(resetPage, "sw-target");
        }
        assertThat(resetPage.body()).contains(METHODS_FORM);
        FlowClient.Page afterEmail = client.prove(resetPage, "email-code",
                () -> Codes.in(mail.next("sw-target@example.test").text()));
        assertThat(afterEmail.body()).doesNotContain(NEW_PASSWORD_FORM);
        if (afterEmail.has(METHODS_FORM)) {
            FlowClient.Page afterApp = client.prove(afterEmail, "totp", () -> Totp.code(secret, Instant.now()));
            assertThat(afterApp.body()).as("email and app meet the policy only without the step-up the controls set")
                    .doesNotContain(NEW_PASSWORD_FORM);
        } else {
            assertThat(afterEmail.body()).as("with the step-up, email and app can never meet the policy")
                    .contains("governed-recovery-helpdesk-text");
        }
    }

    @Test
    void a_break_glass_account_named_on_the_sign_in_page_never_reaches_a_reset_step(TestRealm realm,
                                                                                    MailCatcher mail) {
        String secret = "switch-bg-secret";
        realm.user("sw-approver").group("/recovery-approvers").create();
        realm.user("sw-glass").group("/break-glass").totp(secret).recoveryCodes("SWITCHCODE23", "SWITCHCODE45")
                .create();
        FlowClient client = new FlowClient();
        FlowClient.Page resetPage = switched(client, realm, "sw-nobody-y", "sw-glass");

        if (resetPage.has(RESET_REQUEST_FORM)) {
            resetPage = client.requestReset(resetPage, "sw-glass");
        }
        if (resetPage.has(METHODS_FORM)) {
            // Whatever page shows, proving the account's two strong methods must lead nowhere.
            FlowClient.Page afterApp = client.prove(resetPage, "totp", () -> Totp.code(secret, Instant.now()));
            assertThat(afterApp.body()).doesNotContain(NEW_PASSWORD_FORM);
            if (afterApp.has(METHODS_FORM)) {
                FlowClient.Page afterCode = client.prove(afterApp, "recovery-codes", () -> "SWITCHCODE23");
                assertThat(afterCode.body()).as("no approval is asked for a break-glass account")
                        .doesNotContain("governed-recovery-approval-form").doesNotContain(NEW_PASSWORD_FORM);
            } else {
                assertThat(afterApp.body()).as("the app's right code fails: the pages of an unknown name")
                        .contains("governed-recovery-code-form");
            }
        } else {
            throw new AssertionError("unexpected page after the switch:\n" + resetPage.body());
        }
    }

    /**
     * Names {@code first} on the reset page, goes back to the identity-first sign-in page in the same tab and names
     * {@code second} there, then follows "Forgot Password?" again: the page the reset shows then.
     */
    private static FlowClient.Page switched(FlowClient client, TestRealm realm, String first, String second) {
        FlowClient.Page username = client.get(realm.signInUrl());
        String action = username.formAction("kc-form-login");
        String tab = param(action, "tab_id");
        String base = realm.server().baseUrl() + "/realms/" + realm.name() + "/login-actions/";
        String query = "?client_id=account-console&tab_id=" + tab;

        FlowClient.Page resetRequest = client.get(base + "reset-credentials" + query);
        FlowClient.Page methods = client.requestReset(resetRequest, first);
        assertThat(methods.body()).contains(METHODS_FORM);

        FlowClient.Page signIn = client.get(base + "authenticate" + query);
        FlowClient.Page password = client.postFollowing(signIn.formAction("kc-form-login"), Map.of("username", second));
        assertThat(password.body()).as("the sign-in page now asks for " + second + "'s password")
                .contains("name=\"password\"");
        return client.get(base + "reset-credentials" + query);
    }

    private static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(URI.create(url).getRawQuery() == null ? url
                : "?" + URI.create(url).getRawQuery());
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + url);
        }
        return m.group(1);
    }
}
