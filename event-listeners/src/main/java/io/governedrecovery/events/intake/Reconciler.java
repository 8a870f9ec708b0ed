package io.governedrecovery.events.intake;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.EventSnapshots;
import io.governedrecovery.events.RecoveryEventListenerFactory;
import io.governedrecovery.events.RecoveryEventSelection;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.pipeline.PipelineMetrics;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.privacy.Pseudonyms;

/**
 * Keycloak stores an event in its event store in the very transaction that commits it. The reconciler reads the
 * recent past of that store (realms that use our listener and keep events) and writes every recovery event the
 * outbox lacks: what a crash lost between commit and outbox is exported after all, under the same id.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int PAGE = 1000;

    private final Outbox outbox;
    private final RecordCodec codec;
    private final Enricher enricher;
    private final PipelineMetrics metrics;
    private final long lookbackMillis;

    public Reconciler(Outbox outbox, RecordCodec codec, Enricher enricher, PipelineMetrics metrics,
                      long lookbackMillis) {
        this.outbox = outbox;
        this.codec = codec;
        this.enricher = enricher;
        this.metrics = metrics;
        this.lookbackMillis = lookbackMillis;
    }

    /** One pass over every realm; runs in {@code session} (a background session). */
    public void run(KeycloakSession session) {
        long from = System.currentTimeMillis() - lookbackMillis;
        int added = 0;
        for (RealmModel realm : session.realms().getRealmsStream().toList()) {
            if (!realm.getEventsListenersStream().anyMatch(RecoveryEventListenerFactory.PROVIDER_ID::equals)) {
                continue;
            }
            session.getContext().setRealm(realm);
            EventStoreProvider store = session.getProvider(EventStoreProvider.class);
            if (realm.isEventsEnabled()) {
                added += users(session, store, realm, from);
            }
            if (realm.isAdminEventsEnabled()) {
                added += admins(session, store, realm, from);
            }
        }
        if (added > 0) {
            metrics.written(added);
            LOG.infof("Governed Recovery recovered %d committed events missing from the outbox", added);
        }
    }

    private int users(KeycloakSession session, EventStoreProvider store, RealmModel realm, long from) {
        int added = 0;
        for (int first = 0; ; first += PAGE) {
            List<RecoveryEvent> page = store.createQuery().realm(realm.getId())
                    .type(RecoveryEventSelection.USER_EVENTS.toArray(new EventType[0])).fromDate(from)
                    .orderByAscTime().firstResult(first).maxResults(PAGE).getResultStream()
                    .map(e -> EventSnapshots.of(e, pseudonyms(session))).toList();
            added += write(session, page);
            if (page.size() < PAGE) {
                return added;
            }
        }
    }

    private int admins(KeycloakSession session, EventStoreProvider store, RealmModel realm, long from) {
        int added = 0;
        for (int first = 0; ; first += PAGE) {
            List<RecoveryEvent> page = store.createAdminQuery().realm(realm.getId()).fromTime(from)
                    .orderByAscTime().firstResult(first).maxResults(PAGE).getResultStream()
                    .filter(RecoveryEventSelection::matters)
                    .map(e -> EventSnapshots.of(e, pseudonyms(session))).toList();
            added += write(session, page);
            if (page.size() < PAGE) {
                return added;
            }
        }
    }

    private static EventSnapshots.Pseudonymizer pseudonyms(KeycloakSession session) {
        return (realmId, value) -> Pseudonyms.of(session, session.realms().getRealm(realmId), value);
    }

    private int write(KeycloakSession session, List<RecoveryEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        List<OutboxRecord> records = new ArrayList<>(events.size());
        for (RecoveryEvent e : events) {
            if (enricher.keep(session, e)) {
                records.add(codec.record(enricher.enrich(session, e)));
            }
        }
        return outbox.insertAbsent(records);
    }
}
