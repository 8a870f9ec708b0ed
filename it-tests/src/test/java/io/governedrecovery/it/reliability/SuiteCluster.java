package io.governedrecovery.it.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.governedrecovery.it.harness.Cluster;
import io.governedrecovery.it.harness.Database;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.PostgresServer;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.WebhookReceiver;

/**
 * Keycloak nodes on a private PostgreSQL with a mail catcher, an SMS gateway and a webhook receiver, and two realms
 * from the demo realm: {@code governed} (its governed reset) and {@code stock} (Keycloak's "reset credentials"), both
 * without the demo's per-address rate limits (the suites' virtual users are many users, not one attacker).
 */
final class SuiteCluster implements AutoCloseable {

    static final String GOVERNED_REALM = "load-governed";
    static final String STOCK_REALM = "load-stock";
    /**
     * The event types the pipeline exports (RecoveryEventSelection), as SQL, but for LOGIN: a successful sign-in of a
     * standard account is not exported (README, "what is exported"), and every account of the suites is standard.
     */
    static final String EXPORTED_TYPES = "'RESET_PASSWORD','RESET_PASSWORD_ERROR','SEND_RESET_PASSWORD',"
            + "'SEND_RESET_PASSWORD_ERROR','UPDATE_PASSWORD','UPDATE_PASSWORD_ERROR','UPDATE_CREDENTIAL',"
            + "'UPDATE_CREDENTIAL_ERROR','REMOVE_CREDENTIAL','REMOVE_CREDENTIAL_ERROR','UPDATE_TOTP','UPDATE_TOTP_ERROR',"
            + "'REMOVE_TOTP','REMOVE_TOTP_ERROR','UPDATE_EMAIL','UPDATE_EMAIL_ERROR','VERIFY_EMAIL','UPDATE_PROFILE',"
            + "'UPDATE_PROFILE_ERROR','CUSTOM_REQUIRED_ACTION','CUSTOM_REQUIRED_ACTION_ERROR','EXECUTE_ACTIONS',"
            + "'EXECUTE_ACTION_TOKEN','EXECUTE_ACTION_TOKEN_ERROR','LOGIN_ERROR',"
            + "'USER_DISABLED_BY_PERMANENT_LOCKOUT','USER_DISABLED_BY_TEMPORARY_LOCKOUT'";

    final Cluster cluster;
    final Path work;
    final Database db;
    final MailCatcher mail;
    final SmsGatewayStub sms;
    final WebhookReceiver webhook;
    final List<KeycloakServer> nodes;
    /** Keycloak's default {@code db-pool-max-size}. */
    static final int KEYCLOAK_POOL_MAX = 100;

    /**
     * Starts {@code nodeCount} nodes under {@code work} (the harness's {@link Cluster}: file, syslog and webhook sinks)
     * with the pipeline's shipped defaults except {@code options} (event-listener options without their prefix), an SMS
     * gateway for every node, and imports both realms through the first node.
     */
    SuiteCluster(Path work, int nodeCount, Map<String, String> options) {
        this.work = work;
        SmsGatewayStub gateway = SmsGatewayStub.onFreePort();
        // Each node's pool may open Keycloak's default of 100 connections; PostgreSQL's default allows 100 in all, so
        // two busy nodes were refused connections ("too many clients") before either reached its own limit.
        List<String> pgSettings = List.of("max_connections=" + (KEYCLOAK_POOL_MAX * nodeCount + 50));
        Cluster.Builder builder = Cluster.builder(work, w -> PostgresServer.start(w, pgSettings)).nodes(nodeCount)
                .perNode((i, node) -> TestEnvironment.withSmsGateway(node, gateway))
                .closing(gateway)
                .afterFirstNode((node, c) -> {
                    Realms.importRealm(node, c.mail(), Realms.DEMO, GOVERNED_REALM,
                            json -> Realms.withoutRateLimits(json).remove("users"));
                    Realms.importRealm(node, c.mail(), Realms.DEMO, STOCK_REALM, json -> {
                        Realms.withoutRateLimits(json).remove("users");
                        json.put("resetCredentialsFlow", "reset credentials");
                    });
                });
        options.forEach((k, v) -> builder.option(TestEnvironment.EVENTS_SPI + k, v));
        this.cluster = builder.start();
        this.db = cluster.db();
        this.mail = cluster.mail();
        this.sms = gateway;
        this.webhook = cluster.webhook();
        this.nodes = cluster.nodes();
    }

    Map<String, String> realms() {
        return Map.of(Traffic.GOVERNED, GOVERNED_REALM, Traffic.STOCK, STOCK_REALM);
    }

    /** Creates the accounts of {@code users} virtual users (four threads: each creation hashes a password). */
    void createAccounts(Traffic traffic, int users, int perUser) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int vu = 0; vu < users; vu++) {
                for (Traffic.Account a : traffic.accountsOf(vu, perUser)) {
                    all.add(pool.submit(() -> {
                        TestRealm realm = TestRealm.existing(nodes.get(0),
                                Traffic.GOVERNED.equals(a.kind) ? GOVERNED_REALM : STOCK_REALM);
                        var user = realm.user(a.name).password(a.password);
                        if (Traffic.GOVERNED.equals(a.kind)) {
                            user.phone(a.phone).totp(a.totpSecret);
                        }
                        user.create();
                    }));
                }
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create the suite's accounts: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Ids of the events Keycloak stored for both realms, of the types the pipeline exports. */
    Set<String> storedEventIds() {
        String out = db.sql("SELECT e.ID FROM EVENT_ENTITY e JOIN REALM r ON r.ID = e.REALM_ID WHERE r.NAME IN ('"
                + GOVERNED_REALM + "','" + STOCK_REALM + "') AND e.TYPE IN (" + EXPORTED_TYPES + ")");
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toSet());
    }

    /** Ids of every record in the file exports of every node. */
    Set<String> fileIds() {
        return cluster.fileIds();
    }

    long count(String table) {
        return Long.parseLong(db.sql("SELECT COUNT(*) FROM " + table).trim());
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
