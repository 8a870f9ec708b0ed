package io.governedrecovery.it.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.SignInFrom;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The owner as the last line of defence: every notice carries a "This was not me" link. Opening it changes nothing
 * (mail scanners fetch links); its button freezes the account's self-service recovery and contact changes, ends every
 * session, raises a critical finding, tells the security contacts and is exported. Only the helpdesk lifts the freeze,
 * and links issued before that no longer work. Sign-ins from a new network are announced when the realm asks for it.
 */
@ExtendWith(RealKeycloak.class)
class NotMeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    static final String CONFIRM_FORM = "governed-recovery-not-me-form";
    static final String LINK = "/governed-recovery/not-me?key=";
    /** A member of the realm's notify group (the privileged-account condition's, "/realm-admins"). */
    static final String SECURITY = "nm-sec@example.test";

    @BeforeAll
    static void securityContactsAndNewNetworkNotices(TestRealm realm) {
        realm.user("nm-sec").group("/realm-admins").password("Sec-password-1").create();
        // Before any sign-in of the realm: the pipeline reads the setting again only every 10 seconds.
        realm.policy(Map.of("new-network-notice", "true"));
    }

    @Test
    void a_reset_notices_link_freezes_the_account_until_the_helpdesk_lifts_it(TestRealm realm, MailCatcher mail,
                                                                             SmsGatewayStub sms, TestEnvironment env) {
        // The realm's default roles (offline_access among them): an offline session is possible.
        // Recovery codes for the resets after the first: each app code works once, and a test of many would wait.
        String id = realm.user("nm-alice").totp("nm-alice-secret").phone("+4915112348001")
                .recoveryCodes("NMALICE0001", "NMALICE0002", "NMALICE0003")
                .realmRole("default-roles-" + realm.name()).password("Old-password-1").create();
        resetPassword(realm, mail, "nm-alice", "nm-alice-secret", "New-password-2");
        MailCatcher.Mail notice = mail.await("nm-alice@example.test", m -> m.subject().contains("password was reset"));
        String link = notice.linkContaining(LINK);
        assertThat(sms.await("+4915112348001", s -> s.text().contains("password was reset")).text())
                .as("the text message carries the link too").contains(LINK);
        String offline = realm.offlineRefreshToken("nm-alice", "New-password-2", Totp.unused("nm-alice-secret"));
        realm.accessToken("nm-alice", "New-password-2", Totp.unused("nm-alice-secret"));
        assertThat(realm.userResource(id).getUserSessions()).isNotEmpty();

        // A mail scanner fetching the link changes nothing.
        FlowClient owner = new FlowClient();
        FlowClient.Page shown = owner.get(link);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains(CONFIRM_FORM).contains("the password of your account was reset");
        assertThat(owner.get(link).status()).isEqualTo(200);
        assertThat(freeze(realm, id).path("frozen").asBoolean()).as("a GET freezes nothing").isFalse();
        assertThat(realm.refreshWorks(offline)).as("a GET ends no session").isTrue();

        // A tampered link gets a clear page, and changes nothing either.
        String tampered = link.substring(0, link.length() - 3) + (link.endsWith("AAA") ? "BBB" : "AAA");
        FlowClient.Page refused = owner.get(tampered);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("This link cannot be used").doesNotContain("Exception");
        String key = link.substring(link.indexOf("key=") + 4);
        assertThat(owner.post(shown.formAction(CONFIRM_FORM), Map.of("key", key + "x")).status()).isEqualTo(400);
        assertThat(freeze(realm, id).path("frozen").asBoolean()).isFalse();

        // A reset already past its proofs (someone else's) is waiting on the new-password page.
        FlowClient other = new FlowClient();
        FlowClient.Page pending = toNewPassword(realm, mail, other, "nm-alice", "recovery-codes",
                () -> "NMALICE0001");
        long passwordSet = realm.passwordSetAt(id);

        // The button reports it.
        FlowClient.Page done = owner.post(shown.formAction(CONFIRM_FORM), Map.of("key", key));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("Your account is secured");
        JsonNode state = freeze(realm, id);
        assertThat(state.path("frozen").asBoolean()).isTrue();
        assertThat(state.path("by").asText()).isEqualTo("owner");
        assertThat(state.path("reason").asText()).isEqualTo("not-me:password-reset");
        assertThat(realm.userResource(id).getUserSessions()).as("every session ended").isEmpty();
        assertThat(realm.refreshWorks(offline)).as("offline sessions too").isFalse();
        other.postFollowing(pending.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "Evil-password-9", "password-confirm", "Evil-password-9"));
        assertThat(realm.passwordSetAt(id)).as("a reset under way cannot finish once the owner reported")
                .isEqualTo(passwordSet);

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode report = exported.await(ExportedEvents.ofType("EXECUTE_ACTION_TOKEN", id)
                .and(e -> "not_me".equals(ExportedEvents.detail(e, "gr_step"))), Duration.ofSeconds(20));
        assertThat(ExportedEvents.detail(report, "gr_reported")).isEqualTo("password-reset");
        assertThat(ExportedEvents.detail(report, "gr_outcome")).isEqualTo("frozen");
        assertThat(report.path("severity_id").asInt()).as("high").isEqualTo(4);
        assertThat(report.toString()).doesNotContain(key);
        JsonNode finding = exported.await(ExportedEvents.finding("owner-report", id), Duration.ofSeconds(20));
        assertThat(finding.path("severity_id").asInt()).as("critical").isEqualTo(5);
        assertThat(mail.await(SECURITY, m -> m.subject().contains("reported a change as not theirs")).text())
                .contains("nm-alice").contains("frozen");

        // The next reset walks the pages of an unknown name, and no code is sent.
        int mailsBefore = mail.count("nm-alice@example.test");
        List<FlowClient.Page> frozen = ResetWalk.walk(realm, "nm-alice");
        List<FlowClient.Page> unknown = ResetWalk.walk(realm, "nm-nobody");
        for (int step = 0; step < frozen.size(); step++) {
            assertThat(ResetWalk.masked(frozen.get(step).body(), "nm-alice")).as("page of step " + step)
                    .isEqualTo(ResetWalk.masked(unknown.get(step).body(), "nm-nobody"));
        }
        assertThat(mail.count("nm-alice@example.test")).isEqualTo(mailsBefore);

        // The owner still signs in, and may not change a contact: the page says so.
        FlowClient signIn = new FlowClient();
        FlowClient.Page login = signIn.get(realm.signInUrl() + "&kc_action=governed-recovery-update-email");
        FlowClient.Page otp = signIn.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", "nm-alice", "password", "New-password-2"));
        FlowClient.Page contact = signIn.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", Totp.unused("nm-alice-secret")));
        assertThat(contact.body()).contains("governed-recovery-contact-frozen")
                .contains("Contact changes are blocked").doesNotContain("governed-recovery-contact-send");

        // Only the helpdesk lifts it; the old link then no longer works, and the reset does.
        String admin = realm.server().adminToken();
        HttpResponse<String> lifted = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + id
                + "/recovery-freeze/lift", admin, "{\"ticket\":\"INC-42\"}");
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        FlowClient.Page stale = owner.get(link);
        assertThat(stale.status()).isEqualTo(400);
        assertThat(owner.post(shown.formAction(CONFIRM_FORM), Map.of("key", key)).status()).isEqualTo(400);
        assertThat(freeze(realm, id).path("frozen").asBoolean()).as("an old link does not freeze again").isFalse();
        long before = realm.passwordSetAt(id);
        FlowClient again = new FlowClient();
        FlowClient.Page form = toNewPassword(realm, mail, again, "nm-alice", "recovery-codes", () -> "NMALICE0002");
        again.postFollowing(form.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "New-password-3", "password-confirm", "New-password-3"));
        assertThat(realm.passwordSetAt(id)).as("the reset works again").isGreaterThan(before);
    }

    @Test
    void a_method_change_notice_sent_in_the_background_carries_a_link_that_expires(TestRealm realm,
                                                                                   MailCatcher mail,
                                                                                   KeycloakServer server) {
        String id = realm.user("nm-bob").totp("nm-bob-secret").password("Bob-password-1").create();
        // Someone signs in with a forged Host header: no notice may send the owner there.
        assertThat(SignInFrom.status(realm, "127.0.0.1", "nm-bob", "Bob-password-1", Totp.unused("nm-bob-secret"),
                "evil.example")).isEqualTo(200);
        String otp = realm.userResource(id).credentials().stream().filter(c -> "otp".equals(c.getType()))
                .findFirst().orElseThrow().getId();
        realm.userResource(id).removeCredential(otp);
        MailCatcher.Mail notice = mail.await("nm-bob@example.test",
                m -> m.subject().contains("administrator removed a sign-in method"));
        String link = notice.linkContaining(LINK);
        assertThat(link).as("the server's own address").startsWith(server.baseUrl() + "/realms/");
        FlowClient owner = new FlowClient();
        FlowClient.Page shown = owner.get(link);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("an administrator removed a sign-in method from your account");
        assertThat(new FlowClient("de").get(link).body()).as("in the reader's language")
                .contains("Waren Sie das?").contains("Das war ich nicht: Konto sichern");

        // Seven days later (the default lifetime) the link is refused, and its button changes nothing.
        String key = link.substring(link.indexOf("key=") + 4);
        try (var ignored = server.clockAhead(Duration.ofDays(7).plusMinutes(1))) {
            FlowClient.Page expired = owner.get(link);
            assertThat(expired.status()).isEqualTo(400);
            assertThat(expired.body()).contains("This link cannot be used");
            assertThat(owner.post(shown.formAction(CONFIRM_FORM), Map.of("key", key)).status()).isEqualTo(400);
        }
        assertThat(freeze(realm, id).path("frozen").asBoolean()).isFalse();
    }

    @Test
    void links_follow_the_realms_frontend_url_and_a_report_may_disable_the_account(TestRealm realm, MailCatcher mail,
                                                                                   TestEnvironment env) {
        String id = realm.user("nm-dora").totp("nm-dora-secret").password("Dora-password-1").create();
        frontendUrl(realm, "https://login.example.test");
        realm.policy(Map.of("not-me-disables-account", "true"));
        String link;
        try {
            String otp = realm.userResource(id).credentials().stream().filter(c -> "otp".equals(c.getType()))
                    .findFirst().orElseThrow().getId();
            realm.userResource(id).removeCredential(otp);
            link = mail.await("nm-dora@example.test", m -> m.subject().contains("administrator removed"))
                    .linkContaining(LINK);
            assertThat(link).as("the realm's frontend URL").startsWith("https://login.example.test/realms/"
                    + realm.name() + LINK);
        } finally {
            frontendUrl(realm, ""); // blank: Keycloak's hostname again
        }
        try {
            String key = link.substring(link.indexOf("key=") + 4);
            FlowClient owner = new FlowClient();
            FlowClient.Page done = owner.post(realm.server().baseUrl() + "/realms/" + realm.name()
                    + "/governed-recovery/not-me", Map.of("key", key));
            assertThat(done.status()).isEqualTo(200);
            assertThat(realm.userResource(id).toRepresentation().isEnabled()).as("disabled, as the realm chose")
                    .isFalse();
            JsonNode report = new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("EXECUTE_ACTION_TOKEN",
                    id), Duration.ofSeconds(20));
            assertThat(ExportedEvents.detail(report, "gr_disabled")).isEqualTo("true");
        } finally {
            realm.policy(Map.of("not-me-disables-account", "false"));
        }
    }

    @Test
    void a_sign_in_from_a_new_network_is_announced_once(TestRealm realm, MailCatcher mail) {
        realm.user("nm-carl").password("Carl-password-1").create();
        // Three networks make the account's history; the fourth is new to it.
        for (String from : List.of("127.0.11.1", "127.0.12.1", "127.0.13.1")) {
            assertThat(SignInFrom.status(realm, from, "nm-carl", "Carl-password-1", null)).isEqualTo(200);
        }
        assertThat(SignInFrom.status(realm, "127.0.14.1", "nm-carl", "Carl-password-1", null)).isEqualTo(200);
        MailCatcher.Mail notice = mail.await("nm-carl@example.test",
                m -> m.subject().contains("signed in from a new network"), Duration.ofSeconds(30));
        assertThat(notice.text()).contains("127.0.14.0/24").contains("127.0.14.1").contains("admin-cli");
        FlowClient.Page shown = new FlowClient().get(notice.linkContaining(LINK));
        assertThat(shown.body()).contains("signed in from a network it had not used before");

        // Again from there the same day: no second notice. A fifth network then gets its own, which also shows that the
        // pipeline has handled the sign-ins before it.
        assertThat(SignInFrom.status(realm, "127.0.14.2", "nm-carl", "Carl-password-1", null)).isEqualTo(200);
        assertThat(SignInFrom.status(realm, "127.0.14.3", "nm-carl", "Carl-password-1", null)).isEqualTo(200);
        assertThat(SignInFrom.status(realm, "127.0.15.1", "nm-carl", "Carl-password-1", null)).isEqualTo(200);
        mail.await("nm-carl@example.test", m -> m.subject().contains("new network")
                && m.text().contains("127.0.15.0/24"), Duration.ofSeconds(30));
        assertThat(mail.to("nm-carl@example.test")).filteredOn(m -> m.subject().contains("new network"))
                .extracting(m -> m.text().contains("127.0.14.0/24")).containsExactlyInAnyOrder(true, false);
    }

    private static void resetPassword(TestRealm realm, MailCatcher mail, String username, String totpSecret,
                                      String newPassword) {
        FlowClient client = new FlowClient();
        FlowClient.Page form = toNewPassword(realm, mail, client, username, "totp", () -> Totp.unused(totpSecret));
        client.postFollowing(form.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", newPassword, "password-confirm", newPassword));
    }

    /** A reset walked with the email code and the app up to the new-password page. */
    private static FlowClient.Page toNewPassword(TestRealm realm, MailCatcher mail, FlowClient client,
                                                 String username, String method,
                                                 java.util.function.Supplier<String> proof) {
        String address = username + "@example.test";
        int seen = mail.count(address);
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), username);
        FlowClient.Page afterMail = client.prove(methods, "email-code", () -> Codes.in(io.governedrecovery.it.harness
                .Await.until("the code mail", Duration.ofSeconds(20), () -> mail.to(address, seen).stream()
                        .filter(m -> m.subject().equals("Your verification code")).findFirst().orElse(null)).text()));
        FlowClient.Page form = client.prove(afterMail, method, proof);
        assertThat(form.body()).contains(NEW_PASSWORD_FORM);
        return form;
    }

    private static void frontendUrl(TestRealm realm, String url) {
        var rep = realm.admin().toRepresentation();
        Map<String, String> attributes = new java.util.HashMap<>(rep.getAttributesOrEmpty());
        attributes.put("frontendUrl", url);
        rep.setAttributes(attributes);
        realm.admin().update(rep);
    }

    private static JsonNode freeze(TestRealm realm, String id) {
        HttpResponse<String> answer = RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + id
                + "/recovery-freeze", realm.server().adminToken(), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try {
            return JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(answer.body(), e);
        }
    }
}
