package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The export carries no contact address: not in Keycloak's own event details (a login typed as an email address, a
 * reset email of the pilot's fallback, an email change, actions mailed by an admin, group membership), not in a name
 * typed at the reset prompt that matched no account. Checked over every value of every record the run has exported
 * so far, whichever test made it.
 */
@ExtendWith(RealKeycloak.class)
class NoContactAddressInExportsIT {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    @Test
    void no_exported_record_holds_an_email_address(TestRealm realm, TestEnvironment env, MailCatcher mail) {
        String id = realm.user("contact-c").create();
        realm.user("contact-pilot").create();

        // A sign-in typed with the email address and a wrong password.
        realm.signIn("contact-c@example.test", "wrong-password-1", null);
        // A reset typed as an email address that matches no account, and one that does.
        for (String typed : List.of("nobody-here@example.test", "contact-c@example.test")) {
            FlowClient client = new FlowClient();
            client.requestReset(client.openResetPage(realm), typed);
        }
        // An admin changes the address, mails required actions, and adds the user to a group.
        UserRepresentation rep = realm.userResource(id).toRepresentation();
        rep.setEmail("contact-c2@example.test");
        realm.userResource(id).update(rep);
        realm.userResource(id).executeActionsEmail(List.of("UPDATE_PROFILE"));
        String group = realm.admin().groups().groups().stream().filter(g -> "recovery-pilot".equals(g.getName()))
                .findFirst().orElseThrow().getId();
        realm.userResource(id).joinGroup(group);
        // The pilot's fallback: Keycloak's own reset email, for someone outside the pilot.
        realm.config("governed-recovery-pilot", Map.of("pilot-groups", "/recovery-approvers"));
        try {
            FlowClient fallback = new FlowClient();
            fallback.requestReset(fallback.openResetPage(realm), "contact-pilot");
            mail.await("contact-pilot@example.test", m -> true);
        } finally {
            realm.config("governed-recovery-pilot", Map.of("pilot-groups", ""));
        }

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        Await.until("the change of address to be exported", Duration.ofSeconds(20), () -> exported.all().stream()
                .anyMatch(e -> e.toString().contains("contact-c")) ? Boolean.TRUE : null);
        exported.await(e -> "SEND_RESET_PASSWORD".equals(e.path("unmapped").path("keycloak_type").asText())
                && e.toString().contains(realm.userIdOf("contact-pilot")), Duration.ofSeconds(20));
        List<JsonNode> records = exported.all();
        assertThat(records).isNotEmpty();
        for (JsonNode record : records) {
            assertThat(EMAIL.matcher(record.toString()).find()).as("a contact address in " + record).isFalse();
        }
    }
}
