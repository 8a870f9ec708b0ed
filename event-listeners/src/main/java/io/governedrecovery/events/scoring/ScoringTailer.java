package io.governedrecovery.events.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.core.risk.Risk;
import io.governedrecovery.core.risk.ScorerSettings;
import io.governedrecovery.core.risk.Signal;
import io.governedrecovery.core.risk.SignalMapper;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.pipeline.PipelineMetrics;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Every node reads the whole cluster's outbox and scores it in its own {@link AnomalyScorer}: so every node sees one
 * picture, and an attack split across nodes adds up. A finding's id is derived from the events, so the nodes that
 * raise it write one row between them. On start a node replays the recent outbox to rebuild its windows.
 */
public final class ScoringTailer implements Runnable {

    private static final Logger LOG = Logger.getLogger(ScoringTailer.class);
    private static final int PAGE = 5000;

    private final Outbox outbox;
    private final RecordCodec codec;
    private final PipelineMetrics metrics;
    private final AnomalyScorer scorer;
    private final long overlapMillis;
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private long watermark;
    private long replayBudget;
    private final List<Finding> pending = new ArrayList<>();
    private boolean failing;
    private final io.governedrecovery.events.pipeline.PipelineClock clock;
    private final io.governedrecovery.events.pipeline.FaultInjection faults;

    public ScoringTailer(Outbox outbox, RecordCodec codec, PipelineMetrics metrics, ScorerSettings settings,
                         long overlapMillis, long replayFrom, int replayMaxRows,
                         io.governedrecovery.events.pipeline.PipelineClock clock,
                         io.governedrecovery.events.pipeline.FaultInjection faults) {
        this.clock = clock;
        this.faults = faults;
        this.outbox = outbox;
        this.codec = codec;
        this.metrics = metrics;
        this.overlapMillis = overlapMillis;
        this.scorer = new AnomalyScorer(settings, pending::add);
        metrics.scorer(scorer::trackedKeys, scorer::evictedKeys);
        this.watermark = replayFrom;
        this.replayBudget = replayMaxRows;
    }

    @Override
    public synchronized void run() {
        try {
            while (true) {
                List<OutboxRecord> rows = outbox.unseen(Math.max(0, watermark - overlapMillis), seen::containsKey,
                        PAGE, PAGE);
                metrics.rowsRead("scorer", outbox.lastRowsRead());
                for (OutboxRecord row : rows) {
                    seen.put(row.id(), row.insertedAt());
                    watermark = Math.max(watermark, row.insertedAt());
                    if (row.kind() != OutboxRecord.Kind.FINDING) {
                        score(row);
                    }
                }
                flushFindings();
                prune();
                replayBudget -= rows.size();
                if (rows.size() < PAGE || replayBudget <= 0) {
                    break;
                }
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("Governed Recovery scoring could not read the outbox (retrying quietly until it can): %s",
                        e.toString());
                failing = true;
            }
        }
    }

    private void score(OutboxRecord row) {
        RecoveryEvent event = codec.event(row);
        faults.maybeFail("scorer", event);
        Signal signal = SignalMapper.map(event);
        if (signal != null) {
            scorer.observe(signal, event);
        }
    }

    private void flushFindings() {
        if (pending.isEmpty()) {
            return;
        }
        List<OutboxRecord> records = pending.stream().map(codec::record).toList();
        int added = outbox.insertAbsent(records);
        if (added > 0) {
            // Count each new finding once cluster-wide: only the node that wrote it counts it.
            pending.stream().limit(added).forEach(f -> metrics.finding(f.rule()));
        }
        pending.clear();
    }

    private void prune() {
        long before = watermark - overlapMillis;
        seen.values().removeIf(at -> at < before);
        scorer.expireRisk(clock.millis());
    }

    /** The current risk of an account and an address; callable from any thread. */
    public Risk risk(long account, long address) {
        return scorer.risk(account, address, clock.millis());
    }

    public long observed() {
        return scorer.observed();
    }
}
