package io.governedrecovery.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.LoginPage;
import io.governedrecovery.it.pages.RecoveryPages;

/**
 * The recovery console in headless Chromium on the demo realm, as each role uses it: the helpdesk agent helga finds
 * alice, sees why her last reset stopped and issues a pass alice then resets with; a second agent approves the pass
 * helga asked for carol (a realm admin), and erin approves carol's reset from her pending list while carol's waiting
 * page goes on; bob, who has no role, sees no data and every call the console makes is refused. Each view's
 * screenshot is written to docs/console/ for the README.
 */
@ExtendWith(RealKeycloak.class)
class ConsoleIT {

    private static final String REALM = "consoleit-demo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final By SIGNED_IN = By.id("sign-out");

    @BeforeAll
    static void importTheDemoRealmWithItsUsers(TestEnvironment env) {
        Realms.deleteIfPresent(env.server(), REALM);
        Realms.importRealm(env.server(), env.mail(), Realms.DEMO, REALM, Realms::withoutRateLimits);
        TestRealm.existing(env.server(), REALM).user("hank").group("/recovery-helpdesk").password("Hank-demo-1")
                .create();
        TestRealm.existing(env.server(), REALM).user("audrey").clientRole("realm-management", "view-realm")
                .clientRole("realm-management", "view-users").password("Audrey-demo-1").create();
        TestRealm.existing(env.server(), REALM).user("sid").clientRole("realm-management", "view-events")
                .clientRole("realm-management", "manage-users").clientRole("realm-management", "query-users")
                .password("Sid-demo-1").create();
    }

    @AfterAll
    static void removeIt(KeycloakServer server) {
        Realms.deleteIfPresent(server, REALM);
    }

