package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.EventRepresentation;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Syslog over RELP: the receiver (rsyslog with imrelp) acknowledges each message after it wrote it, so a receiver
 * that restarts in the middle of the stream loses nothing: what it did not acknowledge is sent again.
 */
@ExtendWith(RealKeycloak.class)
class SyslogRelpIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void every_record_reaches_a_relp_receiver_that_restarts_mid_stream(TestRealm realm, TestEnvironment env) {
        String id = realm.user("rosa").create();
        for (int i = 0; i < 15; i++) {
            assertThat(realm.signIn("rosa", "wrong-password-" + i, null)).isFalse();
        }
        Set<String> first = committed(realm, id);
        Await.until("the first records at the receiver", WAIT, () -> env.syslog().ids().containsAll(first));

        env.syslog().restart();
        for (int i = 15; i < 40; i++) {
            assertThat(realm.signIn("rosa", "wrong-password-" + i, null)).isFalse();
        }
        Set<String> all = committed(realm, id);
        assertThat(all).hasSize(40);
        Await.until("every committed record at the restarted receiver", WAIT,
                () -> env.syslog().ids().containsAll(all));
        assertThat(new HashSet<>(env.syslog().ids())).containsAll(all);
    }

    private static Set<String> committed(TestRealm realm, String userId) {
        return new HashSet<>(realm.admin().getEvents(List.of("LOGIN_ERROR"), null, userId, null, null, null, 0, 1000)
                .stream().map(EventRepresentation::getId).toList());
    }
}
