package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The per-method failure budget and the code sends: counted per typed name (the same way for existing and missing
 * accounts, so a paused method tells nothing about which names belong together) and per client address (so someone
 * else's failures do not lock a person out of their own reset), and no way round the sends limit.
 */
@ExtendWith(RealKeycloak.class)
class FailureBudgetIT {

    private static final String METHODS_FORM = "governed-recovery-methods-form";
    private static final String CODE_FORM = "governed-recovery-code-form";
    /** The paused method's message (governedRecoveryMethodPaused). */
    private static final String PAUSED = "cannot be used right now";

    @BeforeAll
    static void clientsBehindATrustedProxy(TestRealm realm) {
        // The tests pose as several clients through X-Forwarded-For from a trusted proxy (the test itself). The
        // failures they make also raise the account's risk (a failed-resets finding asks one more strong method, see
        // RiskPolicyIT); here only the budget is under test.
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32", "risk-policy", "false"));
    }

    @Test
    void choosing_a_method_again_sends_no_more_codes_than_max_sends(TestRealm realm, MailCatcher mail) {
        realm.user("bud-sends").create();
        FlowClient client = from("192.0.2.10");
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "bud-sends");
        for (int i = 0; i < 6; i++) {
            FlowClient.Page code = client.post(methods.formAction(METHODS_FORM),
                    Map.of("action", "select", "method", "email-code"));
            assertThat(code.status()).isLessThan(500);
            methods = client.post(code.formAction(CODE_FORM), Map.of("action", "back"));
        }
        // Code mails leave after the request, from the delivery queue: wait for the third, then give a fourth (which
        // must not come) as long as the third took.
        long asked = System.nanoTime();
        Await.until("three code mails", java.time.Duration.ofSeconds(20),
                () -> mail.count("bud-sends@example.test") >= 3 ? Boolean.TRUE : null);
        long took = Math.max(1_000, (System.nanoTime() - asked) / 1_000_000);
        Instant settled = Instant.now().plusMillis(took);
        Await.until("the delivery queue to settle", java.time.Duration.ofMillis(took + 5_000),
                () -> Instant.now().isAfter(settled) ? Boolean.TRUE : null);
        assertThat(mail.count("bud-sends@example.test")).as("codes sent by one reset (max-sends 3)").isEqualTo(3);
    }

    @Test
    void failures_typed_as_the_username_do_not_pause_the_email_address(TestRealm realm) {
        String secret = "bud-alias-secret";
        realm.user("bud-alias").totp(secret).create();
        FlowClient attacker = from("192.0.2.20");
        assertThat(failTotp(attacker, realm, "bud-alias", 6)).as("paused for the name typed").isTrue();

        FlowClient.Page after = tryTotp(from("192.0.2.20"), realm, "bud-alias@example.test",
                Totp.code(secret, Instant.now()));
        assertThat(after.body()).as("the address is another name: not paused, so the pause tells nothing about it")
                .doesNotContain(PAUSED).contains(METHODS_FORM);
    }

    @Test
    void someone_elses_failures_do_not_pause_the_owners_method(TestRealm realm) {
        String secret = "bud-victim-secret";
        realm.user("bud-victim").totp(secret).create();
        assertThat(failTotp(from("198.51.100.1"), realm, "bud-victim", 6)).as("paused for the attacker").isTrue();

        FlowClient.Page after = tryTotp(from("203.0.113.77"), realm, "bud-victim", Totp.code(secret, Instant.now()));
        assertThat(after.body()).as("the owner, from their own address, still proves the app")
                .doesNotContain(PAUSED).contains(METHODS_FORM);
    }

    @Test
    void failures_from_many_addresses_pause_the_name_everywhere(TestRealm realm) {
        String secret = "bud-spread-secret";
        realm.user("bud-spread").totp(secret).create();
        for (int a = 1; a <= 4; a++) {
            failTotp(from("198.51.100." + (10 + a)), realm, "bud-spread", 5);
        }
        FlowClient.Page after = tryTotp(from("198.51.100.99"), realm, "bud-spread", Totp.code(secret, Instant.now()));
        assertThat(after.body()).as("20 failures for one name pause it for every address").contains(PAUSED);
    }

    @Test
    void wrong_codes_sent_at_once_get_no_more_checks_than_the_budget(TestRealm realm, TestEnvironment env)
            throws Exception {
        String id = realm.user("bud-race").totp("bud-race-secret").create();
        // Sixteen resets of one name from one address: more starts than the demo limits allow in an hour.
        realm.config("governed-recovery-controls", Map.of("starts-per-name-hour", "1000", "starts-per-ip-hour", "1000"));
        int flows = 16;
        List<FlowClient> clients = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            FlowClient client = from("192.0.2.66");
            FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "bud-race");
            FlowClient.Page code = client.post(methods.formAction(METHODS_FORM),
                    Map.of("action", "select", "method", "totp"));
            clients.add(client);
            actions.add(code.formAction(CODE_FORM));
        }
        ExecutorService pool = Executors.newFixedThreadPool(flows);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<FlowClient.Page>> answers = new ArrayList<>();
            for (int i = 0; i < flows; i++) {
                FlowClient client = clients.get(i);
                String action = actions.get(i);
                String guess = String.format("%06d", 100000 + i);
                answers.add(pool.submit(() -> {
                    go.await();
                    return client.post(action, Map.of("action", "verify", "code", guess));
                }));
            }
            go.countDown();
            for (Future<FlowClient.Page> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).status()).isLessThan(500);
            }
        } finally {
            pool.shutdownNow();
        }
        // Every try leaves a verify error event: "wrong" when its code was checked, "paused" when it was refused
        // unchecked (the try that spends the budget leaves both). All requests have answered, so their events are
        // committed. A marker event committed after them comes after them in the export (the intake numbers events in
        // the order they are handed over, unless a write fails and is retried, and a sink delivers in that order):
        // once the marker is exported, every try's events are too, so no fixed wait for stragglers is needed.
        String marker = realm.user("bud-race-marker").totp("bud-race-marker-secret").create();
        failTotp(from("192.0.2.67"), realm, "bud-race-marker", 1);
        ExportedEvents exported = new ExportedEvents(env.exportDir());
        Await.until("the marker event in the export", java.time.Duration.ofSeconds(30), () -> exported.all().stream()
                .anyMatch(ExportedEvents.ofType("RESET_PASSWORD_ERROR", marker)));
        java.util.function.Predicate<JsonNode> verify = ExportedEvents.ofType("RESET_PASSWORD_ERROR", id)
                .and(e -> "verify".equals(ExportedEvents.detail(e, "gr_step")));
        List<JsonNode> tries = exported.all().stream().filter(verify).toList();
        assertThat(tries.size()).as("at least one verify event per try").isGreaterThanOrEqualTo(flows);
        assertThat(tries.stream().filter(e -> "wrong".equals(ExportedEvents.detail(e, "gr_outcome"))).count())
                .as("guesses checked out of %d sent at once (failure budget 5)", flows).isLessThanOrEqualTo(5);
    }

    private static FlowClient from(String address) {
        return new FlowClient().header("X-Forwarded-For", address);
    }

    /** Names {@code name}, picks the app and types {@code code}: the page after (the methods page if paused). */
    private static FlowClient.Page tryTotp(FlowClient client, TestRealm realm, String name, String code) {
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), name);
        FlowClient.Page page = client.post(methods.formAction(METHODS_FORM),
                Map.of("action", "select", "method", "totp"));
        if (!page.has(CODE_FORM)) {
            return page;
        }
        return client.postFollowing(page.formAction(CODE_FORM), Map.of("action", "verify", "code", code));
    }

    /** Types {@code tries} wrong app codes for {@code name}; true when the method showed as paused at the end. */
    private static boolean failTotp(FlowClient client, TestRealm realm, String name, int tries) {
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), name);
        FlowClient.Page page = client.post(methods.formAction(METHODS_FORM),
                Map.of("action", "select", "method", "totp"));
        for (int i = 0; i < tries; i++) {
            if (!page.has(CODE_FORM)) {
                page = client.post(page.formAction(METHODS_FORM), Map.of("action", "select", "method", "totp"));
            }
            if (!page.has(CODE_FORM)) {
                return page.has(PAUSED);
            }
            page = client.post(page.formAction(CODE_FORM), Map.of("action", "verify", "code", "00000" + i));
        }
        return page.has(PAUSED);
    }
}
