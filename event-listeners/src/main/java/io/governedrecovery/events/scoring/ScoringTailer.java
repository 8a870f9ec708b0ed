package io.governedrecovery.events.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.core.risk.Risk;
import io.governedrecovery.core.risk.ScorerSettings;
import io.governedrecovery.core.risk.Signal;
import io.governedrecovery.core.risk.SignalKind;
import io.governedrecovery.core.risk.SignalMapper;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.runtime.PipelineHooks;
import io.governedrecovery.events.runtime.PipelineClock;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.store.Baselines;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Every node reads the whole cluster's outbox and scores it in its own {@link AnomalyScorer}: so every node sees one
 * picture, and an attack split across nodes adds up. A finding's id is derived from the events, so the nodes that
 * raise it write one row between them.
 *
 * <p>Reading follows the database's sequence numbers, not any clock: each poll reads the rows numbered above the last
 * one seen; numbers passed without a row (a transaction still open, or rolled back) are kept as gaps and looked for
 * again until their rows appear (or for an hour). So each row is scored exactly once per node, whatever the nodes'
 * clocks and however late a commit lands.
 *
 * <p>On start a node replays what the rules need: every row of the last two hours (or of the longest short window),
 * then the method changes of the whole method-change window and the sign-ins and reset starts of the subnet history;
 * the department baselines come from the hourly counts every node keeps in the database. So every node and every
 * restart scores with the same picture.
 */
public final class ScoringTailer {

    private static final Logger LOG = Logger.getLogger(ScoringTailer.class);
    private static final int PAGE = 5000;
    private static final int MAX_PAGES_PER_ROUND = 10;
    private static final long GAP_MAX_AGE_NANOS = Duration.ofHours(1).toNanos();
    private static final long HOUR = 3_600_000L;
    private static final long SUBNET_HISTORY_MILLIS = Duration.ofDays(30).toMillis();
    private static final int BASELINE_HOURS = 24 * 8;
    private static final int MAX_PENDING_FINDINGS = 10_000;

    private final Outbox outbox;
    private final Baselines baselines;
    private final RecordCodec codec;
    private final PipelineMetrics metrics;
    private final AnomalyScorer scorer;
    static final int SKIP_AFTER = 5;
    private final RowFailures failures = new RowFailures(SKIP_AFTER);
    private final ScorerSettings settings;
    private final PipelineClock clock;
    private final PipelineHooks hooks;
    private final Function<OutboxRecord, Collection<String>> sinksFor;
    private final int replayMaxRows;
    private final SeqGaps gaps = new SeqGaps(GAP_MAX_AGE_NANOS);
    private final List<Finding> pending = new ArrayList<>();
    private final Map<List<Long>, Integer> departmentHours = new HashMap<>();
    private long cursor = -1;
    private long retryWritesAt = System.nanoTime();
    private long writeBackoff;
    private boolean writesFailing;
    private boolean readsFailing;
    private boolean backpressured;

    public ScoringTailer(Outbox outbox, Baselines baselines, RecordCodec codec, PipelineMetrics metrics,
                         ScorerSettings settings, int replayMaxRows, PipelineClock clock, PipelineHooks hooks,
                         Function<OutboxRecord, Collection<String>> sinksFor) {
        this.outbox = outbox;
        this.baselines = baselines;
        this.codec = codec;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.hooks = hooks;
        this.sinksFor = sinksFor;
        this.replayMaxRows = replayMaxRows;
        this.scorer = new AnomalyScorer(settings, pending::add, 1024,
                (department, hour, resets) -> departmentHours.merge(List.of(department, hour), resets, Math::max));
        metrics.scorer(this, t -> t.scorer.trackedKeys(), t -> t.scorer.evictedKeys(), t -> t.gaps.missing());
    }

    /** One round: start (replay) if not started yet, read what is new, look into gaps, write findings. */
    public synchronized boolean round() {
        if (pending.size() >= MAX_PENDING_FINDINGS) {
            // Back-pressure: findings wait for the database; read nothing new (the cursor stays, nothing is lost).
            if (!backpressured) {
                backpressured = true;
                LOG.warnf("Governed Recovery scoring pauses reading: %d findings wait to be written (the database "
                        + "refuses them); it resumes where it stopped once they are written", pending.size());
            }
            metrics.scorerPaused();
            writeFindings();
            return false;
        }
        if (backpressured) {
            backpressured = false;
            LOG.infof("Governed Recovery scoring reads again");
        }
        try {
            boolean more = read();
            if (readsFailing) {
                LOG.infof("Governed Recovery scoring reads the outbox again");
                readsFailing = false;
            }
            return more;
        } catch (RuntimeException e) {
            if (!readsFailing) {
                LOG.warnf("Governed Recovery scoring could not read the outbox (retrying quietly until it can): %s",
                        e.toString());
                readsFailing = true;
            }
            return false;
        } finally {
            writeFindings();
        }
    }

    private boolean read() {
        if (cursor < 0) {
            start();
        }
        boolean more = false;
        for (int page = 0; page < MAX_PAGES_PER_ROUND; page++) {
            List<OutboxRecord> rows = outbox.after(cursor, PAGE);
            metrics.rowsRead("scorer", rows.size());
            rows.forEach(this::take);
            if (rows.size() < PAGE) {
                break;
            }
            more = page == MAX_PAGES_PER_ROUND - 1;
        }
        long now = System.nanoTime();
        if (!gaps.isEmpty()) {
            List<OutboxRecord> late = outbox.inRanges(gaps.due(now, 50));
            metrics.rowsRead("scorer", late.size());
            late.forEach(this::take);
            long given = gaps.expire(now);
            if (given > 0) {
                LOG.debugf("Governed Recovery scoring stops waiting for %d sequence numbers passed an hour ago "
                        + "(transactions that rolled back)", given);
            }
        }
        scorer.expireRisk(clock.millis());
        return more;
    }

