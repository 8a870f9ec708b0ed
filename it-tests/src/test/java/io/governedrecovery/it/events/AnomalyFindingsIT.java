package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The scorer's findings, end to end: raised from real flows on a real server and exported to the JSON Lines file, a
 * syslog receiver and a webhook receiver that checks the HMAC signature.
 */
@ExtendWith(RealKeycloak.class)
class AnomalyFindingsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Wrong codes used as markers: none may appear in any export, log or metric. */
    static final List<String> MARKERS = List.of("314159", "271828", "161803", "141421", "173205");

    @Test
    void five_failed_resets_in_ten_minutes_raise_a_finding_exported_to_every_sink(TestRealm realm,
                                                                                  TestEnvironment env,
                                                                                  KeycloakServer server) {
        String id = realm.user("finn").totp("finn-secret").create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "finn");
        FlowClient.Page page = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "totp"));
        for (String wrong : MARKERS) {
            FlowClient.Page answer = client.post(page.formAction(page.body().contains("governed-recovery-code-form")
                    ? "governed-recovery-code-form" : "governed-recovery-methods-form"),
                    Map.of("action", "verify", "code", wrong));
            page = answer.body().contains("governed-recovery-code-form") ? answer : page;
        }

        JsonNode inFile = new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("failed-resets", id), WAIT);
        String findingId = ExportedEvents.id(inFile);
        assertThat(inFile.path("finding_info").path("title").asText()).contains("failed password resets");
        assertThat(inFile.path("evidences").get(0).path("data").path("failures").asText()).isEqualTo("5");

        String syslog = Await.until("the finding at the syslog receiver", WAIT, () -> env.syslog().messages().stream()
                .filter(m -> m.contains("id=\"" + findingId + "\"")).findFirst().orElse(null));
        assertThat(syslog).as("severity_id 3 (medium) is warning (4) in facility authpriv (10)").startsWith("<84>1 ")
                .contains(" FINDING [governedRecovery@32473 id=\"" + findingId + "\"");

        JsonNode hooked = Await.until("the finding at the webhook", WAIT, () -> env.webhook().records().stream()
                .filter(r -> findingId.equals(ExportedEvents.id(r))).findFirst().orElse(null));
        assertThat(hooked.path("risk_score").asInt()).isEqualTo(60);
        assertThat(env.webhook().badSignatures()).isZero();

        String everything = new ExportedEvents(env.exportDir()).all().toString() + env.syslog().messages()
                + env.webhook().records() + server.log() + server.metrics();
        for (String marker : MARKERS) {
            assertThat(everything).as("marker code " + marker).doesNotContain(marker);
        }
    }

    /** Types {@code name} at the reset prompt, picks the authenticator app and types {@code codes} wrong codes. */
    private static void wrongCodes(TestRealm realm, String name, List<String> codes) {
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), name);
        FlowClient.Page page = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "totp"));
        for (String wrong : codes) {
            FlowClient.Page answer = client.post(page.formAction(page.body().contains("governed-recovery-code-form")
                    ? "governed-recovery-code-form" : "governed-recovery-methods-form"),
                    Map.of("action", "verify", "code", wrong));
            page = answer.body().contains("governed-recovery-code-form") ? answer : page;
        }
    }

    @Test
    void wrong_codes_at_names_that_match_no_account_are_that_names_and_that_addresss_never_one_nameless_account(
            TestRealm realm, TestEnvironment env) {
        // Three wrong codes at each of two unknown names: neither name reaches five, their source does.
        wrongCodes(realm, "nobody-x1@example.test", MARKERS.subList(0, 3));
        wrongCodes(realm, "nobody-x2", MARKERS.subList(0, 3));
        // Five at one unknown name: that name's finding, which says its subject is a name and shows only its pseudonym.
        wrongCodes(realm, "nobody-x3", MARKERS);

        String realmId = realm.admin().toRepresentation().getId();
        java.util.function.Predicate<JsonNode> here = f -> realmId.equals(f.path("unmapped").path("realm_id").asText());
        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode byName = exported.await(ExportedEvents.finding("failed-resets").and(here)
                .and(f -> "name".equals(f.path("unmapped").path("subject").asText())), WAIT);
        assertThat(byName.path("finding_info").path("title").asText()).contains("name that matches no account");
        assertThat(byName.path("evidences").get(0).path("user").path("uid").isMissingNode()).isTrue();
        assertThat(byName.path("evidences").get(0).path("user").path("name").asText()).startsWith("h:");
        assertThat(byName.path("evidences").get(0).path("data").path("failures").asText()).isEqualTo("5");

        JsonNode byAddress = exported.await(ExportedEvents.finding("failed-resets").and(here)
                .and(f -> "address".equals(f.path("unmapped").path("subject").asText())), WAIT);
        assertThat(byAddress.path("evidences").get(0).path("src_endpoint").path("ip").asText()).isNotEmpty();
        assertThat(byAddress.path("evidences").get(0).path("user").isMissingNode()).isTrue();
        assertThat(byAddress.path("finding_info").path("title").asText()).contains("from one source address");

        assertThat(exported.all().stream().filter(ExportedEvents.finding("failed-resets"))
                .filter(f -> "account".equals(f.path("unmapped").path("subject").asText()))
                .filter(f -> f.path("evidences").get(0).path("user").path("uid").isMissingNode()))
                .as("no finding about an account names no account").isEmpty();
        String everything = exported.all().toString();
        assertThat(everything).doesNotContain("nobody-x1").doesNotContain("nobody-x2").doesNotContain("nobody-x3");
    }

    @Test
    void one_wrong_code_at_a_break_glass_accounts_reset_is_a_critical_finding_of_that_account(TestRealm realm,
                                                                                              TestEnvironment env) {
        String id = realm.user("glass-fail-1").group("/break-glass").totp("glass-fail-secret").create();
        wrongCodes(realm, "glass-fail-1", MARKERS.subList(0, 1));

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode failed = exported.await(ExportedEvents.ofType("RESET_PASSWORD_ERROR", id)
                .and(e -> "verify".equals(ExportedEvents.detail(e, "gr_step"))), WAIT);
        assertThat(ExportedEvents.detail(failed, "gr_tier")).isEqualTo("break-glass");
        JsonNode finding = exported.await(ExportedEvents.finding("failed-resets", id), WAIT);
        assertThat(finding.path("severity_id").asInt()).as("critical").isEqualTo(5);
        assertThat(finding.path("unmapped").path("subject").asText()).isEqualTo("account");
        assertThat(finding.path("evidences").get(0).path("user").path("name").asText()).isEqualTo("glass-fail-1");
        assertThat(finding.path("finding_info").path("title").asText()).contains("break-glass");

        // Syslog: facility authpriv (10), severity from severity_id as the README's table says: 5 is crit (2).
        String findingId = ExportedEvents.id(finding);
        String syslog = Await.until("the finding at the syslog receiver", WAIT, () -> env.syslog().messages().stream()
                .filter(m -> m.contains("id=\"" + findingId + "\"")).findFirst().orElse(null));
        assertThat(syslog).startsWith("<82>1 ");
    }

    @Test
    void a_wave_of_resets_in_one_department_raises_a_spike(TestRealm realm, TestEnvironment env) {
        for (int i = 0; i < 6; i++) {
            realm.user("payroll-" + i).attribute("department", "Payroll").create();
        }
        for (int i = 0; i < 6; i++) {
            FlowClient client = new FlowClient();
            client.requestReset(client.openResetPage(realm), "payroll-" + i);
        }
        JsonNode spike = new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("department-spike")
                .and(f -> "Payroll".equals(f.path("evidences").get(0).path("data").path("department").asText())), WAIT);
        assertThat(spike.path("evidences").get(0).path("data").path("resets_this_hour").asInt()).isEqualTo(5);
    }

    @Test
    void a_reset_right_after_a_phone_change_is_flagged_and_both_numbers_are_told(TestRealm realm,
                                                                                TestEnvironment env,
                                                                                SmsGatewayStub sms) {
        String id = realm.user("gwen").phone("+4915112340001").create();
        UserRepresentation user = realm.userResource(id).toRepresentation();
        user.getAttributes().put("phoneNumber", List.of("+4915112340002"));
        realm.userResource(id).update(user);
        Await.until("the change to be recorded", WAIT, () -> realm.userResource(id).toRepresentation()
                .getAttributes().containsKey("governed-recovery.phone-changed-at"));
        assertThat(sms.next("+4915112340001").text()).contains("recovery phone number");
        assertThat(sms.next("+4915112340002").text()).contains("recovery phone number");

        FlowClient client = new FlowClient();
        client.requestReset(client.openResetPage(realm), "gwen");

        JsonNode flagged = new ExportedEvents(env.exportDir()).await(
                ExportedEvents.finding("reset-after-method-change", id), WAIT);
        assertThat(flagged.path("risk_score").asInt()).isEqualTo(80);
    }
}
