package io.governedrecovery.events.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
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
import io.governedrecovery.events.export.SinkRunner;
import io.governedrecovery.events.intake.Enricher;
import io.governedrecovery.events.intake.Intake;
import io.governedrecovery.events.intake.Reconciler;
import io.governedrecovery.events.scoring.ScoringTailer;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.sink.file.JsonLinesFileSink;
import io.governedrecovery.events.sink.notice.NoticeSink;
import io.governedrecovery.events.sink.syslog.SyslogSink;
import io.governedrecovery.events.sink.webhook.WebhookSink;
import io.governedrecovery.events.store.Outbox;

/**
 * The recovery event pipeline of one node, owned by the listener factory:
 * <pre>
 *  request thread: onEvent -> (after commit) -> Intake.offer          [bounded queue, never blocks]
 *  intake worker:  batch -> enrich -> outbox (Keycloak's database)     [shared by all nodes]
 *  scorer:         outbox tail -> AnomalyScorer -> findings -> outbox  [every node, whole cluster]
 *  sinks:          outbox -> file / syslog / webhook / notices          [one node per sink, leased]
 *  reconciler:     Keycloak event store -> missing rows -> outbox      [after a crash]
 * </pre>
 */
public final class EventPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);
    private static final long RECONCILE_EVERY_MILLIS = 60_000;
    private static final long CLEANUP_EVERY_MILLIS = 3_600_000;

    private final PipelineSettings settings;
    private final PipelineClock clock;
    private volatile long nextCleanupAt;
    private final String node = "node-" + UUID.randomUUID();
    private final Intake intake;
    private final PipelineMetrics metrics;
    private final ScoringTailer tailer;
    private final Reconciler reconciler;
    private final Outbox outbox;
    private final List<SinkRunner> sinks = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Thread intakeThread;

    public EventPipeline(PipelineSettings settings, KeycloakSessionFactory sessions) {
        this.settings = settings;
        this.clock = PipelineClock.withOffsetFile(settings.faultClockOffsetFile());
        FaultInjection faults = new FaultInjection(settings.faultHoldCommitUser(), settings.faultHoldCommit().toMillis(),
                settings.faultErrorUser());
        this.outbox = new Outbox(sessions, clock);
        ObjectMapper json = new ObjectMapper();
        RecordCodec codec = new RecordCodec(json);
        OcsfRecords ocsf = new OcsfRecords(codec, version());
        Enricher enricher = new Enricher(settings.departmentAttribute(), settings.departmentGroup());
        Intake[] holder = new Intake[1];
        this.metrics = PipelineMetrics.global(() -> holder[0] == null ? 0 : holder[0].depth());
        this.intake = new Intake(settings.queueCapacity(), settings.batchSize(), sessions, outbox, codec, enricher,
                metrics, settings.faultIntakePause().toMillis(), faults);
        holder[0] = intake;
        this.tailer = new ScoringTailer(outbox, codec, metrics, settings.scorer(), settings.overlap().toMillis(),
                clock.millis() - settings.replay().toMillis(), settings.replayMaxRows(), clock, faults);
        this.reconciler = new Reconciler(outbox, codec, enricher, metrics, settings.reconcileLookback().toMillis(),
                clock);
        try {
            for (EventSink sink : sinks(settings, ocsf, json)) {
                sinks.add(new SinkRunner(sink, outbox, metrics, node, settings.lease().toMillis(),
                        settings.overlap().toMillis(), settings.batchSize(), faults, codec));
            }
            // Always on: administrators' notices of privileged resets and break-glass use, from committed events.
            sinks.add(new SinkRunner(new NoticeSink(sessions, codec), outbox, metrics, node, settings.lease().toMillis(),
                    settings.overlap().toMillis(), settings.batchSize(), faults, codec));
        } catch (IOException e) {
            throw new UncheckedIOException("Governed Recovery cannot open export directory " + settings.exportDir(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2 + sinks.size(), runnable -> {
            Thread thread = new Thread(runnable, "governed-recovery-pipeline-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.intakeThread = new Thread(intake, "governed-recovery-intake");
        this.intakeThread.setDaemon(true);
    }

    private static List<EventSink> sinks(PipelineSettings s, OcsfRecords ocsf, ObjectMapper json) throws IOException {
        List<EventSink> sinks = new ArrayList<>();
        if (s.fileEnabled()) {
            sinks.add(new JsonLinesFileSink(s.exportDir(), s.fileMaxBytes(), s.fileKeep(), ocsf));
        }
        if (s.syslogEnabled()) {
            sinks.add(new SyslogSink(s.syslogHost(), s.syslogPort(), s.syslogTls(), s.syslogAppName(),
                    (int) s.sinkTimeout().toMillis(), ocsf));
        }
        if (s.webhookEnabled()) {
            sinks.add(new WebhookSink(s.webhookUrl(), s.webhookSecret(), s.sinkTimeout(), ocsf, json));
        }
        return sinks;
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
                scheduler.scheduleWithFixedDelay(tailer, poll, poll, TimeUnit.MILLISECONDS);
                for (SinkRunner sink : sinks) {
                    scheduler.scheduleWithFixedDelay(sink, poll, poll, TimeUnit.MILLISECONDS);
                }
                // After a crash this node recovers what it lost, before the cluster-wide pass comes round.
                scheduler.schedule(() -> reconcile(sessions), 2, TimeUnit.SECONDS);
                try (KeycloakSession session = sessions.create()) {
                    TimerProvider timer = session.getProvider(TimerProvider.class);
                    timer.schedule(new ClusterAwareScheduledTaskRunner(sessions, reconciler::run,
                            RECONCILE_EVERY_MILLIS), RECONCILE_EVERY_MILLIS, "governed-recovery-reconcile");
                }
                // Retention runs hourly by the pipeline clock, checked every few seconds (a clock that jumps ahead in
                // a test runs it at once).
                nextCleanupAt = clock.millis() + CLEANUP_EVERY_MILLIS;
                scheduler.scheduleWithFixedDelay(this::cleanupIfDue, 5, 5, TimeUnit.SECONDS);
            }
        });
        LOG.infof("Governed Recovery event pipeline started on %s: sinks %s, file export in %s", node,
                sinks.stream().map(SinkRunner::name).toList(), settings.exportDir());
    }

    private void cleanupIfDue() {
        try {
            long now = clock.millis();
            if (now >= nextCleanupAt) {
                nextCleanupAt = now + CLEANUP_EVERY_MILLIS;
                int removed = outbox.deleteOlderThan(now - settings.retention().toMillis());
                LOG.debugf("Governed Recovery removed %d outbox rows past retention", removed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Governed Recovery could not remove old outbox rows: %s", e.toString());
        }
    }

    private void reconcile(KeycloakSessionFactory sessions) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, reconciler::run);
        } catch (RuntimeException e) {
            LOG.warnf("Governed Recovery could not check Keycloak's event store for missed events: %s", e.toString());
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
