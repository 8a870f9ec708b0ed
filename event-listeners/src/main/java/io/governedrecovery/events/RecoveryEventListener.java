package io.governedrecovery.events;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.intake.EventSnapshots;
import io.governedrecovery.events.intake.RecoveryEventSelection;
import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.privacy.Pseudonyms;

/**
 * Per-session listener. It snapshots the events that matter to recovery and hands them to the pipeline only after the
 * session's transaction committed: a rolled-back step is never exported, and the request does no I/O here.
 */
final class RecoveryEventListener implements EventListenerProvider {

    private final EventPipeline pipeline;
    private final EventSnapshots.Pseudonymizer pseudonyms;
    private final AfterCommit afterCommit = new AfterCommit();

    /** Joins the session's transaction at once, as Keycloak's own after-commit listeners do. */
    RecoveryEventListener(KeycloakSession session, EventPipeline pipeline) {
        this.pipeline = pipeline;
        this.pseudonyms = (realmId, value) -> Pseudonyms.of(session, session.realms().getRealm(realmId), value);
        session.getTransactionManager().enlistAfterCompletion(afterCommit);
    }

    @Override
    public void onEvent(Event event) {
        if (RecoveryEventSelection.matters(event)) {
            pending().add(EventSnapshots.of(event, pseudonyms));
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (RecoveryEventSelection.matters(event)) {
            pending().add(EventSnapshots.of(event, pseudonyms));
        }
    }

    private List<RecoveryEvent> pending() {
        return afterCommit.events;
    }

    @Override
    public void close() {
        // Nothing held beyond the transaction.
    }

    private final class AfterCommit extends AbstractKeycloakTransaction {

        private final List<RecoveryEvent> events = new ArrayList<>(4);

        @Override
        protected void commitImpl() {
            events.forEach(pipeline::offer);
            events.clear();
        }

        @Override
        protected void rollbackImpl() {
            events.clear();
        }
    }
}
