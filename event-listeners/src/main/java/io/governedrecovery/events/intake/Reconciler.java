package io.governedrecovery.events.intake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.runtime.PipelineClock;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.privacy.Pseudonyms;

/**
 * Keycloak stores an event in its event store in the very transaction that commits it. The reconciler reads that store
 * (realms that use our listener and keep events) and writes every recovery event the outbox lacks: what a crash lost
 * between commit and outbox is exported after all, under the same id.
 *
 * <p>Its work is bounded: the first pass after a start looks back {@code reconcile-minutes}; later passes read only
 * from where the last one ended, page by event time rather than by offset, and stop after a fixed number of rows per
 * realm and kind; the next pass continues exactly there, and only a pass that reached the end lets the next one start a
 * margin before the newest event read (late commits). The read point follows the events read, never the local clock
 * ({@link StoreCursor}). A reconciler still catching up shows in {@code governed_recovery_reconciler_behind} and
 * {@code _reconciler_lag_seconds}.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int PAGE = 1000;
    private static final int MAX_ROWS_PER_PASS = 20_000;
    private static final long LATE_COMMIT_MARGIN_MILLIS = 120_000;

    private final Outbox outbox;
    private final RecordCodec codec;
    private final Enricher enricher;
    private final PipelineMetrics metrics;
    private final PipelineClock clock;
    private final Function<OutboxRecord, Collection<String>> sinksFor;
    /** Per realm and kind ("user"/"admin"): where the store was read up to. */
    private final StoreCursor cursor;
    private volatile boolean warnedBehind;

    public Reconciler(Outbox outbox, RecordCodec codec, Enricher enricher, PipelineMetrics metrics,
                      long lookbackMillis, PipelineClock clock, Function<OutboxRecord, Collection<String>> sinksFor) {
        this.outbox = outbox;
        this.codec = codec;
        this.enricher = enricher;
        this.metrics = metrics;
        this.clock = clock;
        this.sinksFor = sinksFor;
        this.cursor = new StoreCursor(PAGE, MAX_ROWS_PER_PASS, LATE_COMMIT_MARGIN_MILLIS, lookbackMillis);
        metrics.reconciler(() -> cursor.behind(), () -> cursor.lagMillis(clock.millis()) / 1000.0);
    }

    /** One pass over every realm; runs in {@code session} (a background session). */
    public synchronized void run(KeycloakSession session) {
        long now = clock.millis();
        int added = 0;
        Map<String, StoreCursor.Position> reached = new HashMap<>();
        for (RealmModel realm : session.realms().getRealmsStream().toList()) {
            if (!RecoveryEvents.listenerOn(realm)) {
                continue;
            }
            session.getContext().setRealm(realm);
            EventStoreProvider store = session.getProvider(EventStoreProvider.class);
            if (realm.isEventsEnabled()) {
                added += pass(session, realm.getId() + "/user", now, reached, (from, skip) -> store.createQuery()
                        .realm(realm.getId()).type(RecoveryEventSelection.USER_EVENTS.toArray(new EventType[0]))
                        .fromDate(from).orderByAscTime().firstResult(skip).maxResults(PAGE).getResultStream()
                        .map(e -> new StoreCursor.Stored(e.getTime(), EventSnapshots.of(e, pseudonyms(session))))
                        .toList());
            }
            if (realm.isAdminEventsEnabled()) {
                added += pass(session, realm.getId() + "/admin", now, reached, (from, skip) -> store.createAdminQuery()
                        .realm(realm.getId()).fromTime(from).orderByAscTime().firstResult(skip).maxResults(PAGE)
                        .getResultStream().map(e -> new StoreCursor.Stored(e.getTime(), relevant(session, e)))
                        .toList());
            }
        }
        int recovered = added;
        // The next pass starts where this one ended only once this pass's writes are committed.
        session.getTransactionManager().enlistAfterCompletion(new org.keycloak.models.AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                reached.forEach(cursor::advance);
                if (recovered > 0) {
                    metrics.written(recovered);
                    LOG.infof("Governed Recovery recovered %d committed events missing from the outbox", recovered);
                }
                int behind = cursor.behind();
                if (behind > 0 && !warnedBehind) {
                    warnedBehind = true;
                    LOG.warnf("Governed Recovery's reconciler reads more than %d stored events per pass and catches up "
                            + "over the next passes (governed_recovery_reconciler_behind, _lag_seconds)",
                            MAX_ROWS_PER_PASS);
                } else if (behind == 0 && warnedBehind) {
                    warnedBehind = false;
                    LOG.infof("Governed Recovery's reconciler has caught up with Keycloak's event store");
                }
            }

            @Override
            protected void rollbackImpl() {
                // read again next time
            }
        });
    }

    private static RecoveryEvent relevant(KeycloakSession session, AdminEvent e) {
        return RecoveryEventSelection.matters(e) ? EventSnapshots.of(e, pseudonyms(session)) : null;
    }

    /** Reads one realm's events of one kind from where the last pass stopped ({@link StoreCursor}). */
    private int pass(KeycloakSession session, String key, long now, Map<String, StoreCursor.Position> reached,
                     StoreCursor.Page page) {
        StoreCursor.Pass pass = cursor.pass(key, now, page, events -> write(session, events));
        metrics.rowsRead("reconciler", pass.read());
        if (!pass.reached().atEnd()) {
            metrics.reconcilerCapped();
        }
        reached.put(key, pass.reached());
        return pass.added();
    }

    private static EventSnapshots.Pseudonymizer pseudonyms(KeycloakSession session) {
        return (realmId, value) -> Pseudonyms.of(session, session.realms().getRealm(realmId), value);
    }

    private int write(KeycloakSession session, List<RecoveryEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        List<OutboxRecord> records = new ArrayList<>(events.size());
        for (RecoveryEvent e : events) {
            Enricher.Enriched enriched = seen.add(e.id()) ? enricher.keepAndEnrich(session, e) : null;
            if (enriched != null) {
                records.add(codec.record(enriched.event()));
            }
        }
        // In transactions of their own, which settle a conflict with the intake (or another node's reconciler)
        // writing the same ids at the same moment (Outbox.append): under load the two meet, and a conflict in the
        // pass's own transaction failed the whole pass. Its read point still moves only when the pass commits; a page
        // read again finds its records and skips them.
        return outbox.append(records, sinksFor);
    }

}
