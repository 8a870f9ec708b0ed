package io.governedrecovery.events.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import org.apache.http.impl.client.CloseableHttpClient;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.Risk;
import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.intake.Enricher;
import io.governedrecovery.events.intake.Intake;
import io.governedrecovery.events.intake.Reconciler;
import io.governedrecovery.events.runtime.PipelineHooks;
import io.governedrecovery.events.runtime.PipelineClock;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.scoring.ScoringTailer;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.sink.SinkRunner;
import io.governedrecovery.events.sink.file.JsonLinesFileSink;
import io.governedrecovery.events.sink.notice.NoticeSink;
import io.governedrecovery.events.sink.relp.RelpSink;
import io.governedrecovery.events.sink.syslog.SyslogMessages;
import io.governedrecovery.events.sink.syslog.SyslogSink;
import io.governedrecovery.events.sink.webhook.WebhookSink;
import io.governedrecovery.events.store.Baselines;
import io.governedrecovery.events.store.Leases;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * The recovery event pipeline of one node, owned by the listener factory:
 * <pre>
 *  request thread: onEvent -> (after commit) -> Intake.offer           [bounded queue, never blocks]
 *  intake worker:  batch -> enrich -> records + one pending row per sink [one transaction, Keycloak's database]
 *  scorer:         records by sequence number -> AnomalyScorer -> findings (+ pending rows) [every node]
 *  sinks:          pending rows -> file / syslog / webhook / notices     [one node per sink, fenced lease]
 *  reconciler:     Keycloak event store -> missing records               [after a crash]
 *  housekeeping:   backlog gauges and alarms, retention of delivered records
 * </pre>
 * Every worker runs supervised ({@link SupervisedWorker}): whatever it throws is logged and it resumes after a
 * back-off.
 */
public final class EventPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);
    private static final long RECONCILE_EVERY_MILLIS = 60_000;

    private final PipelineSettings settings;
    private final PipelineClock clock;
    private final PipelineHooks hooks;
    private final String node = "node-" + UUID.randomUUID();
    private final Intake intake;
    private final PipelineMetrics metrics;
    private final ScoringTailer tailer;
    private final Reconciler reconciler;
    private final Outbox outbox;
    private final Housekeeping housekeeping;
    private final List<SinkRunner> sinks = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService leaseKeeper;
    private final Thread intakeThread;
    private final SupervisedWorker reconcilerWorker;
    private volatile CloseableHttpClient httpClient;

    public EventPipeline(PipelineSettings settings, KeycloakSessionFactory sessions) {
        this.settings = settings;
        this.hooks = PipelineHooks.load();
        if (hooks != PipelineHooks.NONE) {
            LOG.warnf("Governed Recovery's event pipeline runs with test hooks (%s): for tests and benchmarks only, "
                    + "never in production (remove the JAR that provides them)", hooks.getClass().getName());
        }
        this.clock = PipelineClock.of(hooks);
        this.outbox = new Outbox(sessions, clock);
        Leases leases = new Leases(sessions);
        Baselines baselines = new Baselines(sessions);
        ObjectMapper json = new ObjectMapper();
        RecordCodec codec = new RecordCodec(json);
        OcsfRecords ocsf = new OcsfRecords(codec, version());
        Intake[] holder = new Intake[1];
        this.metrics = PipelineMetrics.global(() -> holder[0] == null ? 0 : holder[0].depth());
        Enricher enricher = new Enricher(settings.departmentAttribute(), settings.departmentGroup(),
                metrics::unenriched);
        try {
            for (EventSink sink : sinks(settings, ocsf, sessions)) {
                sinks.add(new SinkRunner(sink, outbox, leases, metrics, node, settings.lease().toMillis(),
                        settings.batchSize(), settings.batchMaxBytes(), settings.deadLetterAfter(),
                        settings.retryMax().toMillis(), hooks, codec));
            }
            // Always on: administrators' notices of privileged resets and break-glass use, from committed events.
            sinks.add(new SinkRunner(new NoticeSink(codec, clock::millis), outbox, leases, metrics, node,
                    settings.lease().toMillis(), settings.batchSize(), settings.batchMaxBytes(),
                    settings.deadLetterAfter(), settings.retryMax().toMillis(), hooks, codec));
        } catch (IOException e) {
            throw new UncheckedIOException("Governed Recovery cannot open export directory " + settings.exportDir(), e);
        }
        this.intake = new Intake(settings.queueCapacity(), settings.batchSize(), sessions, outbox, codec, enricher,
                metrics, hooks, this::sinksFor);
        holder[0] = intake;
        this.tailer = new ScoringTailer(outbox, baselines, codec, metrics, settings.scorer(), settings.replayMaxRows(),
                clock, hooks, this::sinksFor);
        this.reconciler = new Reconciler(outbox, codec, enricher, metrics, settings.reconcileLookback().toMillis(),
                clock, this::sinksFor);
        this.housekeeping = new Housekeeping(sessions, outbox, baselines, metrics, clock,
                sinks.stream().map(SinkRunner::name).toList(), settings.retention(), settings.backlogAlarm());
        for (SinkRunner sink : sinks) {
            metrics.sink(sink.name(), clock, sink::leaseHeld);
        }
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(3 + sinks.size(), runnable -> {
            Thread thread = new Thread(runnable, "governed-recovery-pipeline-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "governed-recovery-leases");
            thread.setDaemon(true);
            return thread;
        });
        this.reconcilerWorker = new SupervisedWorker("reconciler", () -> false, metrics);
        SupervisedWorker intakeWorker = new SupervisedWorker("intake", intake::round, metrics);
        this.intakeThread = new Thread(() -> intake.loop(intakeWorker::runOnce), "governed-recovery-intake");
        this.intakeThread.setDaemon(true);
    }

    private List<EventSink> sinks(PipelineSettings s, OcsfRecords ocsf, KeycloakSessionFactory sessions)
            throws IOException {
        List<EventSink> list = new ArrayList<>();
        if (s.fileEnabled()) {
            list.add(new JsonLinesFileSink(s.exportDir(), s.fileMaxBytes(), s.fileKeep(), ocsf));
        }
        if (s.syslogEnabled()) {
            SyslogMessages messages = new SyslogMessages(s.syslogAppName(), ocsf);
            int timeout = (int) s.sinkTimeout().toMillis();
            if (s.syslogProtocol() == PipelineSettings.SyslogProtocol.RELP) {
                list.add(new RelpSink(s.syslogHost(), s.syslogPort(), s.syslogTls() ? tlsContext() : null, timeout,
                        messages));
            } else {
                list.add(new SyslogSink(s.syslogHost(), s.syslogPort(),
                        s.syslogTls() ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null, timeout, messages));
            }
        }
        if (s.webhookEnabled()) {
            list.add(new WebhookSink(s.webhookUrl(), s.webhookSecret(), s.sinkTimeout(), ocsf,
                    () -> httpClient(sessions), clock::millis));
        }
        return list;
    }

    /** Keycloak's outgoing HTTP client (truststore, proxies, no redirects), fetched once from a session. */
    private CloseableHttpClient httpClient(KeycloakSessionFactory sessions) {
        CloseableHttpClient client = httpClient;
        if (client == null) {
            try (KeycloakSession session = sessions.create()) {
                client = session.getProvider(HttpClientProvider.class).getHttpClient();
            }
            httpClient = client;
        }
        return client;
    }

    /** The JVM's default TLS context: the one Keycloak's truststore options configure. */
    private static SSLContext tlsContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Governed Recovery cannot set up TLS for syslog: " + e, e);
        }
    }

    /** The sinks a record is written for: every sink that wants it (this node's sinks; configure all nodes alike). */
    private Collection<String> sinksFor(OutboxRecord record) {
        List<String> names = new ArrayList<>(sinks.size());
        for (SinkRunner sink : sinks) {
            if (sink.sink().wants(record)) {
                names.add(sink.name());
            }
        }
        return names;
    }

    /**
     * Starts the workers once Keycloak has migrated its database (our tables come with that migration). Events that
     * arrive before wait in the intake queue.
     */
    public void start(KeycloakSessionFactory sessions) {
        sessions.register(event -> {
            if (event instanceof PostMigrationEvent) {
                intakeThread.start();
                long poll = settings.poll().toMillis();
                scheduler.scheduleWithFixedDelay(new SupervisedWorker("scorer", tailer::round, metrics), poll, poll,
                        TimeUnit.MILLISECONDS);
                for (SinkRunner sink : sinks) {
                    scheduler.scheduleWithFixedDelay(new SupervisedWorker(sink.name(), sink::round, metrics), poll,
                            poll, TimeUnit.MILLISECONDS);
                }
                long renew = Math.max(500, settings.lease().toMillis() / 3);
                leaseKeeper.scheduleWithFixedDelay(new SupervisedWorker("leases", () -> {
                    sinks.forEach(SinkRunner::renewLease);
                    return false;
                }, metrics), renew, renew, TimeUnit.MILLISECONDS);
                scheduler.scheduleWithFixedDelay(new SupervisedWorker("housekeeping", housekeeping::round, metrics),
                        1, 5, TimeUnit.SECONDS);
                // After a crash this node recovers what it lost, before the cluster-wide pass comes round.
                scheduler.schedule(() -> reconcilerWorker.runOnce(() -> {
                    KeycloakModelUtils.runJobInTransaction(sessions, reconciler::run);
                    return false;
                }), 2, TimeUnit.SECONDS);
                hooks.started(scheduler, intake::offer);
                try (KeycloakSession session = sessions.create()) {
                    TimerProvider timer = session.getProvider(TimerProvider.class);
                    timer.schedule(new ClusterAwareScheduledTaskRunner(sessions, this::reconcile,
                            RECONCILE_EVERY_MILLIS), RECONCILE_EVERY_MILLIS, "governed-recovery-reconcile");
                }
            }
        });
        LOG.infof("Governed Recovery event pipeline started on %s: sinks %s%s, file export in %s", node,
                sinks.stream().map(SinkRunner::name).toList(),
                settings.syslogEnabled() ? " (syslog over " + settings.syslogProtocol() + ")" : "",
                settings.exportDir());
    }

    /** The cluster-wide pass (one node a minute), supervised like every worker: an Error is logged, not lost. */
    private void reconcile(KeycloakSession session) {
        boolean[] done = {false};
        reconcilerWorker.runOnce(() -> {
            reconciler.run(session);
            done[0] = true;
            return false;
        });
        if (!done[0]) {
            session.getTransactionManager().setRollbackOnly(); // failed or backing off: write nothing half-read
        }
    }

    public void offer(RecoveryEvent event) {
        intake.offer(event);
    }

    public Risk risk(long account, long address) {
        return tailer.risk(account, address);
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        intake.stop();
        try {
            intakeThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leaseKeeper.shutdownNow();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        sinks.forEach(SinkRunner::close);
    }

    private static String version() {
        try (InputStream in = EventPipeline.class.getResourceAsStream("/META-INF/governed-recovery-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
