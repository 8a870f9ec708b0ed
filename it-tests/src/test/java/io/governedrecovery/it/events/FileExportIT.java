package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.EventRepresentation;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/** The JSON Lines export stays one complete record per line, whatever a killed writer left behind. */
@ExtendWith(RealKeycloak.class)
class FileExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void a_fragment_left_by_a_killed_writer_is_cut_before_the_next_record(TestRealm realm, TestEnvironment env)
            throws Exception {
        String id = realm.user("frank").create();
        assertThat(realm.signIn("frank", "wrong-password-0", null)).isFalse();
        Set<String> first = committed(realm, id);
        Await.until("the first event in the file", WAIT, () -> ids(env).containsAll(first));

        // What a writer killed in the middle of a record leaves: the start of a line without its end.
        Path file = env.exportDir().resolve(ExportedEvents.FILE);
        Files.writeString(file, "{\"metadata\":{\"uid\":\"fragment-of-a-killed-writ", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        for (int i = 1; i < 6; i++) {
            assertThat(realm.signIn("frank", "wrong-password-" + i, null)).isFalse();
        }
        Set<String> all = committed(realm, id);
        Await.until("the later events in the file", WAIT, () -> {
            try {
                return ids(env).containsAll(all);
            } catch (RuntimeException unreadableYet) {
                return false;
            }
        });
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            assertThat(JSON.readTree(line).isObject()).as("a complete record: " + line).isTrue();
        }
        assertThat(String.join("\n", lines)).doesNotContain("fragment-of-a-killed");
    }

    private static Set<String> ids(TestEnvironment env) {
        return new ExportedEvents(env.exportDir()).all().stream().map(ExportedEvents::id).collect(Collectors.toSet());
    }

    private static Set<String> committed(TestRealm realm, String userId) {
        return new HashSet<>(realm.admin().getEvents(List.of("LOGIN_ERROR"), null, userId, null, null, null, 0, 100)
                .stream().map(EventRepresentation::getId).toList());
    }
}
