package io.governedrecovery.it.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.MetricValues;
import io.governedrecovery.it.harness.Ports;
import io.governedrecovery.it.harness.PostgresServer;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.ReverseProxy;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.TlsCertificate;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.privileged.PrivilegedFlows;

/**
 * Keycloak in production mode, as the README's "Production" section runs it: {@code kc.sh build} with the build
 * options, then {@code kc.sh start --optimized} on PostgreSQL, with a hostname, HTTPS with a certificate generated
 * here, and nginx in front (TLS terminated and re-encrypted to Keycloak, {@code --proxy-headers=xforwarded}, only the
 * proxy's address trusted). Through the proxy a user resets her password with two methods on Keycloak's pages; the
 * export has the reset, with the client address the proxy saw; a client that bypasses the proxy cannot forge its
 * address; the management port serves the health checks and our metrics. One server for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionModeIT {

    private static final Logger LOG = Logger.getLogger(ProductionModeIT.class);
    private static final String REALM = "production";
    /** What a client sends as X-Forwarded-For: through the proxy (which overwrites it) or bypassing it. */
    private static final String FORGED = "203.0.113.77";
    /** The client address the proxy sees (the tests connect from loopback) and puts in X-Forwarded-For. */
    private static final String CLIENT = "127.0.0.1";
    private static final Duration EXPORT_WAIT = Duration.ofSeconds(30);

    private Path work;
    private PostgresServer db;
    private MailCatcher mail;
    private TlsCertificate tls;
    private ReverseProxy proxy;
    private KeycloakServer server;
    private TestRealm realm;
    private ExportedEvents exported;

    @BeforeAll
    void startProductionServer() throws IOException {
        long begin = System.nanoTime();
        work = Path.of(System.getProperty("harness.work.dir", "target/harness")).resolveSibling("production");
        KeycloakServer.deleteRecursively(work);
        // A distribution of its own: kc.sh build changes it, and the shared server keeps running start-dev on its own.
        Path dist = work.resolve("keycloak");
        KeycloakServer.copyDistribution(KeycloakServer.builder().build().distDir(), dist);
        // Our JAR alone in providers/, as shipped (the other suites add a test-only clock provider).
        Files.deleteIfExists(dist.resolve("providers/it-test-provider.jar"));
        db = PostgresServer.start(work);
        mail = MailCatcher.onFreePort();
        tls = TlsCertificate.generate(work.resolve("tls"));
        int keycloakPort = Ports.free();
        proxy = ReverseProxy.start(work.resolve("nginx"), keycloakPort, tls);
        Path exportDir = work.resolve("export");
        server = KeycloakServer.builder().distDir(dist).workDir(work.resolve("node")).production()
                .buildOption("db", "postgres")
                .buildOption("health-enabled", "true")
                .buildOption("metrics-enabled", "true")
                .tls(tls).httpPort(keycloakPort)
                .hostname(proxy.url())
                .option("proxy-headers", "xforwarded")
                .option("proxy-trusted-addresses", ReverseProxy.SOURCE_ADDRESS)
                .option("db-url", db.jdbcUrl())
                .option("db-username", PostgresServer.USER)
                .env("KC_DB_PASSWORD", "unused-trust-auth") // a secret: the environment, as the README says
                .option(TestEnvironment.EVENTS_SPI + "export-dir", exportDir.toString())
                // The test suites' fault options (through the environment, so the commands stay the README's),
                // ignored by the shipped JAR: were they honoured, the outbox write of prod-ann's events would stay open
                // for two minutes and their export below would not come in time.
                .env("KC_SPI_EVENTS_LISTENER__GOVERNED_RECOVERY_EVENTS__FAULT_HOLD_COMMIT_USER", "prod-ann")
                .env("KC_SPI_EVENTS_LISTENER__GOVERNED_RECOVERY_EVENTS__FAULT_HOLD_COMMIT_MILLIS", "120000")
                .build();
        long beforeKeycloak = System.nanoTime();
        server.start();
        long started = System.nanoTime();
        Realms.importRealm(server, mail, Realms.DEMO, REALM, json -> {
            Realms.withoutRateLimits(json).remove("users");
            // The controls' own fallback setting trusts all of loopback: were it used next to Keycloak's proxy
            // options, a client bypassing the proxy from 127.0.0.1 could name any address.
            Realms.config(json, "governed-recovery-controls").put("trusted-proxies", "127.0.0.0/8");
        });
        realm = TestRealm.existing(server, REALM);
        exported = new ExportedEvents(exportDir);
        LOG.infof("Production mode ready in %d s: kc.sh build %d s (%d s CPU), start --optimized %d s, "
                        + "realm import %d s (the running server's CPU so far: %d s)",
                Duration.ofNanos(System.nanoTime() - begin).toSeconds(),
                server.buildTime().toSeconds(), server.buildCpuTime().toSeconds(),
                Duration.ofNanos(started - beforeKeycloak).minus(server.buildTime()).toSeconds(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), server.cpuTime().toSeconds());
    }

    @AfterAll
    void stopAll() {
        for (AutoCloseable closeable : new AutoCloseable[] {server, proxy, mail, db}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warnf("Cannot stop %s: %s", closeable, e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void a_reset_through_the_proxy_with_two_methods_changes_the_password_and_exports_the_proxied_client()
            throws Exception {
        realm.user("prod-ann").totp("prod-ann-secret").password("Old-password-1").create();
        String id = realm.userIdOf("prod-ann");
        // The client's own X-Forwarded-For reaches the proxy, which replaces it with the address it sees.
        FlowClient client = FlowClient.trusting(tls).header("X-Forwarded-For", FORGED);
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "prod-ann");
        assertThat(methods.formAction(PrivilegedFlows.METHODS_FORM)).as("Keycloak's pages name the public URL")
                .startsWith(proxy.url() + "/realms/" + REALM + "/");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("prod-ann@example.test").text()));
        FlowClient.Page newPassword = client.prove(afterEmail, "totp", () -> Totp.unused("prod-ann-secret"));
        FlowClient.Page done = PrivilegedFlows.setPassword(client, newPassword, "New-password-2");
        assertThat(done.body()).contains("Your password was changed");
        assertThat(realm.passwordWorks("prod-ann", "New-password-2", "prod-ann-secret")).isTrue();
        assertThat(realm.passwordWorks("prod-ann", "Old-password-1", "prod-ann-secret")).isFalse();

        JsonNode controls = exported.await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "controls".equals(ExportedEvents.detail(e, "gr_step"))), EXPORT_WAIT);
        assertThat(controls.path("src_endpoint").path("ip").asText())
                .as("the client the proxy saw (Keycloak's --proxy-headers), not the proxy's own %s nor what the "
                        + "client sent", ReverseProxy.SOURCE_ADDRESS).isEqualTo(CLIENT);
        assertThat(ExportedEvents.detail(controls, "gr_client_ip")).as("no second opinion on the address").isNull();
        JsonNode changed = exported.await(ExportedEvents.ofType("UPDATE_CREDENTIAL", id)
                .and(e -> "new_password".equals(ExportedEvents.detail(e, "gr_step"))), EXPORT_WAIT);
        assertThat(changed.path("src_endpoint").path("ip").asText()).isEqualTo(CLIENT);
        assertThat(exported.all().toString()).as("the forged address is nowhere").doesNotContain(FORGED);
        assertThat(server.log()).as("no test hooks in production").doesNotContain("runs with test hooks");
    }

    @Test
    @Order(2)
    void a_client_bypassing_the_proxy_cannot_name_its_address() {
        realm.user("prod-bob").totp("prod-bob-secret").create();
        String id = realm.userIdOf("prod-bob");
        String direct = server.directUrl();
        String published = server.baseUrl();
        FlowClient bypass = FlowClient.trusting(tls).header("X-Forwarded-For", FORGED);
        FlowClient.Page login = bypass.get(realm.signInUrl().replace(published, direct));
        FlowClient.Page reset = bypass.get(login.link("/login-actions/reset-credentials").replace(published, direct));
        FlowClient.Page methods = bypass.post(reset.formAction("kc-reset-password-form").replace(published, direct),
                Map.of("username", "prod-bob"));
        assertThat(methods.body()).contains(PrivilegedFlows.METHODS_FORM);

        JsonNode controls = exported.await(ExportedEvents.ofType("RESET_PASSWORD", id)
                .and(e -> "controls".equals(ExportedEvents.detail(e, "gr_step"))), EXPORT_WAIT);
        assertThat(controls.path("src_endpoint").path("ip").asText())
                .as("Keycloak does not believe a peer outside --proxy-trusted-addresses").isEqualTo(CLIENT);
        assertThat(ExportedEvents.detail(controls, "gr_client_ip"))
                .as("nor do the controls, though their own trusted-proxies setting would (127.0.0.0/8)").isNull();
        assertThat(exported.all().toString()).doesNotContain(FORGED);
        assertThat(server.log()).as("the ignored fallback setting is named once")
                .containsOnlyOnce("The recovery controls' trusted-proxies setting is ignored");
    }

    @Test
    @Order(3)
    void the_management_port_serves_health_and_our_metrics_and_the_public_url_does_not() throws Exception {
        for (String check : List.of("/health/ready", "/health/live")) {
            HttpResponse<String> health = get(server.managementUrl() + check);
            assertThat(health.statusCode()).as(check).isEqualTo(200);
            assertThat(health.body()).as(check).contains("\"status\": \"UP\"");
            assertThat(get(proxy.url() + check).statusCode()).as(check + " is not published").isEqualTo(404);
        }
        String metrics = server.metrics();
        assertThat(MetricValues.value(metrics, "governed_recovery_worker_up", Map.of())).as("the pipeline's workers")
                .isGreaterThanOrEqualTo(1.0);
        assertThat(MetricValues.value(metrics, "governed_recovery_exported_total", Map.of()))
                .as("the records of the resets above").isGreaterThan(0.0);
        assertThat(get(proxy.url() + "/metrics").statusCode()).as("/metrics is not published").isEqualTo(404);
    }

    /**
     * The README's "Production" section shows the commands this class ran: every option of its {@code kc.sh build}
     * and {@code kc.sh start --optimized}, and every directive of its nginx {@code location}, appear there.
     */
    @Test
    @Order(4)
    void the_readme_production_section_shows_the_commands_and_proxy_settings_this_test_ran() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"));
        int start = readme.indexOf("\n## Production\n");
        assertThat(start).as("README has a Production section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);

        Matcher commands = Pattern.compile("^=== (build|start 1) at \\S+ with \\[(.*)\\]$", Pattern.MULTILINE)
                .matcher(server.log());
        int found = 0;
        while (commands.find()) {
            found++;
            boolean build = commands.group(1).equals("build");
            String verb = build ? "bin/kc.sh build" : "bin/kc.sh start --optimized";
            List<String> options = Stream.of(commands.group(2).split(", "))
                    .filter(a -> a.startsWith("--") && !a.equals("--optimized")).toList();
            assertThat(section).contains(verb);
            for (String option : options) {
                String name = option.substring(0, option.indexOf('=') + 1);
                assertThat(section).as("the README's %s shows %s", verb, name).contains(name);
            }
            if (build) {
                assertThat(section).as("the build command as the test ran it")
                        .contains(verb + " " + String.join(" ", options));
            }
        }
        assertThat(found).as("the log names the build and the start").isEqualTo(2);

        String nginx = Files.readString(proxy.configFile());
        int location = nginx.indexOf("location / {");
        for (String directive : nginx.substring(location, nginx.indexOf('}', location)).lines().skip(1)
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("proxy_pass") && !l.startsWith("proxy_ssl_trusted"))
                .toList()) {
            assertThat(section).as("the README's nginx location has: " + directive).contains(directive);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return server.httpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