    @Test
    void the_helpdesk_finds_alice_sees_why_her_reset_stopped_and_issues_a_pass_she_resets_with(
            KeycloakServer server, MailCatcher mail, Browser helga) throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        String app = "alice-demo-totp-secret";
        try (Browser alice = new Browser()) {
            // Alice proves her email, then says she cannot use any other method: the reset stops on the helpdesk page.
            // Other classes reset alice of their own demo realms on the shared server: their notices may still
            // arrive; the code is the first code mail to come after this point.
            List<MailCatcher.Mail> earlier = mail.to("alice@demo.test");
            RecoveryPages stopped = new RecoveryPages(alice).start(demo, "alice");
            stopped.choose("email-code").enterCode(Codes.in(mail.await("alice@demo.test",
                    m -> m.subject().equals("Your verification code") && !earlier.contains(m)).text()));
            stopped.cannotUseAny();
            assertThat(stopped.onHelpdesk()).isTrue();

            signIn(helga, server, "helga", "Helga-demo-1");
            assertThat(helga.text()).contains("Helpdesk", "Passes to approve").doesNotContain("Pending resets");
            helga.type(By.name("query"), "alice");
            helga.click(By.id("search"));
            helga.click(By.cssSelector("[data-user='alice']"));
            helga.await(By.id("summary"));
            assertThat(helga.await(By.id("tier")).getText()).isEqualTo("Standard account");
            assertThat(helga.await(By.id("methods")).getText()).contains("Code by email", "Authenticator app")
                    .contains("counts now");
            // The reset's events reach the outbox after their transaction: refresh until the stop shows.
            String resets = awaitText(helga, By.id("resets"), "I cannot use any of these methods", true);
            assertThat(resets).contains("Helpdesk page").contains("Code by email");
            screenshot(helga, "helpdesk-picture");

            JsonNode picture = rest(server, "GET", "users/" + demo.userIdOf("alice") + "/recovery",
                    demo.consoleToken("helga", "Helga-demo-1", null), null, 200);
            assertThat(picture.path("attempts").path(0).path("last").path("step").asText()).isEqualTo("helpdesk");
            assertThat(picture.path("attempts").path(0).path("last").path("outcome").asText()).isEqualTo("asked");

            new Select(helga.await(By.name("evidence"))).selectByValue("callback");
            helga.type(By.name("ticket"), "INC-4711");
            helga.click(By.id("issue"));
            String pass = helga.await(By.id("issued-pass")).getText();
            assertThat(pass).matches("[A-Z0-9]{12}");
            assertThat(helga.await(By.id("pass-once")).getText()).contains("shown only now");
            assertThat(helga.await(By.id("pass-list")).getText()).contains("active", "helga", "INC-4711");
            screenshot(helga, "helpdesk-pass");

            // Alice resets through the login pages with the pass and her app.
            alice.deleteCookies();
            RecoveryPages reset = new RecoveryPages(alice).start(demo, "alice");
            reset.choose("tap").enterCode(pass);
            reset.choose("totp").enterCode(Totp.now(app));
            reset.newPassword().setPassword("Alice-console-2");
            assertThat(demo.passwordWorks("alice", "Alice-console-2", app)).isTrue();
        }
    }

    @Test
    void a_second_agent_approves_carols_pass_and_erin_approves_her_reset_from_the_pending_list(
            KeycloakServer server, Browser helga) throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        String carolApp = "carol-demo-totp-secret";
        signIn(helga, server, "helga", "Helga-demo-1");
        openPicture(helga, "carol");
        assertThat(helga.await(By.id("tier")).getText()).startsWith("Privileged account");
        new Select(helga.await(By.name("evidence"))).selectByValue("manager");
        helga.type(By.name("ticket"), "INC-CAROL");
        helga.click(By.id("issue"));
        assertThat(helga.await(By.id("pass-result")).getText()).contains("Waiting for a second helpdesk member");
        assertThat(helga.isPresent(By.id("issued-pass"))).as("no pass before the second member").isFalse();
        helga.await(By.cssSelector("#pass-list [data-status='pending-approval']"));
        helga.click(By.cssSelector("a[href='#/passes']"));
        assertThat(helga.await(By.id("queue-table")).getText()).contains("carol", "You asked for it");

        String pass;
        try (Browser hank = new Browser()) {
            signIn(hank, server, "hank", "Hank-demo-1");
            hank.click(By.cssSelector("a[href='#/passes']"));
            hank.await(By.cssSelector("[data-approve='carol']"));
            screenshot(hank, "pass-queue");
            hank.click(By.cssSelector("[data-approve='carol']"));
            pass = hank.await(By.id("issued-pass")).getText();
            assertThat(pass).matches("[A-Z0-9]{12}");
        }

        try (Browser carol = new Browser(); Browser erin = new Browser()) {
            RecoveryPages reset = new RecoveryPages(carol).start(demo, "carol");
            reset.choose("tap").enterCode(pass);
            reset.choose("totp").enterCode(Totp.now(carolApp));
            carol.await(By.id("governed-recovery-approval-form"));

            signIn(erin, server, "erin", "Erin-demo-1");
            assertThat(erin.text()).contains("Pending resets").doesNotContain("Helpdesk", "Passes to approve");
            WebElement request = erin.await(By.cssSelector("section[data-user='carol']"));
            assertThat(request.getText()).contains("Reset of carol", "127.0.0.1", "Temporary access pass",
                    "Authenticator app");
            // Denying needs a reason: the message stands next to the field and the request stays pending.
            erin.click(By.cssSelector("[data-deny='carol']"));
            assertThat(erin.await(By.cssSelector("section[data-user='carol'] [data-error-for='reason']")).getText())
                    .contains("Say why you deny");
            assertThat(erin.driver().findElement(By.cssSelector("section[data-user='carol'] textarea"))
                    .getAttribute("aria-invalid")).isEqualTo("true");
            screenshot(erin, "approvals");
            erin.click(By.cssSelector("[data-approve='carol']"));
            assertThat(erin.await(By.id("approval-result")).getText()).contains("was approved");

            // Carol's waiting page checks by itself and goes on to the new password.
            carol.waitUpTo(Duration.ofSeconds(40)).until(ExpectedConditions.visibilityOfElementLocated(By.id("password-new")));
            new io.governedrecovery.it.pages.UpdatePasswordPage(carol).setPassword("Carol-console-2");
            assertThat(demo.passwordWorks("carol", "Carol-console-2", carolApp)).isTrue();
        }
    }

    /**
     * An auditor who may view the realm and its users reads the policy in force and the break-glass accounts: the
     * page shows what the admin API answers (statements, problems, each account with its overdue test).
     */
    @Test
    void an_auditor_reads_the_policy_in_force_and_the_break_glass_accounts(KeycloakServer server, Browser audrey)
            throws Exception {
        signIn(audrey, server, "audrey", "Audrey-demo-1");
        assertThat(audrey.driver().findElements(By.cssSelector("#nav-list a")).stream().map(WebElement::getText)
                .toList()).as("audrey's views").contains("Policy and break-glass");
        audrey.click(By.cssSelector("a[href='#/policy']"));
        audrey.await(By.id("break-glass-table"));
        String token = TestRealm.existing(server, REALM).consoleToken("audrey", "Audrey-demo-1", null);
        JsonNode policy = rest(server, "GET", "policy", token, null, 200);
        JsonNode breakGlass = rest(server, "GET", "break-glass", token, null, 200);
        List<String> statements = audrey.driver().findElements(By.cssSelector("#policy-statements li")).stream()
                .map(WebElement::getText).toList();
        assertThat(statements).as("the statements the API answers, in its order").hasSize(policy.path("statements")
                .size());
        assertThat(statements.get(0)).isEqualTo(policy.path("statements").get(0).asText());
        if (policy.path("problems").isEmpty()) {
            assertThat(audrey.isPresent(By.id("policy-problems-none"))).isTrue();
        } else {
            assertThat(audrey.driver().findElements(By.cssSelector("#policy-problems li"))).hasSize(policy
                    .path("problems").size());
        }
        assertThat(breakGlass.path("accounts").size()).as("the demo realm's break-glass account").isEqualTo(1);
        WebElement emergency = audrey.driver().findElement(By.cssSelector("#break-glass-table tr[data-user='emergency']"));
        assertThat(emergency.findElement(By.cssSelector("[data-overdue]")).getAttribute("data-overdue"))
                .as("never tested: overdue").isEqualTo(breakGlass.path("accounts").get(0).path("testOverdue")
                        .asBoolean() ? "yes" : "no");
        assertThat(emergency.getText()).contains("never").contains("overdue");
        assertThat(audrey.text()).contains("Tests overdue: " + breakGlass.path("overdue").asInt());
        screenshot(audrey, "policy");
    }

    /**
     * The security analyst sid sees the finding a burst of wrong app codes at fiona's reset raised, with its evidence
     * and events, and marks it a false positive: fiona's next reset with email and app is no longer stepped up.
     */
    @Test
    void an_analyst_marks_a_burst_finding_false_positive_and_the_next_reset_is_not_stepped_up(KeycloakServer server,
            MailCatcher mail, TestEnvironment env, Browser sid) throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        demo.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32"));
        String fiona = demo.user("fiona").totp("fiona-secret").password("Fiona-demo-1").create();
        String finding = FindingTriageIT.burst(demo, env, "fiona", fiona);

        signIn(sid, server, "sid", "Sid-demo-1");
        sid.click(By.cssSelector("a[href='#/findings']"));
        sid.type(By.cssSelector("#findings-filters input[name='user']"), "fiona");
        sid.click(By.id("findings-search"));
        WebElement card = sid.await(By.cssSelector("[data-finding='" + finding + "']"));
        String token = demo.consoleToken("sid", "Sid-demo-1", null);
        JsonNode listed = rest(server, "GET", "findings?user=fiona&limit=200&from="
                + java.net.URLEncoder.encode(java.time.Instant.now().minus(java.time.Duration.ofDays(7)).toString(),
                java.nio.charset.StandardCharsets.UTF_8), token, null, 200);
        assertThat(sid.driver().findElements(By.cssSelector("[data-finding]"))).as("the cards the API answers")
                .hasSize(listed.size());
        assertThat(card.getText()).contains("many failed reset tries").contains("account fiona")
                .contains("failures: 5").contains("not judged yet");
        sid.click(By.cssSelector("[data-related='" + finding + "']"));
        assertThat(sid.await(By.cssSelector("[data-related-for='" + finding + "']")).getText())
                .contains("RESET_PASSWORD_ERROR");

        // No verdict chosen: a message next to the choice, nothing saved.
        sid.click(By.cssSelector("[data-triage-submit='" + finding + "']"));
        assertThat(sid.await(By.cssSelector("[data-triage-for='" + finding + "'] [data-error-for='verdict']"))
                .getText()).contains("Choose a verdict");
        sid.click(By.cssSelector("[data-triage-for='" + finding + "'] [data-verdict='false-positive']"));
        sid.type(By.cssSelector("[data-triage-for='" + finding + "'] textarea"), "fiona mistyped her app code");
        screenshot(sid, "findings");
        sid.click(By.cssSelector("[data-triage-submit='" + finding + "']"));
        assertThat(sid.await(By.cssSelector("#findings-result .gr-success")).getText())
                .contains("Marked as a false positive");
        assertThat(awaitText(sid, By.cssSelector("[data-finding='" + finding + "'] [data-triage]"), "false positive",
                false)).contains("sid").contains("fiona mistyped her app code");

        FindingTriageIT.awaitRiskCleared(demo, fiona, token);
        FlowClient owner = new FlowClient();
        FlowClient.Page methods = owner.requestReset(owner.openResetPage(demo), "fiona");
        FlowClient.Page afterMail = owner.prove(methods, "email-code",
                () -> Codes.in(mail.next("fiona@example.test").text()));
        assertThat(owner.prove(afterMail, "totp", () -> Totp.unused("fiona-secret")).body())
                .as("email and app are enough again").contains(FindingTriageIT.NEW_PASSWORD_FORM);

        // The activity view: its charts and tables show what the admin API answers. (Shown again until the two agree:
        // the events of fiona's reset may still be on their way into the event pipeline.)
        JsonNode activity = io.governedrecovery.it.harness.Await.until("the activity view as the API answers",
                Duration.ofSeconds(30), () -> {
                    sid.click(By.cssSelector("a[href='#/findings']"));
                    sid.await(By.id("findings-filters"));
                    sid.click(By.cssSelector("a[href='#/activity']"));
                    sid.await(By.id("departments-table"));
                    String shown = sid.await(By.id("total-attempts")).getText() + "/"
                            + sid.driver().findElement(By.id("total-findings")).getText();
                    JsonNode answer = restUnchecked(server, "activity?days=7", token);
                    return shown.equals(answer.path("totals").path("attempts").asText() + "/"
                            + answer.path("totals").path("findings").asText()) ? answer : null;
                });
        assertThat(activity.path("totals").path("attempts").asInt()).as("the burst's reset and fiona's")
                .isGreaterThanOrEqualTo(2);
        assertThat(activity.path("totals").path("findings").asInt()).isGreaterThanOrEqualTo(1);
        for (String series : List.of("attempts", "completions", "findings")) {
            assertThat(sid.driver().findElement(By.id("total-" + series)).getText())
                    .isEqualTo(activity.path("totals").path(series).asText());
            List<WebElement> bars = sid.driver().findElements(By.cssSelector("#chart-" + series + " rect"));
            assertThat(bars).as("a bar per hour").hasSize(activity.path("hours").size());
            assertThat(bars.stream().mapToInt(b -> Integer.parseInt(b.getAttribute("data-count"))).sum())
                    .isEqualTo(activity.path("totals").path(series).asInt());
        }
        JsonNode compliance = rest(server, "GET", "compliance?format=summary", token, null, 200);
        assertThat(compliance.path("byDepartment").size()).isPositive();
        compliance.path("byDepartment").fields().forEachRemaining(d -> {
            WebElement row = sid.driver().findElement(By.cssSelector("#departments-table tr[data-department='"
                    + d.getKey() + "']"));
            for (String standing : List.of("users", "meeting", "missing", "notApplicable")) {
                assertThat(row.findElement(By.cssSelector("[data-standing='" + standing + "']")).getText())
                        .as(d.getKey() + " " + standing).isEqualTo(d.getValue().path(standing).asText());
            }
        });
        screenshot(sid, "activity");
    }

    private static JsonNode restUnchecked(KeycloakServer server, String path, String token) {
        try {
            return rest(server, "GET", path, token, null, 200);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void someone_without_the_roles_sees_no_data_and_every_call_is_refused(KeycloakServer server, Browser bob)
            throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        signIn(bob, server, "bob", "Bob-demo-1");
        assertThat(bob.await(By.id("view")).getText()).contains("You have no access to the recovery console");
        assertThat(bob.driver().findElements(By.cssSelector("#nav-list a"))).isEmpty();
        screenshot(bob, "no-access");

        String token = demo.consoleToken("bob", "Bob-demo-1", null);
        String alice = demo.userIdOf("alice");
        String admin = server.baseUrl() + "/admin/realms/" + REALM + "/";
        for (String[] call : List.of(
                new String[] {"GET", admin + "governed-recovery/console/access", null},
                new String[] {"GET", admin + "users?briefRepresentation=true&max=20&search=alice", null},
                new String[] {"GET", admin + "users/" + alice, null},
                new String[] {"GET", admin + "governed-recovery/users/" + alice + "/recovery", null},
                new String[] {"GET", admin + "governed-recovery/users/" + alice + "/temporary-access-passes", null},
                new String[] {"POST", admin + "governed-recovery/users/" + alice + "/temporary-access-passes",
                        "{\"evidence\":\"callback\",\"ticket\":\"INC-1\"}"},
                new String[] {"GET", admin + "governed-recovery/temporary-access-passes/pending", null},
                new String[] {"GET", admin + "governed-recovery/policy", null},
                new String[] {"GET", admin + "governed-recovery/break-glass", null},
                new String[] {"GET", admin + "governed-recovery/findings", null},
                new String[] {"GET", admin + "governed-recovery/events?user=alice", null},
                new String[] {"POST", admin + "governed-recovery/findings/gr-failed-resets-0/triage",
                        "{\"verdict\":\"false-positive\"}"},
                new String[] {"GET", admin + "governed-recovery/activity?days=7", null},
                new String[] {"GET", admin + "governed-recovery/compliance?format=summary", null},
                new String[] {"GET", admin + "governed-recovery/users/" + alice + "/recovery-freeze", null},
                new String[] {"POST", admin + "governed-recovery/users/" + alice + "/recovery-freeze/lift",
                        "{\"ticket\":\"INC-1\"}"},
                new String[] {"GET", server.baseUrl() + "/realms/" + REALM + "/governed-recovery/approvals", null})) {
            HttpResponse<String> answer = RestCall.send(call[0], call[1], token, call[2]);
            assertThat(answer.statusCode()).as(call[0] + " " + call[1] + ": " + answer.body()).isEqualTo(403);
            assertThat(answer.body()).doesNotContain("alice@demo.test");
        }
        // The page itself: no data, a strict policy, never cached; its files by name only.
        HttpResponse<String> page = RestCall.send("GET", consoleUrl(server), null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .doesNotContain("unsafe");
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(page.body()).contains("/common/keycloak/vendor/patternfly-v5/patternfly.min.css")
                .doesNotContain("%RESOURCES%");
        HttpResponse<String> script = RestCall.send("GET", consoleUrl(server) + "app.js", null, null);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.headers().firstValue("ETag")).isPresent();
        for (String bad : List.of("..%2F..%2Fapprovals", "META-INF/MANIFEST.MF", "x.class", "missing.js")) {
            assertThat(RestCall.send("GET", consoleUrl(server) + bad, null, null).statusCode()).as(bad)
                    .isEqualTo(404);
        }
        HttpResponse<String> noSlash = RestCall.send("GET", consoleUrl(server).replaceAll("/$", ""), null, null);
        assertThat(noSlash.statusCode()).isEqualTo(302);
        assertThat(noSlash.headers().firstValue("Location").orElse("")).endsWith("/governed-recovery/console/");
        // The way to the folder is the server's own address, whatever the requested path looked like: a path that
        // starts with // must not become a Location naming another host.
        HttpResponse<String> doubleSlash = RestCall.send("GET", server.baseUrl() + "//evil.example/realms/" + REALM
                + "/governed-recovery/console", null, null);
        assertThat(doubleSlash.headers().firstValue("Location").orElse(consoleUrl(server)))
                .as(doubleSlash.statusCode() + " " + doubleSlash.headers().map()).isEqualTo(consoleUrl(server));
        // The realm's Strict-Transport-Security and X-Robots-Tag (Keycloak's defaults where it names none) are kept.
        assertThat(page.headers().firstValue("X-Robots-Tag")).hasValue("none");
        assertThat(page.headers().firstValue("Strict-Transport-Security").orElse("")).contains("max-age=");

        // The helpdesk may use its views, not the approvers'.
        String helga = demo.consoleToken("helga", "Helga-demo-1", null);
        JsonNode access = rest(server, "GET", "console/access", helga, null, 200);
        assertThat(access.path("views").path("helpdesk").asBoolean()).isTrue();
        assertThat(access.path("views").path("approvals").asBoolean()).isFalse();
        assertThat(RestCall.send("GET", server.baseUrl() + "/realms/" + REALM + "/governed-recovery/approvals", helga,
                null).statusCode()).isEqualTo(403);
    }

    @Test
    void bad_input_gets_a_message_next_to_the_field_and_changes_nothing(KeycloakServer server, Browser helga)
            throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        signIn(helga, server, "helga", "Helga-demo-1");
        helga.click(By.id("search"));
        assertThat(helga.await(By.cssSelector("[data-error-for='query']")).getText()).contains("Type a name");

        openPicture(helga, "dave");
        helga.type(By.name("ticket"), "INC 12 with spaces");
        helga.type(By.name("lifetimeMinutes"), "999");
        helga.type(By.name("note"), "x".repeat(201));
        helga.click(By.id("issue"));
        assertThat(helga.await(By.cssSelector("[data-error-for='evidence']")).getText()).contains("Choose how");
        assertThat(helga.await(By.cssSelector("[data-error-for='ticket']")).getText()).contains("1 to 64");
        assertThat(helga.await(By.cssSelector("[data-error-for='lifetimeMinutes']")).getText()).contains("1 to 480");
        assertThat(helga.await(By.cssSelector("[data-error-for='note']")).getText()).contains("200");
        assertThat(helga.driver().switchTo().activeElement().getAttribute("name")).as("focus on the first mistake")
                .isEqualTo("evidence");
        assertThat(helga.driver().findElement(By.name("ticket")).getAttribute("aria-invalid")).isEqualTo("true");
        screenshot(helga, "helpdesk-bad-input");
        JsonNode passes = rest(server, "GET", "users/" + demo.userIdOf("dave") + "/temporary-access-passes",
                server.adminToken(), null, 200);
        assertThat(passes.path("passes")).as("nothing was issued").isEmpty();

        // A good pass, then revoked from the list: gone.
        new Select(helga.await(By.name("evidence"))).selectByValue("in-person");
        helga.type(By.name("ticket"), "INC-DAVE");
        helga.type(By.name("lifetimeMinutes"), "30");
        helga.type(By.name("note"), "desk visit");
        helga.click(By.id("issue"));
        helga.await(By.id("issued-pass"));
        assertThat(helga.driver().findElements(By.cssSelector("[aria-invalid='true']"))).isEmpty();
        helga.click(By.cssSelector("[data-revoke]"));
        helga.click(By.cssSelector("[data-confirm-revoke]"));
        assertThat(awaitText(helga, By.id("pass-result"), "revoked", false)).contains("no longer works");
        assertThat(rest(server, "GET", "users/" + demo.userIdOf("dave") + "/temporary-access-passes",
                server.adminToken(), null, 200).path("passes")).as("the revoked pass is gone").isEmpty();

        // German, chosen in the header: the same form in German.
        new Select(helga.await(By.id("language"))).selectByValue("de");
        awaitText(helga, By.id("view"), "Wiederherstellungsbild von dave", false);
        assertThat(helga.text()).contains("Temporären Zugangspass ausstellen", "Abmelden");
    }

    // ---- helpers ----

    @Test
    void the_helpdesk_sees_an_owners_report_and_lifts_the_freeze_with_a_ticket(KeycloakServer server, MailCatcher mail,
                                                                              Browser helga) throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        String id = demo.user("fred").totp("fred-console-secret").password("Fred-demo-1").create();
        // An administrator removes fred's app; fred says it was not him.
        String otp = demo.userResource(id).credentials().stream().filter(c -> "otp".equals(c.getType()))
                .findFirst().orElseThrow().getId();
        demo.userResource(id).removeCredential(otp);
        String link = mail.await("fred@example.test", m -> m.subject().contains("administrator removed"))
                .linkContaining("/governed-recovery/not-me?key=");
        FlowClient owner = new FlowClient();
        FlowClient.Page shown = owner.get(link);
        assertThat(owner.post(shown.formAction("governed-recovery-not-me-form"),
                Map.of("key", link.substring(link.indexOf("key=") + 4))).status()).isEqualTo(200);

        signIn(helga, server, "helga", "Helga-demo-1");
        openPicture(helga, "fred");
        String card = helga.await(By.id("freeze")).getText();
        assertThat(card).contains("Self-service recovery is frozen").contains("the owner (This was not me)")
                .contains("a sign-in method removed by an administrator");
        helga.type(By.cssSelector("#lift-form [name='ticket']"), "not a ticket!");
        helga.click(By.id("lift"));
        assertThat(awaitText(helga, By.id("lift-form"), "letters, digits", false)).isNotEmpty();
        String token = demo.consoleToken("helga", "Helga-demo-1", null);
        assertThat(rest(server, "GET", "users/" + id + "/recovery-freeze", token, null, 200).path("frozen")
                .asBoolean()).as("a bad ticket lifts nothing").isTrue();
        screenshot(helga, "helpdesk-freeze");

        helga.type(By.cssSelector("#lift-form [name='ticket']"), "INC-77");
        helga.click(By.id("lift"));
        io.governedrecovery.it.harness.Await.until("the picture without the freeze", java.time.Duration.ofSeconds(15),
                () -> helga.isPresent(By.id("freeze")) ? null : Boolean.TRUE);
        assertThat(rest(server, "GET", "users/" + id + "/recovery-freeze", token, null, 200).path("frozen")
                .asBoolean()).isFalse();
        assertThat(owner.get(link).status()).as("the owner's old link no longer works").isEqualTo(400);
    }

    /**
     * The helpdesk view lists the waiting-period recoveries under way (who, since when, until when, from where, which
     * method) and ends one with a ticket: a bad ticket is refused next to the field, a good one ends the wait.
     */
    @Test
    void the_helpdesk_sees_a_waiting_recovery_and_ends_it_with_a_ticket(KeycloakServer server, MailCatcher mail,
                                                                       Browser helga) throws Exception {
        TestRealm demo = TestRealm.existing(server, REALM);
        demo.policy(Map.of("waiting-period", "true"));
        try {
            demo.user("gwen").phone("+4915112360201").password("Gwen-demo-1").create();
            io.governedrecovery.it.owner.WaitingPeriodIT.startWait(demo, mail, "gwen");

            signIn(helga, server, "helga", "Helga-demo-1");
            helga.click(By.cssSelector("a[href='#/helpdesk']"));
            String list = helga.await(By.id("waiting-table")).getText();
            assertThat(list).contains("gwen").contains("127.0.0.1").contains("Code by email");
            helga.type(By.cssSelector("#waiting-end-form [name='ticket']"), "not a ticket!");
            helga.click(By.id("waiting-end"));
            assertThat(awaitText(helga, By.id("waiting-end-form"), "letters, digits", false)).isNotEmpty();
            assertThat(io.governedrecovery.it.owner.WaitingPeriodIT.waiting(demo, "gwen")).as("a bad ticket ends nothing")
                    .isNotNull();
            screenshot(helga, "helpdesk-waiting");

            helga.type(By.cssSelector("#waiting-end-form [name='ticket']"), "INC-88");
            helga.click(By.id("waiting-end"));
            helga.await(By.id("waiting-none"));
            assertThat(io.governedrecovery.it.owner.WaitingPeriodIT.waiting(demo, "gwen")).isNull();
        } finally {
            demo.policy(Map.of("waiting-period", "false"));
        }
    }

    private static String consoleUrl(KeycloakServer server) {
        return server.baseUrl() + "/realms/" + REALM + "/governed-recovery/console/";
    }

    /** Opens the console, signs in on the realm's page and waits for the console to show the person. */
    private static void signIn(Browser browser, KeycloakServer server, String username, String password) {
        browser.open(consoleUrl(server));
        new LoginPage(browser).signIn(username, password);
        browser.await(SIGNED_IN);
        assertThat(browser.await(By.id("signed-in-as")).getText()).contains(username);
        assertThat(browser.url()).doesNotContain("code=").doesNotContain("state=");
    }

    private static void openPicture(Browser browser, String username) {
        browser.click(By.cssSelector("a[href='#/helpdesk']"));
        browser.type(By.name("query"), username);
        browser.click(By.id("search"));
        browser.click(By.cssSelector("[data-user='" + username + "']"));
        browser.await(By.id("summary"));
    }

    /**
     * The text of {@code locator} once it contains {@code wanted}; with {@code refresh}, pressing the picture's
     * refresh meanwhile (for what reaches the server in the background, like a reset's events).
     */
    private static String awaitText(Browser browser, By locator, String wanted, boolean refresh)
            throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (true) {
            String text;
            try {
                List<WebElement> found = browser.driver().findElements(locator);
                text = found.isEmpty() ? "" : found.get(0).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                text = "";
            }
            if (text.contains(wanted)) {
                return text;
            }
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("'" + wanted + "' did not appear; page shows:\n" + browser.text());
            }
            if (refresh && browser.isPresent(By.id("refresh"))) {
                try {
                    browser.driver().findElement(By.id("refresh")).click();
                } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                    // the picture was drawn again meanwhile
                }
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode rest(KeycloakServer server, String method, String path, String token, String body,
                                 int status) throws IOException {
        HttpResponse<String> answer = RestCall.send(method, server.baseUrl() + "/admin/realms/" + REALM
                + "/governed-recovery/" + path, token, body);
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }

    /** Writes the browser's view to docs/console/{name}.png in the source tree, for the README. */
    private static void screenshot(Browser browser, String name) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("it-tests"))) {
            root = root.getParent();
        }
        if (root == null) {
            return;
        }
        Path file = root.resolve("docs/console/" + name + ".png");
        Files.createDirectories(file.getParent());
        // The whole page, from the top: the window grows to the page's height for the picture.
        var window = browser.driver().manage().window();
        org.openqa.selenium.Dimension before = window.getSize();
        Object height = ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("window.scrollTo(0, 0); return document.documentElement.scrollHeight;");
        window.setSize(new org.openqa.selenium.Dimension(before.getWidth(),
                Math.min(4000, Math.max(before.getHeight(), ((Number) height).intValue() + 140))));
        try {
            Files.write(file, ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
        } finally {
            window.setSize(before);
        }
    }
}