    /** Replays what the rules' windows need, then places the cursor where tailing starts. */
    private void start() {
        long now = clock.millis();
        long shortWindow = Math.max(2 * HOUR, Math.max(settings.failedResetWindow().toMillis(),
                settings.ipWindow().toMillis()));
        long currentHour = AnomalyScorer.hourOf(now);
        for (Baselines.Hour h : baselines.between(currentHour - BASELINE_HOURS, currentHour)) {
            scorer.seedDepartmentHour(h.department(), h.hour(), h.resets());
        }
        long first = outbox.firstSeqSince(now - shortWindow);
        long tailFrom = first < 0 ? outbox.maxSeq() : first - 1;
        long methodFrom = now - settings.methodChangeWindow().toMillis();
        long historyFrom = now - SUBNET_HISTORY_MILLIS;
        List<String> history = List.of(SignalKind.RESET_STARTED.name(), SignalKind.LOGIN.name());
        int replayed = 0;
        long after = 0;
        while (replayed < replayMaxRows) {
            List<OutboxRecord> rows = outbox.replay(after, tailFrom, SignalKind.METHOD_CHANGED.name(), methodFrom,
                    history, historyFrom, Math.min(PAGE, replayMaxRows - replayed));
            for (OutboxRecord row : rows) {
                score(row);
                after = row.seq();
            }
            replayed += rows.size();
            metrics.rowsRead("scorer", rows.size());
            if (rows.size() < PAGE) {
                break;
            }
        }
        if (replayed >= replayMaxRows && replayMaxRows > 0) {
            LOG.warnf("Governed Recovery scoring replayed its limit of %d older rows ('replay-max-rows'); the rules' "
                    + "longest windows may start incomplete on this node", replayMaxRows);
        }
        metrics.replayed(replayed);
        cursor = tailFrom;
        // Findings raised by the replay were written before (same ids): writing them again adds nothing.
        LOG.infof("Governed Recovery scoring started: replayed %d older rows for the long windows, reads on from "
                + "sequence number %d", replayed, tailFrom);
    }

    /**
     * Takes one row read from the outbox, noting numbers it skipped; each row counts once. A row whose scoring throws is
     * read again in the next round (the cause may pass); one that fails {@value #SKIP_AFTER} times in a row is given
     * up, logged with its id and counted, so that one bad record cannot stop every later one from being scored.
     */
    private void take(OutboxRecord row) {
        long seq = row.seq();
        boolean fresh = seq > cursor;
        if (!fresh && !gaps.contains(seq)) {
            return; // seen already
        }
        if (row.kind() != OutboxRecord.Kind.FINDING) {
            try {
                score(row);
                failures.succeeded();
            } catch (RuntimeException e) {
                if (!failures.failedAndGiveUp(seq)) {
                    throw e;
                }
                LOG.errorf("Governed Recovery scoring gives up on record %s (%s, outbox row %d) after %d failures in a "
                        + "row; it is still exported, only not scored: %s", row.id(), row.type(), seq, SKIP_AFTER,
                        e.toString());
                metrics.scorerSkipped();
            }
        }
        if (fresh) {
            gaps.add(cursor + 1, seq - 1, System.nanoTime());
            cursor = seq;
        } else {
            gaps.fill(seq);
        }
        metrics.scored();
    }

    private void score(OutboxRecord row) {
        RecoveryEvent event;
        try {
            event = codec.event(row);
        } catch (RuntimeException unreadable) {
            LOG.debugf("Governed Recovery scoring skips unreadable record %s: %s", row.id(), unreadable);
            return;
        }
        hooks.handling("scorer", event);
        Signal signal = SignalMapper.map(event);
        if (signal != null) {
            scorer.observe(signal, event);
        }
    }

    /** Writes new findings and department counts; on failure keeps them and tries again with back-off. */
    private void writeFindings() {
        if (pending.isEmpty() && departmentHours.isEmpty() || System.nanoTime() - retryWritesAt < 0) {
            return;
        }
        try {
            if (!pending.isEmpty()) {
                List<OutboxRecord> records = pending.stream().map(codec::record).toList();
                int added = outbox.append(records, sinksFor);
                if (added > 0) {
                    // Count each new finding once cluster-wide: only the node that wrote it counts it.
                    pending.stream().limit(added).forEach(f -> metrics.finding(f.rule()));
                    metrics.written(added);
                }
                pending.clear();
            }
            if (!departmentHours.isEmpty()) {
                baselines.raise(departmentHours);
                departmentHours.clear();
            }
            if (writesFailing) {
                LOG.infof("Governed Recovery writes findings again");
            }
            writesFailing = false;
            writeBackoff = 0;
        } catch (RuntimeException e) {
            metrics.writeFailed();
            writeBackoff = Math.min(30_000, writeBackoff == 0 ? 500 : writeBackoff * 2);
            retryWritesAt = System.nanoTime() + writeBackoff * 1_000_000L;
            if (!writesFailing) {
                LOG.warnf("Governed Recovery could not write %d findings, retrying with back-off: %s", pending.size(),
                        e.toString());
                writesFailing = true;
            }
        }
    }

    /** The current risk of an account and an address; callable from any thread. */
    public Risk risk(long account, long address) {
        return scorer.risk(account, address, clock.millis());
    }

    public long observed() {
        return scorer.observed();
    }
}
