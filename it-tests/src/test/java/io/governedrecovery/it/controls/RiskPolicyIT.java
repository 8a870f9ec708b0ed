package io.governedrecovery.it.controls;

import static io.governedrecovery.it.controls.ControlsIT.HELPDESK;
import static io.governedrecovery.it.controls.ControlsIT.METHODS_FORM;
import static io.governedrecovery.it.controls.ControlsIT.NEW_PASSWORD_FORM;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Attacks;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The scorer's risk raises the bar in the flow: elevated risk of the account asks one more strong method, high risk
 * refuses self-service. A realm of its own, so no other test's findings (of this shared address) weigh in.
 */
@ExtendWith(RealKeycloak.class)
class RiskPolicyIT {

    @Test
    void after_a_burst_of_failures_the_next_reset_needs_one_more_strong_method(TestRealm realm, MailCatcher mail,
                                                                              TestEnvironment env) {
        String id = realm.user("risky-user").totp("risky-secret").password("Old-password-1").create();
        Attacks.fiveWrongAppCodes(realm, "risky-user");
        new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("failed-resets", id), Duration.ofSeconds(20));

        FlowClient owner = new FlowClient();
        FlowClient.Page methods = owner.requestReset(owner.openResetPage(realm), "risky-user");
        FlowClient.Page afterMail = ControlsIT.proveEmail(owner, methods, mail, "risky-user@example.test");
        assertThat(afterMail.body()).as("at elevated risk email + app is not enough: two strong methods are needed")
                .contains(HELPDESK).doesNotContain(NEW_PASSWORD_FORM);
        JsonNode decision = new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "controls".equals(ExportedEvents.detail(e, "gr_step"))
                        && "step_up".equals(ExportedEvents.detail(e, "gr_decision"))), Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(decision, "gr_reason")).contains("risk-elevated").contains("failed-resets");
    }

    @Test
    void at_high_risk_self_service_is_refused(TestRealm realm, MailCatcher mail, TestEnvironment env) {
        String id = realm.user("changed-user").totp("changed-secret").password("Old-password-1").create();
        var user = realm.userResource(id);
        var rep = user.toRepresentation();
        rep.setEmail("changed-user-new@example.test");
        user.update(rep);
        // The reset right after the change raises "reset-after-method-change" (score 80, high); the next one is refused.
        FlowClient first = new FlowClient();
        first.requestReset(first.openResetPage(realm), "changed-user");
        new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("reset-after-method-change", id),
                Duration.ofSeconds(20));

        FlowClient next = new FlowClient();
        FlowClient.Page methods = next.requestReset(next.openResetPage(realm), "changed-user");
        assertThat(methods.body()).as("neutral until a proof").contains(METHODS_FORM);
        FlowClient.Page after = ControlsIT.prove(next, methods, "totp", Totp.now("changed-secret"));
        assertThat(after.body()).contains(HELPDESK).doesNotContain(NEW_PASSWORD_FORM).doesNotContain(METHODS_FORM);
        new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "no_self_service".equals(ExportedEvents.detail(e, "gr_decision"))), Duration.ofSeconds(20));
    }
}
