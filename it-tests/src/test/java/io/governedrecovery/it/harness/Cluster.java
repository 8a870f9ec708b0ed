package io.governedrecovery.it.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Keycloak nodes (two by default) on one external database, each from its own copy of the shared distribution's
 * settings and exporting to its own JSON Lines file, all to one syslog receiver (plain TCP, or rsyslog over RELP) and
 * one webhook, with one SMTP catcher and each node's pipeline clock in a file of its own ({@link ClockOffset}). Used by
 * the cluster scenarios of the event pipeline and the reliability suites; closed as a whole.
 *
 * <p>In {@code start-dev} every node keeps its own local caches: a realm or user changed through one node may stay
 * cached on the other. Set realms up before the second node starts ({@link Builder#afterFirstNode}) and walk each
 * account's changes on one node.
 */
public final class Cluster implements AutoCloseable {

    private final Path work;
    private Database db;
    private MailCatcher mail;
    private SyslogReceiver tcpSyslog;
    private RsyslogServer relpSyslog;
    private WebhookReceiver webhook;
    private final List<KeycloakServer> nodes = new ArrayList<>();
    private final List<ClockOffset> clocks = new ArrayList<>();
    private final List<AutoCloseable> extras;
    private SinkTally tally;

    private Cluster(Builder b) {
        this.work = b.work;
        KeycloakServer.deleteRecursively(work); // exports and logs of an earlier run
        this.extras = b.extras;
        KeycloakServer shared = KeycloakServer.builder().build();
        Path dist = work.resolve("keycloak");
        KeycloakServer.copyDistribution(shared.distDir(), dist);
        try {
            this.db = b.database.apply(work);
            this.mail = MailCatcher.onFreePort();
            this.webhook = new WebhookReceiver();
            this.relpSyslog = b.relp ? RsyslogServer.start(work) : null;
            this.tcpSyslog = b.relp ? null : new SyslogReceiver();
            for (int i = 0; i < b.nodes; i++) {
                String name = "node" + (i + 1);
                ClockOffset clock = new ClockOffset(work.resolve(name).resolve("clock-offset"));
                clock.set(b.clockOffsets.getOrDefault(i, Duration.ZERO));
                clocks.add(clock);
                KeycloakServer.Builder node = db.configure(KeycloakServer.builder()).distDir(dist).keepData()
                        .workDir(work.resolve(name))
                        .option(TestEnvironment.EVENTS_SPI + "export-dir", exportDir(i).toString())
                        .option(TestEnvironment.EVENTS_SPI + "syslog-host", "127.0.0.1")
                        .option(TestEnvironment.EVENTS_SPI + "syslog-port", Integer.toString(b.relp
                                ? relpSyslog.port() : tcpSyslog.port()))
                        .option(TestEnvironment.EVENTS_SPI + "webhook-url", webhook.url())
                        .env(TestEnvironment.WEBHOOK_SECRET_ENV, WebhookReceiver.SECRET)
                        .option("proxy-headers", "xforwarded")
                        .option(TestEnvironment.EVENTS_SPI + "fault-clock-offset-file", clock.file().toString());
                if (b.relp) {
                    node.option(TestEnvironment.EVENTS_SPI + "syslog-protocol", "relp");
                }
                b.options.forEach(node::option);
                int index = i;
                b.perNode.forEach(customize -> customize.accept(index, node));
                KeycloakServer server = node.build();
                nodes.add(server);
                server.start();
                if (i == 0) {
                    b.afterFirstNode.forEach(setup -> setup.accept(server, this));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A cluster in {@code work} (deleted first) on the database {@code database} starts there. */
    public static Builder builder(Path work, Function<Path, Database> database) {
        return new Builder(work, database);
    }

    public Path work() {
        return work;
    }

    public Database db() {
        return db;
    }

    public MailCatcher mail() {
        return mail;
    }

    public WebhookReceiver webhook() {
        return webhook;
    }

    /** The RELP receiver, or null when the nodes send plain TCP syslog. */
    public RsyslogServer relpSyslog() {
        return relpSyslog;
    }

    /** The plain TCP syslog receiver, or null when the nodes send RELP. */
    public SyslogReceiver tcpSyslog() {
        return tcpSyslog;
    }

    public List<KeycloakServer> nodes() {
        return nodes;
    }

    public KeycloakServer node(int index) {
        return nodes.get(index);
    }

    /** The pipeline clock of node {@code index}. */
    public ClockOffset clock(int index) {
        return clocks.get(index);
    }

    public Path exportDir(int index) {
        return work.resolve("node" + (index + 1)).resolve("export");
    }

    /** A realm as node {@code index} serves it. */
    public TestRealm realm(int index, String name) {
        return TestRealm.existing(nodes.get(index), name);
    }

    /** Whether node {@code index} answers on its management port. */
    public boolean isUp(int index) {
        try {
            nodes.get(index).metrics();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A node that answers, the first one if both do. */
    public KeycloakServer anyUp() {
        for (int i = 0; i < nodes.size(); i++) {
            if (isUp(i)) {
                return nodes.get(i);
            }
        }
        throw new AssertionError("no node of the cluster answers");
    }

    // --- what the sinks received ------------------------------------------------------------------------------------

    /** Every sink's records, read incrementally (one tally per cluster). */
    public synchronized SinkTally tally() {
        if (tally == null) {
            List<Path> dirs = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                dirs.add(exportDir(i));
            }
            tally = relpSyslog != null ? SinkTally.of(dirs, relpSyslog, webhook) : SinkTally.of(dirs, tcpSyslog, webhook);
        }
        return tally.refresh();
    }

    /** Every record of every node's export file. */
    public List<JsonNode> fileExport() {
        List<JsonNode> all = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            all.addAll(new ExportedEvents(exportDir(i)).all());
        }
        return all;
    }

    public Set<String> fileIds() {
        return tally().ids(SinkTally.FILE);
    }

    public Set<String> syslogIds() {
        return tally().ids(SinkTally.SYSLOG);
    }

    public Set<String> webhookIds() {
        return tally().ids(SinkTally.WEBHOOK);
    }

    /** Whether the file export (of any node), syslog and the webhook each have every id of {@code ids}. */
    public boolean everySinkHas(Set<String> ids) {
        return tally().everySinkHas(ids);
    }

    /** Ids of the events of {@code type} about {@code userId} Keycloak committed (its own event store). */
    public Set<String> committed(String realm, String type, String userId) {
        return anyUp().admin().realm(realm).getEvents(List.of(type), null, userId, null, null, null, 0, 100_000)
                .stream().map(e -> e.getId()).collect(Collectors.toCollection(HashSet::new));
    }

    @Override
    public void close() {
        nodes.forEach(KeycloakServer::close);
        List<AutoCloseable> all = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {webhook, tcpSyslog, relpSyslog, mail}) {
            if (c != null) {
                all.add(c);
            }
        }
        all.addAll(extras);
        if (db != null) {
            all.add(db);
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    public static final class Builder {
        private final Path work;
        private final Function<Path, Database> database;
        private int nodes = 2;
        private boolean relp;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final Map<Integer, Duration> clockOffsets = new LinkedHashMap<>();
        private final List<BiConsumer<Integer, KeycloakServer.Builder>> perNode = new ArrayList<>();
        private final List<BiConsumer<KeycloakServer, Cluster>> afterFirstNode = new ArrayList<>();
        private final List<AutoCloseable> extras = new ArrayList<>();

        private Builder(Path work, Function<Path, Database> database) {
            this.work = work;
            this.database = database;
        }

        public Builder nodes(int count) {
            this.nodes = count;
            return this;
        }

        /** Syslog over RELP to a private rsyslogd (lossless) instead of plain TCP to a Java receiver. */
        public Builder relpSyslog() {
            this.relp = true;
            return this;
        }

        /** A server option of every node. */
        public Builder option(String name, String value) {
            options.put(name, value);
            return this;
        }

        /** Node {@code index}'s pipeline clock starts {@code offset} off the real one. */
        public Builder clockOffset(int index, Duration offset) {
            clockOffsets.put(index, offset);
            return this;
        }

        /** Changes the builder of each node (its index from 0) before it starts. */
        public Builder perNode(BiConsumer<Integer, KeycloakServer.Builder> customize) {
            perNode.add(customize);
            return this;
        }

        /** Runs once the first node is up and before the next starts (realms, directories). */
        public Builder afterFirstNode(BiConsumer<KeycloakServer, Cluster> setup) {
            afterFirstNode.add(setup);
            return this;
        }

        /** Something to close with the cluster (a directory server...). */
        public Builder closing(AutoCloseable extra) {
            extras.add(extra);
            return this;
        }

        public Cluster start() {
            return new Cluster(this);
        }
    }
}
