package io.governedrecovery.it.privileged;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The people who run recovery are privileged by default: a helpdesk member (who can issue passes) and an approver
 * (who decides administrators' resets) recover through the privileged branch, and a helpdesk member's pass needs a
 * second helpdesk member, as do holders of impersonation, manage-events and manage-identity-providers.
 */
@ExtendWith(RealKeycloak.class)
class PrivilegedByDefaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASS = "{\"evidence\":\"in-person\",\"ticket\":\"INC-77\"}";
    private final PrivilegedFlows flows = new PrivilegedFlows();

    @Test
    void a_helpdesk_members_pass_needs_a_second_helpdesk_member(TestRealm realm, KeycloakServer server)
            throws Exception {
        realm.user("pd-desk-1").group("/recovery-helpdesk").password("Desk-password-1").create();
        String second = realm.user("pd-desk-2").group("/recovery-helpdesk").create();
        String impersonator = realm.user("pd-imp").clientRole("realm-management", "impersonation").create();
        String events = realm.user("pd-events").clientRole("realm-management", "manage-events").create();
        String idps = realm.user("pd-idp").clientRole("realm-management", "manage-identity-providers").create();
        String desk = realm.accessToken("pd-desk-1", "Desk-password-1", null);
        for (String id : List.of(second, impersonator, events, idps)) {
            HttpResponse<String> answer = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + id
                    + "/temporary-access-passes", desk, PASS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(JSON.readTree(answer.body()).path("status").asText()).isEqualTo("pending-approval");
            assertThat(JSON.readTree(answer.body()).path("pass").isNull()).as("no pass before a second person")
                    .isTrue();
        }
    }

    @Test
    void an_approver_resets_through_the_privileged_branch(TestRealm realm, MailCatcher mail) {
        String secret = "pd-approver-secret";
        realm.user("pd-approver").group("/recovery-approvers").totp(secret).create();
        realm.user("pd-other-approver").group("/recovery-approvers").create();
        // With the app and email only, the privileged policy (two strong methods) cannot be met: after the app the
        // helpdesk page (a standard account with the same two methods would be asked for the email code next).
        FlowClient weak = new FlowClient();
        FlowClient.Page methods = weak.requestReset(weak.openResetPage(realm), "pd-approver");
        FlowClient.Page afterApp = weak.prove(methods, "totp", () -> flows.totp(secret));
        assertThat(afterApp.body()).as("an approver needs two strong methods")
                .contains("governed-recovery-helpdesk-text").doesNotContain(PrivilegedFlows.METHODS_FORM)
                .doesNotContain(PrivilegedFlows.NEW_PASSWORD_FORM);

        // An approver with a second strong method (recovery codes): the reset waits for another approver.
        String strongSecret = "pd-approver-strong-secret";
        realm.user("pd-strong-approver").group("/recovery-approvers").totp(strongSecret)
                .recoveryCodes("PDCODE000123", "PDCODE000456").create();
        FlowClient strong = new FlowClient();
        FlowClient.Page waiting = flows.proveBoth(strong, realm, "pd-strong-approver", strongSecret, "PDCODE000123");
        assertThat(waiting.body()).contains(PrivilegedFlows.WAITING_FORM);
        assertThat(mail.await("pd-other-approver@example.test", m -> m.subject().contains("pd-strong-approver")))
                .as("another approver is asked").isNotNull();
    }
}
