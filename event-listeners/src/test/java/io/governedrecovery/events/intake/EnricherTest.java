package io.governedrecovery.events.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;

/** A directory that is away never costs an event: it is written without the enrichment, marked and counted. */
class EnricherTest {

    private final AtomicBoolean directoryAway = new AtomicBoolean(true);
    private final AtomicInteger failures = new AtomicInteger();
    private final Enricher enricher = new Enricher("department", null, failures::incrementAndGet,
            new Enricher.Directory() {
                @Override
                public String tier(KeycloakSession session, RecoveryEvent e) {
                    away();
                    return EventDetails.TIER_PRIVILEGED;
                }

                @Override
                public Optional<String> department(KeycloakSession session, RecoveryEvent e) {
                    away();
                    return Optional.of("finance");
                }

                @Override
                public boolean inTestWindow(KeycloakSession session, RecoveryEvent e) {
                    return false;
                }

                private void away() {
                    if (directoryAway.get()) {
                        throw new ModelException("LDAP server ldap://dir:389 is not reachable");
                    }
                }
            }, System::nanoTime);

    private static RecoveryEvent event(String id, String type) {
        return new RecoveryEvent(id, 1L, RecoveryEvent.Kind.USER, type, "realm", "r", "c", "f:ldap:alice", null, null,
                Map.of(EventDetails.STEP, "finish"));
    }

    @Test
    void a_lookup_that_fails_keeps_the_event_marked_and_counted() {
        RecoveryEvent reset = event("e1", "RESET_PASSWORD");
        RecoveryEvent signIn = event("e2", "LOGIN");

        Enricher.Enriched r = enricher.keepAndEnrich(null, reset);
        Enricher.Enriched s = enricher.keepAndEnrich(null, signIn);

        assertThat(r).isNotNull();
        assertThat(r.failed()).isTrue();
        assertThat(r.event().id()).isEqualTo("e1");
        assertThat(r.event().details()).containsEntry(EventDetails.ENRICHMENT, "failed")
                .containsEntry(EventDetails.STEP, "finish").doesNotContainKey(EventDetails.TIER);
        assertThat(s).as("a sign-in whose tier is unknown is kept, not dropped as a standard one").isNotNull();
        assertThat(s.event().details()).containsEntry(EventDetails.ENRICHMENT, "failed");
        assertThat(failures).hasValue(2);

        directoryAway.set(false);
        Enricher.Enriched later = enricher.keepAndEnrich(null, event("e3", "RESET_PASSWORD"));
        assertThat(later.failed()).isFalse();
        assertThat(later.event().details()).containsEntry(EventDetails.TIER, EventDetails.TIER_PRIVILEGED)
                .containsEntry(EventDetails.DEPARTMENT, "finance").doesNotContainKey(EventDetails.ENRICHMENT);
        assertThat(failures).hasValue(2);
    }

    @Test
    void standard_sign_ins_are_dropped_unless_the_realm_announces_new_networks() {
        Enricher standard = new Enricher(null, null, () -> { }, standardDirectory(false), System::nanoTime);
        assertThat(standard.keepAndEnrich(null, event("s1", "LOGIN"))).isNull();
        assertThat(standard.knownDrop(event("s2", "LOGIN"))).as("known from the caches alone").isTrue();

        Enricher announcing = new Enricher(null, null, () -> { }, standardDirectory(true), System::nanoTime);
        assertThat(announcing.knownDrop(event("s3", "LOGIN"))).as("the realm's setting is not known yet").isFalse();
        assertThat(announcing.keepAndEnrich(null, event("s4", "LOGIN"))).isNotNull();
        assertThat(announcing.knownDrop(event("s5", "LOGIN"))).isFalse();
    }

    /** Every account standard; the realm keeps sign-ins or not. */
    private static Enricher.Directory standardDirectory(boolean keepsSignIns) {
        return new Enricher.Directory() {
            @Override
            public String tier(KeycloakSession session, RecoveryEvent e) {
                return EventDetails.TIER_STANDARD;
            }

            @Override
            public Optional<String> department(KeycloakSession session, RecoveryEvent e) {
                return Optional.empty();
            }

            @Override
            public boolean inTestWindow(KeycloakSession session, RecoveryEvent e) {
                return false;
            }

            @Override
            public boolean keepsSignIns(KeycloakSession session, String realmId) {
                return keepsSignIns;
            }
        };
    }
}
