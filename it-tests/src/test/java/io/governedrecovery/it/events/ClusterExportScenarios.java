package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Cluster;
import io.governedrecovery.it.harness.Database;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.LdapServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.MetricValues;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.SinkTally;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.WebhookReceiver;

/**
 * The event pipeline of a two-node cluster on an external database (one subclass per database), with the nodes'
 * pipeline clocks a minute apart, exporting to a JSON Lines file on each node, syslog over TCP and a webhook. Each
 * scenario injects one fault and compares what Keycloak committed (its own event store) with what every sink received
 * (distinct record ids; duplicates only under the same id).
 *
 * <p>The long variants (a commit held for 60 s, a 30 s database outage) run with {@code -Dit.long=true}, on PostgreSQL
 * and MariaDB; CI runs them shortened (5 s, 6 s) on PostgreSQL (see benchmarks/event-pipeline.md for the long figures).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterExportScenarios {

    static final boolean LONG = Boolean.getBoolean("it.long");
    /** How long the commit of the user {@code held}'s events stays open on node 1. */
    static final Duration HOLD = LONG ? Duration.ofSeconds(60) : Duration.ofSeconds(5);
    static final Duration OUTAGE = LONG ? Duration.ofSeconds(30) : Duration.ofSeconds(6);
    static final Duration SKEW = Duration.ofSeconds(-60);
    static final Duration WAIT = Duration.ofSeconds(90).plus(HOLD).plus(OUTAGE);
    static final String REALM = "cluster";
    /** A realm that does not save events: the reconciler cannot make up for what the intake loses there. */
    static final String UNSAVED = "cluster-unsaved";
    static final String HELD = "held";
    /** A directory user; Keycloak's id for her is f:<component>:<username>, well over 36 characters. */
    static final String LARA = "lara.langenscheidt-mustermann";

    private Cluster cluster;
    private Database db;
    private MailCatcher mail;
    private WebhookReceiver webhook;
    private List<KeycloakServer> nodes;
    private LdapServer ldap;

    /** Starts this class's database server under {@code work}. */
    abstract Database startDatabase(Path work);

    @BeforeAll
    void startCluster() {
        Path work = Path.of(System.getProperty("harness.work.dir", "target/harness"))
                .resolveSibling("cluster-" + getClass().getSimpleName());
        KeycloakServer.deleteRecursively(work);
        ldap = LdapServer.start(work.resolveSibling(work.getFileName() + "-ldap"),
                List.of(new LdapServer.User(LARA, "lara@example.test", "Lara-password-1")));
        cluster = Cluster.builder(work, this::startDatabase)
                .clockOffset(1, SKEW)
                .option(TestEnvironment.EVENTS_SPI + "poll-millis", "200")
                .option(TestEnvironment.EVENTS_SPI + "lease-seconds", "6")
                .option(TestEnvironment.EVENTS_SPI + "sink-timeout-seconds", "4")
                .option(TestEnvironment.EVENTS_SPI + "dead-letter-after", "3")
                .option(TestEnvironment.EVENTS_SPI + "max-keys-per-table", "16")
                .option(TestEnvironment.EVENTS_SPI + "fault-hold-commit-user", HELD)
                .option(TestEnvironment.EVENTS_SPI + "fault-hold-commit-millis", Long.toString(HOLD.toMillis()))
                .closing(ldap)
                .afterFirstNode((node, self) -> {
                    Realms.importRealm(node, self.mail(), Realms.DEMO, REALM, json -> Realms.withoutRateLimits(json)
                            .remove("users"));
                    Realms.importRealm(node, self.mail(), Realms.DEMO, UNSAVED, json -> Realms.withoutRateLimits(json)
                            .put("eventsEnabled", false).put("adminEventsEnabled", false).remove("users"));
                    ldap.federate(node.admin().realm(REALM));
                })
                .start();
        db = cluster.db();
        mail = cluster.mail();
        webhook = cluster.webhook();
        nodes = cluster.nodes();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        } else if (ldap != null) {
            ldap.close();
        }
    }

    private TestRealm realm(int node) {
        return TestRealm.existing(nodes.get(node), REALM);
    }

    private KeycloakServer node(int index) {
        return nodes.get(index);
    }

    @Test
    @Order(1)
    void failed_resets_split_across_two_nodes_raise_one_finding() {
        realm(0).user("split").totp("split-secret").create();
        String userId = realm(1).userIdOf("split");

        failResets(realm(0), "split", "totp", 3);
        failResets(realm(1), "split", "totp", 2);

        JsonNode finding = Await.until("the finding in the file export", WAIT, () -> fileExport().stream()
                .filter(ExportedEvents.finding("failed-resets", userId)).findFirst().orElse(null));
        assertThat(finding.path("evidences").get(0).path("data").path("failures").asText()).isEqualTo("5");
        String findingId = ExportedEvents.id(finding);
        Await.until("the finding in every sink", WAIT, () -> everySinkHas(Set.of(findingId)));
        assertThat(db.sql("SELECT COUNT(*) FROM GOVERNED_RECOVERY_RECORD WHERE FINDING_RULE = 'failed-resets' "
                + "AND USER_ID = '" + userId + "'").trim()).as("both nodes raised it; it is stored once").isEqualTo("1");
        assertThat(fileExport().stream().filter(r -> findingId.equals(ExportedEvents.id(r))).count())
                .as("the finding is written to the file export once").isEqualTo(1);
    }

    @Test
    @Order(2)
    void clocks_a_minute_apart_and_a_commit_held_open_lose_no_event() {
        String heldId = realm(0).user(HELD).create();
        String busyId = realm(0).user("busy").create();
        // Node 1 writes held's event in a transaction that stays open for HOLD; meanwhile both nodes, whose pipeline
        // clocks are a minute apart, keep writing and exporting the events of busy.
        assertThat(realm(0).signIn(HELD, "wrong-password", null)).isFalse();
        Instant heldUntil = Instant.now().plus(HOLD);
        int attempts = 0;
        while (Instant.now().isBefore(heldUntil) || attempts < 20) {
            assertThat(realm(attempts % 2).signIn("busy", "wrong-password-" + attempts, null)).isFalse();
            attempts++;
        }
        Set<String> committed = new HashSet<>(committed("LOGIN_ERROR", heldId));
        committed.addAll(committed("LOGIN_ERROR", busyId));
        assertThat(committed).as("events Keycloak committed").hasSize(attempts + 1);

        Await.until(committed.size() + " committed events in every sink", WAIT, () -> everySinkHas(committed));
        assertEverySinkHasExactly(committed, Set.of(heldId, busyId));

        // Every node's scorer saw every row of the outbox, each once, whatever the clocks and commit order.
        long rows = Await.until("both scorers caught up with the outbox", WAIT, () -> {
            long inOutbox = Long.parseLong(db.sql("SELECT COUNT(*) FROM GOVERNED_RECOVERY_RECORD").trim());
            boolean caughtUp = nodes.stream().allMatch(n -> scored(n) == inOutbox);
            return caughtUp ? inOutbox : null;
        });
        for (KeycloakServer node : nodes) {
            assertThat(scored(node)).as("rows scored by " + node.baseUrl()).isEqualTo(rows);
        }
    }

    @Test
    @Order(3)
    void a_database_outage_during_a_burst_loses_no_event() {
        // In a realm that does not save events, so only the intake can deliver them: what it dropped stays lost.
        TestRealm unsaved = TestRealm.existing(node(0), UNSAVED);
        String heldId = unsaved.user(HELD).create();
        String burstId = unsaved.user("ursula").create();
        // The held commit keeps node 1's intake busy while the burst is committed and queued behind it; then the
        // database goes away.
        assertThat(unsaved.signInStatus(HELD, "wrong-password", null)).isIn(400, 401);
        int burst = LONG ? 60 : 15;
        for (int i = 0; i < burst; i++) {
            assertThat(unsaved.signInStatus("ursula", "wrong-password-" + i, null))
                    .as("a refused sign-in: Keycloak committed its LOGIN_ERROR event").isIn(400, 401);
        }
        Instant down = Instant.now();
        db.stop();
        try {
            Await.until("the database outage to have lasted " + OUTAGE.toSeconds() + " s", OUTAGE.plusSeconds(5),
                    () -> Duration.between(down, Instant.now()).compareTo(OUTAGE) >= 0);
        } finally {
            db.start();
        }
        Map<String, Integer> committed = Map.of(heldId, 1, burstId, burst);
        Await.until("the " + (burst + 1) + " events committed before the outage in every sink", WAIT,
                () -> committed.entrySet().stream().allMatch(e -> exportedCounts(e.getKey()).values().stream()
                        .allMatch(n -> n >= e.getValue())));
        for (Map.Entry<String, Integer> e : committed.entrySet()) {
            assertThat(exportedCounts(e.getKey())).as("distinct events exported per sink")
                    .containsOnly(Map.entry("file", e.getValue().longValue()),
                            Map.entry("syslog", e.getValue().longValue()), Map.entry("webhook", e.getValue().longValue()));
        }
        assertThat(node(0).log()).as("the failed writes were logged with their cause").contains("could not write");
    }

    @Test
    @Order(4)
    void a_directory_user_with_a_long_id_is_exported_and_scored() {
        List<UserRepresentation> found = node(0).admin().realm(REALM).users().search(LARA, true);
        assertThat(found).hasSize(1);
        String laraId = found.get(0).getId();
        assertThat(laraId).as("a federated user's id without import").startsWith("f:").hasSizeGreaterThan(36);

        for (int i = 0; i < 3; i++) {
            assertThat(realm(1).signIn(LARA, "wrong-password-" + i, null)).isFalse();
        }
        failResets(realm(0), LARA, "email-code", 5);

        Set<String> committed = new HashSet<>(committed("LOGIN_ERROR", laraId));
        assertThat(committed).hasSize(3);
        Await.until("lara's failed sign-ins in every sink", WAIT, () -> everySinkHas(committed));
        String findingId = Await.until("a finding about lara in the file export", WAIT, () -> fileExport().stream()
                .filter(ExportedEvents.finding("failed-resets", laraId)).map(ExportedEvents::id).findFirst()
                .orElse(null));
        Await.until("the finding about lara in every sink", WAIT, () -> everySinkHas(Set.of(findingId)));
    }

    @Test
    @Order(5)
    void a_slow_webhook_is_fed_by_one_node_at_a_time() {
        String slowId = realm(0).user("slow").create();
        webhook.delay(Duration.ofMillis(1500));
        webhook.resetMaxInFlight();
        try {
            for (int i = 0; i < 12; i++) {
                assertThat(realm(i % 2).signIn("slow", "wrong-password-" + i, null)).isFalse();
            }
            Set<String> committed = new HashSet<>(committed("LOGIN_ERROR", slowId));
            Await.until("every event at the slow webhook", WAIT, () -> webhookIds().containsAll(committed));
            assertThat(webhook.maxInFlight()).as("requests the webhook had to handle at once").isEqualTo(1);
        } finally {
            webhook.delay(Duration.ZERO);
        }
    }

    @Test
    @Order(6)
    void names_typed_by_someone_do_not_blind_the_scorer_at_its_key_limit() {
        // The nodes track at most 16 keys per scoring table. Twenty reset requests for names that match no account
        // fill the table of accounts' subnets (kept 30 days).
        for (int i = 0; i < 20; i++) {
            requestReset(realm(0), "nobody-" + i, "10.200.0." + i);
        }
        String targetId = realm(0).user("target").create();
        // The real account resets from three networks, then from a fourth one: that is a finding.
        for (String ip : List.of("10.1.0.7", "10.2.0.7", "10.3.0.7", "10.4.0.7")) {
            requestReset(realm(0), "target", ip);
        }
        Await.until("a new-subnet finding about the real account", WAIT, () -> fileExport().stream()
                .anyMatch(ExportedEvents.finding("new-subnet", targetId)));
        assertThat(MetricValues.of(node(0), "governed_recovery_scorer_evicted_keys_total"))
                .as("least recently used keys made room").isPositive();
    }

    @Test
    @Order(7)
    void an_unreadable_record_is_parked_and_every_other_record_delivered() {
        String id = realm(0).user("paula").create();
        webhook.down();
        Set<String> committed;
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(realm(0).signIn("paula", "wrong-password-" + i, null)).isFalse();
            }
            committed = new HashSet<>(committed("LOGIN_ERROR", id));
            Await.until("paula's events in the file export", WAIT, () -> fileIds().containsAll(committed));
            String broken = committed.iterator().next();
            db.sql("UPDATE GOVERNED_RECOVERY_RECORD SET PAYLOAD = '{\"broken' WHERE RECORD_ID = '" + broken + "'");
            committed.remove(broken);
        } finally {
            webhook.up();
        }
        Await.until("the other events at the webhook", WAIT, () -> webhookIds().containsAll(committed));
        Await.until("the unreadable record parked", WAIT, () -> nodes.stream()
                .mapToDouble(n -> MetricValues.of(n, "governed_recovery_export_parked", Map.of("sink", "webhook")))
                .sum() >= 1);
    }

    @Test
    @Order(8)
    void break_glass_reset_attempts_notify_the_administrators_once_across_a_node_change() {
        realm(0).user("ada").group("/realm-admins").create();
        realm(0).user("bg-cluster").group("/break-glass").create();
        String adminMail = "ada@example.test";

        FlowClient first = new FlowClient();
        first.requestReset(first.openResetPage(realm(0)), "bg-cluster");
        mail.await(adminMail, m -> m.subject() != null);
        Await.until("node 1 has handed out every notice", WAIT, () -> noticesBacklog(node(0)) == 0
                && noticesBacklog(node(1)) == 0);
        // Node 1 leaves; node 2 delivers the notices from now on. The second attempt within 15 minutes is not
        // announced again: that the account was announced is kept in the database, not in node 1's memory.
        node(0).stop();
        FlowClient client = new FlowClient();
        client.requestReset(client.openResetPage(realm(1)), "bg-cluster");
        String bgId = realm(1).userIdOf("bg-cluster");
        Await.until("both attempts exported", WAIT, () -> fileExport().stream()
                .filter(ExportedEvents.ofType("RESET_PASSWORD_ERROR", bgId)).count() >= 2);
        Await.until("node 2 has handled every notice", WAIT, () -> noticesBacklog(node(1)) == 0);
        assertThat(mail.to(adminMail)).as("notices about the break-glass account").hasSize(1);
    }

    private double noticesBacklog(KeycloakServer node) {
        Double v = MetricValues.value(node.metrics(), "governed_recovery_export_backlog", Map.of("sink", "notices"));
        return v == null ? -1 : v;
    }

    // --- what was committed and what arrived -----------------------------------------------------------------------

    private List<String> committed(String type, String userId) {
        return node(isUp(0) ? 0 : 1).admin().realm(REALM)
                .getEvents(List.of(type), null, userId, null, null, null, 0, 10_000).stream()
                .map(EventRepresentation::getId).toList();
    }

    private boolean isUp(int node) {
        return cluster.isUp(node);
    }

    private long scored(KeycloakServer node) {
        return Math.round(MetricValues.of(node, "governed_recovery_scorer_rows_total"));
    }

    private List<JsonNode> fileExport() {
        return cluster.fileExport();
    }

    private Set<String> fileIds() {
        return cluster.fileIds();
    }

    private Set<String> syslogIds() {
        return cluster.syslogIds();
    }

    private Set<String> webhookIds() {
        return cluster.webhookIds();
    }

    /** Distinct LOGIN_ERROR events of a user each sink received. */
    private Map<String, Long> exportedCounts(String userId) {
        SinkTally tally = cluster.tally();
        Set<String> mine = tally.seen(m -> m.is("LOGIN_ERROR", userId));
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String sink : tally.sinks()) {
            counts.put(sink, (long) mine.size() - tally.missing(sink, mine).size());
        }
        return counts;
    }

    private boolean everySinkHas(Set<String> ids) {
        return cluster.everySinkHas(ids);
    }

    /** Every sink holds each committed event of these users, and no event of theirs that was not committed. */
    private void assertEverySinkHasExactly(Set<String> committed, Set<String> userIds) {
        Set<String> file = fileExport().stream().filter(r -> userIds.contains(r.path("user").path("uid").asText())
                && r.path("class_uid").asInt() != 2004).map(ExportedEvents::id).collect(Collectors.toSet());
        Set<String> hook = webhook.records().stream().filter(r -> userIds.contains(r.path("user").path("uid").asText())
                && r.path("class_uid").asInt() != 2004).map(ExportedEvents::id).collect(Collectors.toSet());
        assertThat(file).as("distinct events in the file export").containsExactlyInAnyOrderElementsOf(committed);
        assertThat(hook).as("distinct events at the webhook").containsExactlyInAnyOrderElementsOf(committed);
        assertThat(syslogIds()).as("events at the syslog receiver").containsAll(committed);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /**
     * Asks for a reset of {@code username} from {@code ip} (the nodes take the client address from X-Forwarded-For; a
     * private address, so the realm's "HTTPS required: external requests" lets plain http through).
     */
    private static void requestReset(TestRealm realm, String username, String ip) {
        FlowClient client = new FlowClient().header("X-Forwarded-For", ip);
        client.requestReset(client.openResetPage(realm), username);
    }

    /** Fails {@code times} tries of {@code method} for {@code username} in one reset flow. */
    private static void failResets(TestRealm realm, String username, String method, int times) {
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), username);
        FlowClient.Page page = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", method));
        for (int i = 0; i < times; i++) {
            FlowClient.Page answer = client.post(page.formAction("governed-recovery-code-form"),
                    Map.of("action", "verify", "code", "0000000" + i));
            page = answer.has("governed-recovery-code-form") ? answer : page;
        }
    }
}
