package io.governedrecovery.events;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.pipeline.EventPipeline;

/**
 * Per-session listener. It snapshots the events that matter to recovery and hands them to the pipeline only after the
 * session's transaction has committed, so a rolled-back step is never exported and no I/O happens on the request.
 */
final class RecoveryEventListener implements EventListenerProvider {

    private final EventPipeline pipeline;
    private final AfterCommit afterCommit = new AfterCommit();

    RecoveryEventListener(KeycloakSession session, EventPipeline pipeline) {
        this.pipeline = pipeline;
        session.getTransactionManager().enlistAfterCompletion(afterCommit);
    }

    @Override
    public void onEvent(Event event) {
        if (RecoveryEventSelection.matters(event)) {
            afterCommit.pending.add(EventSnapshots.of(event));
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (RecoveryEventSelection.matters(event)) {
            afterCommit.pending.add(EventSnapshots.of(event));
        }
    }

    @Override
    public void close() {
        // Nothing held beyond the transaction.
    }

    private final class AfterCommit extends AbstractKeycloakTransaction {

        private final List<RecoveryEvent> pending = new ArrayList<>(4);

        @Override
        protected void commitImpl() {
            pending.forEach(pipeline::submit);
            pending.clear();
        }

        @Override
        protected void rollbackImpl() {
            pending.clear();
        }
    }
}
