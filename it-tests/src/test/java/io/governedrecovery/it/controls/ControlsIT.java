package io.governedrecovery.it.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.GroupRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The recovery controls of the demo realm's flow: network rules with X-Forwarded-For from trusted proxies only,
 * cluster-wide limits on starts and code messages, and the pilot.
 */
@ExtendWith(RealKeycloak.class)
class ControlsIT {

    static final String METHODS_FORM = "governed-recovery-methods-form";
    static final String CODE_FORM = "governed-recovery-code-form";
    static final String HELPDESK = "governed-recovery-helpdesk-text";
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";

    private static final Map<String, String> OUT_OF_THE_WAY = Map.of("starts-per-ip-hour", "100000",
            "starts-per-name-hour", "100000", "sends-per-user-hour", "100000", "sends-per-ip-hour", "100000");

    @BeforeEach
    @AfterEach
    void defaults(TestRealm realm) {
        Map<String, String> reset = new HashMap<>(OUT_OF_THE_WAY);
        // Risk is tested on its own (RiskPolicyIT): here the burst of codes would raise this address's risk and
        // step every later reset up, whatever the network rule under test does.
        reset.put("risk-policy", "false");
        for (String key : List.of("trusted-proxies", "deny-cidrs", "allow-cidrs", "anonymizer-list")) {
            reset.put(key, "");
        }
        reset.put("deny-action", "deny");
        reset.put("anonymizer-action", "deny");
        realm.config("governed-recovery-controls", reset);
        realm.config("governed-recovery-pilot", Map.of("pilot-groups", ""));
    }

