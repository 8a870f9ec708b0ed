package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The registration campaign (a required action) and the compliance report: pilot members who miss their policy are
 * asked to register at sign-in, may put it off the configured number of times and must register after that; others
 * are not asked; the report's counts match the realm's users.
 */
@ExtendWith(RealKeycloak.class)
class RegistrationCampaignIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FORM = "governed-recovery-register-form";

    @BeforeAll
    static void pilotOfTwoSnoozes(TestRealm realm, KeycloakServer server) {
        HttpResponse<String> imported = admin(server, realm, "GET",
                "/authentication/required-actions/governed-recovery-register/config", null);
        assertThat(imported.body()).as("the realm file's campaign settings").contains("/recovery-pilot");
        HttpResponse<String> set = admin(server, realm, "PUT",
                "/authentication/required-actions/governed-recovery-register/config",
                "{\"config\":{\"target-groups\":\"/recovery-pilot\",\"snoozes\":\"2\"}}");
        assertThat(set.statusCode()).as(set.body()).isLessThan(300);
    }

    @Test
    void a_pilot_member_may_put_it_off_twice_and_must_register_then(TestRealm realm) {
        realm.user("camp-in").group("/recovery-pilot").password("Camp-password-1").create();

        FlowClient one = new FlowClient();
        FlowClient.Page first = signIn(one, realm, "camp-in", "Camp-password-1");
        assertThat(first.body()).contains(FORM).contains("Remind me later (2 left)")
                .contains("governed-recovery-register-CONFIGURE_TOTP");
        assertThat(one.postFollowing(first.formAction(FORM), Map.of("action", "later")).body())
                .doesNotContain(FORM);

        FlowClient two = new FlowClient();
        FlowClient.Page second = signIn(two, realm, "camp-in", "Camp-password-1");
        assertThat(second.body()).contains("Remind me later (1 left)");
        two.postFollowing(second.formAction(FORM), Map.of("action", "later"));

        FlowClient client = new FlowClient();
        FlowClient.Page third = signIn(client, realm, "camp-in", "Camp-password-1");
        assertThat(third.body()).contains(FORM).contains("governed-recovery-register-required")
                .doesNotContain("governed-recovery-register-later");
        FlowClient.Page refused = client.postFollowing(third.formAction(FORM), Map.of("action", "later"));
        assertThat(refused.status()).isLessThan(500);
        assertThat(refused.body()).as("no more putting it off").contains(FORM).contains("choose one of the options");
        FlowClient.Page totp = client.postFollowing(refused.formAction(FORM),
                Map.of("action", "register:CONFIGURE_TOTP"));
        assertThat(totp.body()).as("Keycloak's authenticator-app page").contains("kc-totp-settings");
    }

    @Test
    void a_password_grant_is_never_refused_by_the_campaign(TestRealm realm) {
        realm.user("camp-api").group("/recovery-pilot").password("Camp-password-4").create();
        assertThat(realm.passwordWorks("camp-api", "Camp-password-4"))
                .as("no page to show: the grant goes through (Keycloak would refuse it as not fully set up)").isTrue();
        assertThat(realm.userResource(realm.userIdOf("camp-api")).toRepresentation().getRequiredActions())
                .doesNotContain("governed-recovery-register");
        FlowClient browser = new FlowClient();
        assertThat(signIn(browser, realm, "camp-api", "Camp-password-4").body())
                .as("the campaign asks at the browser sign-in").contains(FORM);
    }

    @Test
    void an_account_outside_the_pilot_or_meeting_its_policy_is_not_asked(TestRealm realm) {
        realm.user("camp-out").password("Camp-password-2").create();
        realm.user("camp-ready").group("/recovery-pilot").totp("camp-ready-secret").password("Camp-password-3")
                .create();
        assertThat(signIn(new FlowClient(), realm, "camp-out", "Camp-password-2").body()).doesNotContain(FORM)
                .doesNotContain("kc-form-login");
        assertThat(realm.passwordWorks("camp-out", "Camp-password-2")).isTrue();
        FlowClient ready = new FlowClient();
        FlowClient.Page otp = signIn(ready, realm, "camp-ready", "Camp-password-3");
        FlowClient.Page page = ready.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", io.governedrecovery.it.harness.Totp.now("camp-ready-secret")));
        assertThat(page.body()).as("email + app meet the standard policy: signed in, not asked")
                .doesNotContain(FORM).doesNotContain("kc-otp-login-form").doesNotContain("kc-form-login");
    }

    @Test
    void an_account_that_meets_its_policy_reviews_its_methods_when_the_review_is_due(TestRealm realm,
                                                                                     KeycloakServer server) {
        realm.user("camp-review").group("/recovery-pilot").totp("camp-review-secret").password("Camp-password-4")
                .attribute("governed-recovery.methods-reviewed-at",
                        Long.toString(System.currentTimeMillis() - 40L * 86_400_000L))
                .create();
        set(server, realm, "{\"config\":{\"target-groups\":\"/recovery-pilot\",\"snoozes\":\"2\","
                + "\"reconfirm-days\":\"30\"}}");
        try {
            FlowClient client = new FlowClient();
            FlowClient.Page otp = signIn(client, realm, "camp-review", "Camp-password-4");
            FlowClient.Page review = client.postFollowing(otp.formAction("kc-otp-login-form"),
                    Map.of("otp", io.governedrecovery.it.harness.Totp.now("camp-review-secret")));
            assertThat(review.body()).contains(FORM).contains("Check your recovery methods")
                    .contains("governed-recovery-register-confirm").doesNotContain("governed-recovery-register-later");
            assertThat(client.postFollowing(review.formAction(FORM), Map.of("action", "confirm")).body())
                    .doesNotContain(FORM);
            FlowClient again = new FlowClient();
            FlowClient.Page otpAgain = signIn(again, realm, "camp-review", "Camp-password-4");
            assertThat(again.postFollowing(otpAgain.formAction("kc-otp-login-form"), Map.of("otp",
                    io.governedrecovery.it.harness.Totp.code("camp-review-secret",
                            java.time.Instant.now().plusSeconds(30)))).body())
                    .as("reviewed: not asked again within 30 days").doesNotContain(FORM)
                    .doesNotContain("kc-otp-login-form");
        } finally {
            set(server, realm, "{\"config\":{\"target-groups\":\"/recovery-pilot\",\"snoozes\":\"2\"}}");
        }
    }

    private static void set(KeycloakServer server, TestRealm realm, String config) {
        HttpResponse<String> answer = admin(server, realm, "PUT",
                "/authentication/required-actions/governed-recovery-register/config", config);
        assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
    }

    @Test
    void bad_campaign_settings_are_refused_in_the_admin_console_and_change_nothing(TestRealm realm,
                                                                                   KeycloakServer server) {
        for (String bad : List.of("{\"config\":{\"snoozes\":\"lots\"}}", "{\"config\":{\"snoozes\":\"99\"}}",
                "{\"config\":{\"deadline\":\"next friday\"}}", "{\"config\":{\"target-groups\":\"pilot\"}}")) {
            HttpResponse<String> answer = admin(server, realm, "PUT",
                    "/authentication/required-actions/governed-recovery-register/config", bad);
            assertThat(answer.statusCode()).as(bad + " -> " + answer.body()).isEqualTo(400);
        }
        assertThat(admin(server, realm, "GET", "/authentication/required-actions/governed-recovery-register/config",
                null).body()).contains("\"snoozes\":\"2\"");
    }

    @Test
    void the_compliance_report_counts_match_the_realms_users(TestRealm realm, KeycloakServer server) throws Exception {
        realm.user("rep-ok-1").totp("rep-1").attribute("department", "sales").create();
        realm.user("rep-ok-2").totp("rep-2").attribute("department", "it").group("/recovery-pilot").create();
        realm.user("rep-miss-1").attribute("department", "sales").create();
        realm.user("rep-miss-2").noEmail().attribute("department", "sales").group("/recovery-pilot").create();
        realm.user("rep-admin").group("/realm-admins").totp("rep-3").create();
        realm.user("rep-glass").group("/break-glass").create();
        realm.user("rep-cool").totp("rep-4", java.time.Duration.ofHours(2)).create();

        HttpResponse<String> answer = get(server, realm, "compliance", server.adminToken());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(answer.body());
        int users = realm.admin().users().count();
        assertThat(report.path("totals").path("users").asInt()).isEqualTo(users);
        assertThat(report.path("users")).hasSize(users);
        int meeting = 0;
        int missing = 0;
        for (JsonNode row : report.path("users")) {
            meeting += "meets".equals(row.path("status").asText()) ? 1 : 0;
            missing += "misses".equals(row.path("status").asText()) ? 1 : 0;
        }
        assertThat(report.path("totals").path("meeting").asInt()).isEqualTo(meeting);
        assertThat(report.path("totals").path("missing").asInt()).isEqualTo(missing);
        assertThat(status(report, "rep-ok-1")).isEqualTo("meets");
        assertThat(status(report, "rep-miss-1")).isEqualTo("misses");
        assertThat(status(report, "rep-admin")).as("an admin needs two strong methods").isEqualTo("misses");
        assertThat(status(report, "rep-glass")).isEqualTo("not-applicable");
        JsonNode sales = report.path("byDepartment").path("sales");
        assertThat(sales.path("users").asInt()).isEqualTo(3);
        assertThat(sales.path("meeting").asInt()).isEqualTo(1);
        assertThat(sales.path("missing").asInt()).isEqualTo(2);
        JsonNode pilot = report.path("byGroup").path("/recovery-pilot");
        assertThat(pilot.path("meeting").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(pilot.path("missing").asInt()).isGreaterThanOrEqualTo(1);

        HttpResponse<String> onlyPilot = get(server, realm, "compliance?group=/recovery-pilot", server.adminToken());
        for (JsonNode row : JSON.readTree(onlyPilot.body()).path("users")) {
            assertThat(row.path("groups").toString()).contains("/recovery-pilot");
        }
        HttpResponse<String> csv = get(server, realm, "compliance?format=csv", server.adminToken());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().count()).isEqualTo(users + 1L);
        assertThat(csv.body().lines().findFirst().orElse(""))
                .isEqualTo("id,username,tier,status,reason,methods,in_cooldown,department,groups");
        assertThat(csv.body()).as("why an account misses its policy").contains("\"rep-miss-1\",\"standard\",\"misses\","
                + "\"needs 1 more strong method (authenticator app, passkey or security key, recovery codes)\"");
        assertThat(csv.body()).as("an app added two hours ago meets the policy soon: in its cooldown")
                .contains("\"rep-cool\",\"standard\",\"meets\",,\"totp email-code\",\"totp\"");

        assertThat(get(server, realm, "compliance?format=xml", server.adminToken()).statusCode()).isEqualTo(400);
        assertThat(get(server, realm, "compliance?department=a%20b", server.adminToken()).statusCode())
                .isEqualTo(400);
        assertThat(get(server, realm, "compliance?group=/nope", server.adminToken()).statusCode()).isEqualTo(404);
        assertThat(get(server, realm, "compliance", null).statusCode()).isEqualTo(401);
        String plain = realm.accessToken("rep-miss-1", "Initial-password-1", null);
        assertThat(get(server, realm, "compliance", plain).statusCode()).isEqualTo(403);
    }

    private static String status(JsonNode report, String username) {
        for (JsonNode row : report.path("users")) {
            if (username.equals(row.path("username").asText())) {
                return row.path("status").asText();
            }
        }
        throw new AssertionError(username + " not in the report");
    }

    private static FlowClient.Page signIn(FlowClient client, TestRealm realm, String username, String password) {
        return client.postFollowing(client.get(realm.signInUrl()).formAction("kc-form-login"),
                Map.of("username", username, "password", password));
    }

    private static HttpResponse<String> get(KeycloakServer server, TestRealm realm, String path, String token) {
        return send(server.baseUrl() + "/admin/realms/" + realm.name() + "/governed-recovery/" + path, "GET", token, null);
    }

    private static HttpResponse<String> admin(KeycloakServer server, TestRealm realm, String method, String path,
                                              String body) {
        return send(server.baseUrl() + "/admin/realms/" + realm.name() + path, method, server.adminToken(), body);
    }

    private static HttpResponse<String> send(String url, String method, String token, String body) {
        return RestCall.send(method, url, token, body);
    }
}
