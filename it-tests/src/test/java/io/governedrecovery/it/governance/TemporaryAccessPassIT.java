package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * Temporary access passes: issued by the helpdesk with identity evidence through the admin endpoint, a strong method
 * in the reset flow, used up once, refused after expiry, a second approver for privileged accounts, never stored or
 * written in plain text.
 */
@ExtendWith(RealKeycloak.class)
class TemporaryAccessPassIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String METHODS_FORM = "governed-recovery-methods-form";
    static final String CODE_FORM = "governed-recovery-code-form";
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";

    @BeforeAll
    static void helpdesk(TestRealm realm) {
        realm.user("tap-desk-1").group("/recovery-helpdesk").password("Desk-password-1").create();
        realm.user("tap-desk-2").group("/recovery-helpdesk").password("Desk-password-2").create();
        realm.user("tap-plain").password("Plain-password-1").create();
        realm.user("tap-approver").group("/recovery-approvers").create();
    }

    @Test
    void a_new_hire_resets_once_with_a_pass_and_email_and_the_pass_is_written_nowhere(
            TestRealm realm, MailCatcher mail, KeycloakServer server, TestEnvironment env) throws Exception {
        String id = realm.user("tap-newbie").password("Unknown-password-1").create();
        HttpResponse<String> issued = call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 1), "{\"evidence\":\"in-person\",\"ticket\":\"HR-4711\",\"lifetimeMinutes\":60}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(issued.body());
        String pass = answer.path("pass").asText();
        assertThat(pass).hasSize(12);
        assertThat(answer.path("issuedBy").asText()).isEqualTo("tap-desk-1");
        assertThat(answer.path("evidence").asText()).isEqualTo("in-person");

        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "tap-newbie");
        FlowClient.Page afterPass = prove(client, methods, "tap", pass.substring(0, 4) + "-" + pass.substring(4));
        assertThat(afterPass.body()).contains(METHODS_FORM);
        FlowClient.Page codePage = client.post(afterPass.formAction(METHODS_FORM),
                Map.of("action", "select", "method", "email-code"));
        FlowClient.Page newPassword = client.postFollowing(codePage.formAction(CODE_FORM),
                Map.of("action", "verify", "code", Codes.in(mail.next("tap-newbie@example.test").text())));
        assertThat(newPassword.body()).contains(NEW_PASSWORD_FORM);
        client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "New-password-2", "password-confirm", "New-password-2"));
        assertThat(realm.passwordWorks("tap-newbie", "New-password-2")).isTrue();

        FlowClient again = new FlowClient();
        FlowClient.Page second = prove(again, again.requestReset(again.openResetPage(realm), "tap-newbie"), "tap",
                pass);
        assertThat(second.body()).as("a one-time pass works once").contains("That did not work");

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        exported.await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "tap".equals(ExportedEvents.detail(e, "gr_method"))
                        && "verified".equals(ExportedEvents.detail(e, "gr_outcome"))), Duration.ofSeconds(20));
        exported.await(e -> e.path("unmapped").path("resource_path").asText("").contains("temporary-access-passes")
                || e.toString().contains("temporary-access-passes"), Duration.ofSeconds(20));
        assertNowhere(pass, server, env);
    }

    @Test
    void after_losing_the_phone_a_pass_and_email_reset_the_password_and_the_lost_app_is_removed(
            TestRealm realm, MailCatcher mail, KeycloakServer server) throws Exception {
        String id = realm.user("tap-lost").totp("tap-lost-secret").password("Old-password-1").create();
        String pass = JSON.readTree(call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 1), "{\"evidence\":\"callback\",\"ticket\":\"INC-LOST\"}").body()).path("pass").asText();

        FlowClient client = new FlowClient();
        FlowClient.Page afterPass = prove(client, client.requestReset(client.openResetPage(realm), "tap-lost"), "tap",
                pass);
        FlowClient.Page newPassword = client.prove(afterPass, "email-code",
                () -> Codes.in(mail.next("tap-lost@example.test").text()));
        FlowClient.Page lost = client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "New-password-2", "password-confirm", "New-password-2"));
        assertThat(lost.body()).contains("governed-recovery-lost-form").contains("governed-recovery-lost-totp")
                .as("only methods not proven in this reset are offered").doesNotContain("governed-recovery-lost-tap");
        // A crafted value is ignored; the app goes.
        FlowClient.Page last = client.postFollowing(lost.formAction("governed-recovery-lost-form"),
                Map.of("remove", "totp", "action", "continue"));
        assertThat(last.body()).as("the last page names what was removed").contains("Your password was changed")
                .contains("governed-recovery-done-removed-totp").contains("your authenticator app");
        assertThat(realm.userResource(id).credentials()).extracting("type").doesNotContain("otp");
        assertThat(realm.passwordWorks("tap-lost", "New-password-2")).as("signs in without the lost app").isTrue();
        assertThat(mail.next("tap-lost@example.test").subject()).as("the reset notice still goes out")
                .contains("password was reset");
    }

    @Test
    void a_pass_revoked_during_the_reset_no_longer_counts(TestRealm realm, MailCatcher mail, KeycloakServer server)
            throws Exception {
        String id = realm.user("tap-revoked").password("Old-password-1").create();
        JsonNode issued = JSON.readTree(call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 1), "{\"evidence\":\"callback\",\"ticket\":\"INC-REV\"}").body());
        FlowClient client = new FlowClient();
        FlowClient.Page afterPass = prove(client, client.requestReset(client.openResetPage(realm), "tap-revoked"),
                "tap", issued.path("pass").asText());
        FlowClient.Page newPassword = client.prove(afterPass, "email-code",
                () -> Codes.in(mail.next("tap-revoked@example.test").text()));
        assertThat(newPassword.body()).contains(NEW_PASSWORD_FORM);
        // The helpdesk learns the pass went to the wrong person and revokes it while the page is open.
        assertThat(call(server, realm, "DELETE", "users/" + id + "/temporary-access-passes/"
                + issued.path("id").asText(), token(realm, 1), null).statusCode()).isEqualTo(204);
        FlowClient.Page answer = client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "Evil-password-9", "password-confirm", "Evil-password-9"));
        assertThat(answer.status()).isLessThan(500);
        assertThat(answer.body()).doesNotContain(NEW_PASSWORD_FORM);
        assertThat(realm.passwordWorks("tap-revoked", "Evil-password-9")).isFalse();
        assertThat(realm.passwordWorks("tap-revoked", "Old-password-1")).isTrue();
    }

    @Test
    void a_second_pass_replaces_the_first(TestRealm realm, MailCatcher mail, KeycloakServer server) throws Exception {
        String id = realm.user("tap-twice").password("Old-password-1").create();
        String body = "{\"evidence\":\"callback\",\"ticket\":\"INC-LOST-PASS\"}";
        JsonNode first = JSON.readTree(call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 1), body).body());
        HttpResponse<String> again = call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 2), body);
        assertThat(again.statusCode()).as("the person lost the first pass: " + again.body()).isEqualTo(201);
        JsonNode second = JSON.readTree(again.body());
        assertThat(second.path("replaced").toString()).contains(first.path("id").asText());
        JsonNode passes = read(call(server, realm, "GET", "users/" + id + "/temporary-access-passes", token(realm, 1),
                null).body()).path("passes");
        assertThat(passes).hasSize(1);
        assertThat(passes.path(0).path("id").asText()).isEqualTo(second.path("id").asText());

        FlowClient stale = new FlowClient();
        assertThat(prove(stale, stale.requestReset(stale.openResetPage(realm), "tap-twice"), "tap",
                first.path("pass").asText()).body()).as("the replaced pass no longer works").contains("That did not work");
        FlowClient client = new FlowClient();
        FlowClient.Page afterPass = prove(client, client.requestReset(client.openResetPage(realm), "tap-twice"), "tap",
                second.path("pass").asText());
        assertThat(afterPass.body()).contains(METHODS_FORM).doesNotContain("That did not work");
    }

    @Test
    void an_expired_pass_is_refused(TestRealm realm, KeycloakServer server) throws Exception {
        String id = realm.user("tap-late").create();
        String pass = JSON.readTree(call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 1), "{\"evidence\":\"callback\",\"ticket\":\"INC-7\",\"lifetimeMinutes\":1,"
                        + "\"oneTime\":false}").body()).path("pass").asText();
        // The shortest lifetime is a minute: Keycloak's clock moves past it.
        try (var later = server.clockAhead(Duration.ofSeconds(61))) {
            assertThat(read(call(server, realm, "GET", "users/" + id + "/temporary-access-passes", token(realm, 1),
                    null).body()).path("passes").path(0).path("status").asText()).isEqualTo("expired");
            FlowClient client = new FlowClient();
            FlowClient.Page answer = prove(client, client.requestReset(client.openResetPage(realm), "tap-late"),
                    "tap", pass);
            assertThat(answer.body()).contains("That did not work");
        }
    }

    @Test
    void a_pass_for_an_administrator_needs_a_second_helpdesk_member(TestRealm realm, KeycloakServer server)
            throws Exception {
        String id = realm.user("tap-admin").group("/realm-admins").totp("tap-admin-secret").create();
        HttpResponse<String> requested = call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                token(realm, 1), "{\"evidence\":\"manager\",\"ticket\":\"INC-9\"}");
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        JsonNode pending = JSON.readTree(requested.body());
        assertThat(pending.path("pass").isNull()).as("no pass before the second approval").isTrue();
        assertThat(pending.path("status").asText()).isEqualTo("pending-approval");
        String passId = pending.path("id").asText();

        FlowClient early = new FlowClient();
        FlowClient.Page methods = early.requestReset(early.openResetPage(realm), "tap-admin");
        assertThat(prove(early, methods, "tap", "ABCDEFGHJKMN").body()).contains("That did not work");

        HttpResponse<String> byIssuer = call(server, realm, "POST", "users/" + id + "/temporary-access-passes/"
                + passId + "/approval", token(realm, 1), null);
        assertThat(byIssuer.statusCode()).as("the issuer cannot approve").isEqualTo(403);
        HttpResponse<String> approved = call(server, realm, "POST", "users/" + id + "/temporary-access-passes/"
                + passId + "/approval", token(realm, 2), null);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        String pass = JSON.readTree(approved.body()).path("pass").asText();
        assertThat(JSON.readTree(approved.body()).path("approvedBy").asText()).isEqualTo("tap-desk-2");
        assertThat(call(server, realm, "POST", "users/" + id + "/temporary-access-passes/" + passId + "/approval",
                token(realm, 2), null).statusCode()).as("approved once").isEqualTo(409);

        FlowClient client = new FlowClient();
        FlowClient.Page afterPass = prove(client, client.requestReset(client.openResetPage(realm), "tap-admin"), "tap",
                pass);
        FlowClient.Page waiting = prove(client, afterPass, "totp", Totp.now("tap-admin-secret"));
        assertThat(waiting.body()).as("pass + app: the privileged policy is met, the approval step follows")
                .contains("governed-recovery-approval-form");
    }

    @Test
    void the_issuer_cannot_approve_their_own_pass_under_another_name(TestRealm realm, KeycloakServer server)
            throws Exception {
        String id = realm.user("tap-admin-2").group("/realm-admins").create();
        realm.user("tap-desk-9").group("/recovery-helpdesk").password("Desk-password-9").create();
        String deskId = realm.userIdOf("tap-desk-9");
        HttpResponse<String> requested = call(server, realm, "POST", "users/" + id + "/temporary-access-passes",
                realm.accessToken("tap-desk-9", "Desk-password-9", null), "{\"evidence\":\"manager\",\"ticket\":\"INC-11\"}");
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        String passId = JSON.readTree(requested.body()).path("id").asText();
        // The issuer renames their own account (in a realm that lets usernames change), then tries to approve as
        // "someone else".
        var realmRep = realm.admin().toRepresentation();
        realmRep.setEditUsernameAllowed(true);
        realm.admin().update(realmRep);
        var rep = realm.userResource(deskId).toRepresentation();
        rep.setUsername("tap-desk-9-renamed");
        realm.userResource(deskId).update(rep);
        HttpResponse<String> byIssuer = call(server, realm, "POST", "users/" + id + "/temporary-access-passes/"
                + passId + "/approval", realm.accessToken("tap-desk-9-renamed", "Desk-password-9", null), null);
        assertThat(byIssuer.statusCode()).as(byIssuer.body()).isEqualTo(403);
        assertThat(byIssuer.body()).doesNotContain("\"pass\"");
    }

    @Test
    void bad_requests_get_clear_answers_and_change_nothing(TestRealm realm, KeycloakServer server) throws Exception {
        String id = realm.user("tap-target").create();
        String glass = realm.user("tap-glass").group("/break-glass").create();
        String path = "users/" + id + "/temporary-access-passes";
        String desk = token(realm, 1);
        for (String body : List.of("", "nonsense", "[]", "{}", "{\"evidence\":\"gut feeling\",\"ticket\":\"I-1\"}",
                "{\"evidence\":\"callback\"}", "{\"evidence\":\"callback\",\"ticket\":\"bad ticket!\"}",
                "{\"evidence\":\"callback\",\"ticket\":\"I-1\",\"lifetimeMinutes\":0}",
                "{\"evidence\":\"callback\",\"ticket\":\"I-1\",\"lifetimeMinutes\":481}",
                "{\"evidence\":\"callback\",\"ticket\":\"I-1\",\"lifetimeMinutes\":\"60\"}",
                "{\"evidence\":\"callback\",\"ticket\":\"I-1\",\"length\":7}",
                "{\"evidence\":\"callback\",\"ticket\":\"I-1\",\"oneTime\":\"yes\"}",
                "{\"evidence\":\"callback\",\"ticket\":\"I-1\",\"note\":\"" + "n".repeat(201) + "\"}")) {
            assertThat(call(server, realm, "POST", path, desk, body).statusCode()).as(body).isEqualTo(400);
        }
        String good = "{\"evidence\":\"callback\",\"ticket\":\"I-1\"}";
        assertThat(call(server, realm, "POST", path, null, good).statusCode()).isEqualTo(401);
        assertThat(call(server, realm, "POST", path, "not-a-token", good).statusCode()).isEqualTo(401);
        String plain = realm.accessToken("tap-plain", "Plain-password-1", null);
        assertThat(call(server, realm, "POST", path, plain, good).statusCode()).as("no admin permission")
                .isEqualTo(403);
        assertThat(call(server, realm, "GET", path, plain, null).statusCode()).isEqualTo(403);
        assertThat(call(server, realm, "POST", "users/no-such-user/temporary-access-passes", desk, good)
                .statusCode()).isEqualTo(404);
        String self = realm.userIdOf("tap-desk-1");
        assertThat(call(server, realm, "POST", "users/" + self + "/temporary-access-passes", desk, good)
                .statusCode()).as("not to oneself").isEqualTo(403);
        assertThat(call(server, realm, "POST", "users/" + glass + "/temporary-access-passes", desk, good)
                .statusCode()).as("never for break-glass accounts").isEqualTo(409);
        assertThat(call(server, realm, "POST", path + "/no-such-pass/approval", desk, null).statusCode())
                .isEqualTo(404);
        assertThat(call(server, realm, "DELETE", path + "/no-such-pass", desk, null).statusCode()).isEqualTo(404);

        JsonNode passes = JSON.readTree(call(server, realm, "GET", path, desk, null).body()).path("passes");
        assertThat(passes).as("nothing was issued").isEmpty();

        // A pass of a standard account needs no approval, and a revoked one is gone.
        String issued = JSON.readTree(call(server, realm, "POST", path, server.adminToken(), good).body())
                .path("id").asText();
        assertThat(call(server, realm, "POST", path + "/" + issued + "/approval", desk, null).statusCode())
                .isEqualTo(409);
        assertThat(call(server, realm, "DELETE", path + "/" + issued, desk, null).statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(call(server, realm, "GET", path, desk, null).body()).path("passes")).isEmpty();
    }

    /** The plain pass is in no log, export, admin answer or database file. */
    private static void assertNowhere(String pass, KeycloakServer server, TestEnvironment env) throws Exception {
        assertThat(server.log()).doesNotContain(pass);
        assertThat(Files.readString(env.exportDir().resolve(ExportedEvents.FILE), StandardCharsets.UTF_8))
                .doesNotContain(pass);
        byte[] needle = pass.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(server.distDir().resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(indexOf(Files.readAllBytes(file), needle)).as(file.toString()).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static String token(TestRealm realm, int desk) {
        return realm.accessToken("tap-desk-" + desk, "Desk-password-" + desk, null);
    }

    private static FlowClient.Page prove(FlowClient client, FlowClient.Page methods, String method, String code) {
        return client.prove(methods, method, () -> code);
    }

    private static HttpResponse<String> call(KeycloakServer server, TestRealm realm, String method, String path,
                                             String token, String body) {
        return RestCall.send(method, Helpdesk.adminApi(realm) + path, token, body);
    }
}