    @Test
    void a_denied_network_behind_a_trusted_proxy_gets_the_neutral_page_for_every_name(TestRealm realm,
                                                                                     TestEnvironment env) {
        String id = realm.user("net-user-1").totp("n1-secret").create();
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32",
                "deny-cidrs", "203.0.113.0/24##2001:db8:bad::/48"));

        FlowClient known = new FlowClient().header("X-Forwarded-For", "203.0.113.9");
        FlowClient.Page refused = known.requestReset(known.openResetPage(realm), "net-user-1");
        FlowClient unknown = new FlowClient().header("X-Forwarded-For", "203.0.113.10");
        FlowClient.Page refusedToo = unknown.requestReset(unknown.openResetPage(realm), "net-nobody-1");
        assertThat(refused.body()).contains(HELPDESK).doesNotContain(METHODS_FORM);
        assertThat(ResetWalk.masked(refused.body(), "net-user-1"))
                .isEqualTo(ResetWalk.masked(refusedToo.body(), "net-nobody-1"));
        FlowClient v6 = new FlowClient().header("X-Forwarded-For", "2001:db8:bad:1::7, 127.0.0.1");
        assertThat(v6.requestReset(v6.openResetPage(realm), "net-user-1").body()).contains(HELPDESK);

        JsonNode event = new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD_ERROR", id)
                .and(e -> "controls".equals(ExportedEvents.detail(e, "gr_step"))), Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(event, "gr_decision")).isEqualTo("deny");
        assertThat(ExportedEvents.detail(event, "gr_reason")).isEqualTo("deny-cidr");
        assertThat(ExportedEvents.detail(event, "gr_client_ip")).isEqualTo("203.0.113.9");

        FlowClient direct = new FlowClient();
        assertThat(direct.requestReset(direct.openResetPage(realm), "net-user-1").body())
                .as("other addresses are not affected").contains(METHODS_FORM);
    }

    @Test
    void forwarded_for_from_an_untrusted_peer_is_ignored_and_bad_headers_change_nothing(TestRealm realm) {
        realm.user("net-user-2").create();
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "10.9.9.9/32",
                "deny-cidrs", "203.0.113.0/24"));
        FlowClient spoofing = new FlowClient().header("X-Forwarded-For", "203.0.113.9");
        assertThat(spoofing.requestReset(spoofing.openResetPage(realm), "net-user-2").body())
                .as("127.0.0.1 is no trusted proxy, so its X-Forwarded-For is not believed").contains(METHODS_FORM);

        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32",
                "deny-cidrs", "127.0.0.0/8"));
        for (String bad : List.of("garbage", "1.2.3.4.5", "<script>", "203.0.113.9, not-an-ip", "999.1.1.1",
                ",,,", "x".repeat(5000))) {
            FlowClient client = new FlowClient().header("X-Forwarded-For", bad);
            FlowClient.Page page = client.requestReset(client.openResetPage(realm), "net-user-2");
            assertThat(page.status()).as(bad).isLessThan(500);
            assertThat(page.body()).as("a bad header counts as none: the peer 127.0.0.1 is denied").contains(HELPDESK);
        }
    }

    @Test
    void an_anonymizer_address_is_refused_or_stepped_up_as_configured(TestRealm realm, MailCatcher mail,
                                                                     KeycloakServer server, TestEnvironment env)
            throws Exception {
        realm.user("anon-user").totp("anon-secret").password("Old-password-1").create();
        Path list = Files.createTempFile(env.listDir(), "anonymizers", ".txt");
        Files.writeString(list, "# exit addresses\n198.51.100.23\nnot an address\n2001:db8:dead::/48\n");
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32",
                "anonymizer-list", list.toString()));
        AddressListStatus.awaitLoaded(realm, list.toString());

        FlowClient viaTor = new FlowClient().header("X-Forwarded-For", "198.51.100.23");
        assertThat(viaTor.requestReset(viaTor.openResetPage(realm), "anon-user").body()).contains(HELPDESK)
                .doesNotContain(METHODS_FORM);

        realm.config("governed-recovery-controls", Map.of("anonymizer-action", "step-up"));
        FlowClient stepped = new FlowClient().header("X-Forwarded-For", "2001:db8:dead::99");
        FlowClient.Page methods = stepped.requestReset(stepped.openResetPage(realm), "anon-user");
        FlowClient.Page afterApp = prove(stepped, methods, "totp", Totp.now("anon-secret"));
        assertThat(afterApp.body()).as("stepped up, two strong methods are needed and this account has one")
                .contains(HELPDESK).doesNotContain(NEW_PASSWORD_FORM);
        assertThat(realm.passwordWorks("anon-user", "Old-password-1", "anon-secret")).isTrue();

        String missing = env.listDir().resolve("nonexistent.txt").toString();
        realm.config("governed-recovery-controls", Map.of("anonymizer-list", missing));
        FlowClient other = new FlowClient().header("X-Forwarded-For", "198.51.100.23");
        FlowClient.Page unreadable = other.requestReset(other.openResetPage(realm), "anon-user");
        assertThat(unreadable.status()).isEqualTo(200);
        AddressListStatus.awaitProblem(realm, missing);
        assertThat(Files.readString(server.logFile())).contains("could not read the address list " + missing);
    }

    @Test
    void thirty_resets_in_a_burst_send_no_more_codes_than_the_limit_and_the_pages_stay_neutral(
            TestRealm realm, MailCatcher mail) {
        realm.user("burst-user").create();
        realm.config("governed-recovery-controls", Map.of("sends-per-user-hour", "3"));
        for (int i = 0; i < 30; i++) {
            FlowClient client = new FlowClient();
            FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "burst-user");
            FlowClient.Page code = client.post(methods.formAction(METHODS_FORM),
                    Map.of("action", "select", "method", "email-code"));
            assertThat(code.body()).as("request " + i).contains(CODE_FORM);
        }
        mail.next("burst-user@example.test");
        mail.next("burst-user@example.test");
        mail.next("burst-user@example.test");
        assertThat(mail.count("burst-user@example.test")).isEqualTo(3);
    }

    @Test
    void too_many_starts_for_one_name_get_a_neutral_try_later_page(TestRealm realm) {
        realm.user("start-user").create();
        realm.config("governed-recovery-controls", Map.of("starts-per-name-hour", "3"));
        for (String name : List.of("start-user", "start-nobo")) {
            for (int i = 0; i < 3; i++) {
                FlowClient client = new FlowClient();
                assertThat(client.requestReset(client.openResetPage(realm), name).body()).contains(METHODS_FORM);
            }
        }
        FlowClient known = new FlowClient();
        FlowClient.Page limited = known.requestReset(known.openResetPage(realm), "start-user");
        FlowClient unknown = new FlowClient();
        FlowClient.Page limitedToo = unknown.requestReset(unknown.openResetPage(realm), "start-nobo");
        assertThat(limited.body()).contains("try again in an hour").doesNotContain(METHODS_FORM);
        assertThat(ResetWalk.masked(limited.body(), "start-user"))
                .isEqualTo(ResetWalk.masked(limitedToo.body(), "start-nobo"));
    }

    @Test
    void pilot_members_get_the_governed_flow_and_others_the_fallback_until_they_join(TestRealm realm,
                                                                                     MailCatcher mail) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName("recovery-pilot");
        realm.admin().groups().add(group).close();
        String groupId = realm.admin().groups().groups("recovery-pilot", 0, 1).get(0).getId();
        realm.user("pilot-in").group("/recovery-pilot").create();
        String outside = realm.user("pilot-out").password("Old-password-1").create();
        realm.config("governed-recovery-pilot", Map.of("pilot-groups", "/recovery-pilot"));

        FlowClient member = new FlowClient();
        assertThat(member.requestReset(member.openResetPage(realm), "pilot-in").body()).contains(METHODS_FORM);

        FlowClient other = new FlowClient();
        FlowClient.Page sent = other.requestReset(other.openResetPage(realm), "pilot-out");
        assertThat(sent.body()).doesNotContain(METHODS_FORM);
        String link = mail.next("pilot-out@example.test").linkContaining("/login-actions/action-token");
        FlowClient.Page newPassword = other.get(link);
        assertThat(newPassword.body()).contains(NEW_PASSWORD_FORM);
        other.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "New-password-2", "password-confirm", "New-password-2"));
        assertThat(realm.passwordWorks("pilot-out", "New-password-2")).isTrue();

        realm.userResource(outside).joinGroup(groupId);
        FlowClient joined = new FlowClient();
        assertThat(joined.requestReset(joined.openResetPage(realm), "pilot-out").body())
                .as("widening the pilot is a configuration change").contains(METHODS_FORM);
    }

    @Test
    void a_bad_setting_keeps_the_last_good_one_in_force_and_says_so(TestRealm realm, KeycloakServer server)
            throws Exception {
        realm.user("conf-user").create();
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32",
                "deny-cidrs", "203.0.113.0/24"));
        FlowClient first = new FlowClient().header("X-Forwarded-For", "203.0.113.5");
        assertThat(first.requestReset(first.openResetPage(realm), "conf-user").body()).contains(HELPDESK);

        for (Map<String, String> bad : List.of(Map.of("deny-cidrs", "203.0.113.0/33"),
                Map.of("deny-cidrs", "example.com"), Map.of("deny-action", "block"),
                Map.of("starts-per-ip-hour", "-1"), Map.of("anonymizer-list", "relative/path.txt"))) {
            realm.config("governed-recovery-controls", bad);
            FlowClient client = new FlowClient().header("X-Forwarded-For", "203.0.113.5");
            FlowClient.Page page = client.requestReset(client.openResetPage(realm), "conf-user");
            assertThat(page.status()).as(bad.toString()).isEqualTo(200);
            assertThat(page.body()).as(bad + ": the last good settings (deny 203.0.113.0/24) stay")
                    .contains(HELPDESK);
            realm.config("governed-recovery-controls", Map.of("deny-cidrs", "203.0.113.0/24", "deny-action", "deny",
                    "starts-per-ip-hour", "100000", "anonymizer-list", ""));
        }
        assertThat(Files.readString(server.logFile())).contains("recovery controls in realm 'controlsit' have a bad "
                + "setting; the last good settings stay in force");
        realm.config("governed-recovery-controls", Map.of("deny-cidrs", "203.0.113.0/33"));
        var summary = io.governedrecovery.it.harness.RestCall.send("GET",
                io.governedrecovery.it.harness.Helpdesk.adminApi(realm) + "policy", server.adminToken(), null);
        assertThat(summary.body()).as("the policy summary names the bad setting")
                .contains("Setting 'deny-cidrs' has value '203.0.113.0/33'");
    }

    static FlowClient.Page prove(FlowClient client, FlowClient.Page methods, String method, String code) {
        return client.prove(methods, method, () -> code);
    }

    static FlowClient.Page proveEmail(FlowClient client, FlowClient.Page methods, MailCatcher mail,
                                      String address) {
        return client.prove(methods, "email-code", () -> Codes.in(mail.next(address).text()));
    }
}
