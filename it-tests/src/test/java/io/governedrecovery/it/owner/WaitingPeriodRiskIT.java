package io.governedrecovery.it.owner;

import static io.governedrecovery.it.owner.WaitingPeriodIT.startWait;
import static io.governedrecovery.it.owner.WaitingPeriodIT.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * A risk above normal during a waiting recovery ends it: five wrong codes at the account's reset (someone else trying)
 * raise the scorer's {@code failed-resets} finding for the account, and the background task ends the wait at its next
 * run (every 15 seconds). In a realm of its own: the scorer's risk is per realm.
 */
@ExtendWith(RealKeycloak.class)
class WaitingPeriodRiskIT {

    @BeforeAll
    static void waitingPeriodsOn(TestRealm realm) {
        realm.policy(Map.of("waiting-period", "true"));
    }

    @Test
    void a_risk_above_normal_during_the_wait_ends_it(TestRealm realm, MailCatcher mail, TestEnvironment env) {
        String id = realm.user("wr-kim").phone("+4915112360101").password("Kim-password-1").create();
        startWait(realm, mail, "wr-kim");

        // Someone else tries the account's reset with wrong codes: failed tries prove nothing, so the wait goes on
        // until the scorer rates the account above normal.
        FlowClient other = new FlowClient();
        FlowClient.Page methods = other.requestReset(other.openResetPage(realm), "wr-kim");
        FlowClient.Page code = other.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "email-code"));
        for (int i = 0; i < 5; i++) {
            code = other.post(code.formAction("governed-recovery-code-form"), Map.of("action", "verify",
                    "code", "0000000" + i));
        }
        ExportedEvents exported = new ExportedEvents(env.exportDir());
        exported.await(ExportedEvents.finding("failed-resets", id), Duration.ofSeconds(20));
        exported.await(ExportedEvents.ofType("RESET_PASSWORD", id).and(e -> "waiting"
                .equals(ExportedEvents.detail(e, "gr_step")) && "risk".equals(ExportedEvents.detail(e, "gr_reason"))),
                Duration.ofSeconds(40));
        assertThat(waiting(realm, "wr-kim")).isNull();
    }
}
