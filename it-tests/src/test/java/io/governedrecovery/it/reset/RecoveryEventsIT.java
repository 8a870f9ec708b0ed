package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.pages.RecoveryPages;

/** Every step of a reset is an event with method, channel and outcome, and no event or log line holds a secret. */
@ExtendWith(RealKeycloak.class)
class RecoveryEventsIT {

    @Test
    void each_step_is_an_exported_event_and_no_code_or_password_is_written_anywhere(
            TestRealm realm, MailCatcher mail, Browser browser, TestEnvironment env, KeycloakServer server)
            throws Exception {
        String id = realm.user("vera").totp("vera-secret").create();
        String newPassword = "Marker-Password-93175";

        RecoveryPages recovery = new RecoveryPages(browser).start(realm, "vera");
        recovery.choose("email-code");
        String code = Codes.in(mail.next("vera@example.test").text());
        recovery.enterCode(code);
        String totp = Totp.now("vera-secret");
        recovery.choose("totp").enterCode(totp);
        recovery.newPassword().setPassword(newPassword);

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        Duration wait = Duration.ofSeconds(10);
        exported.await(step(id, "identify").and(detail("gr_outcome", "found")), wait);
        exported.await(step(id, "challenge").and(detail("gr_method", "email-code")), wait);
        exported.await(step(id, "verify").and(detail("gr_method", "email-code")).and(detail("gr_outcome", "verified"))
                .and(detail("gr_channel", "MAILBOX")), wait);
        exported.await(step(id, "verify").and(detail("gr_method", "totp")).and(detail("gr_strength", "STRONG")), wait);
        exported.await(step(id, "policy").and(detail("gr_decision", "satisfied")), wait);
        exported.await(step(id, "finish").and(detail("gr_outcome", "reset")), wait);
        exported.await(ExportedEvents.ofType("SEND_RESET_PASSWORD", id)
                .and(e -> "reset-notice".equals(ExportedEvents.detail(e, "gr_purpose"))), wait);

        String export = Files.readString(env.exportDir().resolve(ExportedEvents.FILE), StandardCharsets.UTF_8);
        String log = server.log();
        for (String secret : new String[] {code, newPassword, totp}) {
            assertThat(export).as("export").doesNotContain(secret);
            assertThat(log).as("server log").doesNotContain(secret);
        }
    }

    private static Predicate<JsonNode> step(String userId, String step) {
        return ExportedEvents.ofType("RESET_PASSWORD", userId).and(detail("gr_step", step));
    }

    private static Predicate<JsonNode> detail(String key, String value) {
        return e -> value.equals(ExportedEvents.detail(e, key));
    }

}
