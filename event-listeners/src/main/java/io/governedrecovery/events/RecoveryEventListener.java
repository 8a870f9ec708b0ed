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
 * session's transaction committed: a rolled-back step is never exported, and the request does no I/O here.
 */
final class RecoveryEventListener implements EventListenerProvider {

    private final KeycloakSession session;
    private final EventPipeline pipeline;
    private AfterCommit afterCommit;

    RecoveryEventListener(KeycloakSession session, EventPipeline pipeline) {
        this.session = session;
        this.pipeline = pipeline;
    }

    @Override
    public void onEvent(Event event) {
        if (RecoveryEventSelection.matters(event)) {
            pending().add(EventSnapshots.of(event));
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (RecoveryEventSelection.matters(event)) {
            pending().add(EventSnapshots.of(event));
        }
    }

    private List<RecoveryEvent> pending() {
        if (afterCommit == null) {
            afterCommit = new AfterCommit();
            session.getTransactionManager().enlistAfterCompletion(afterCommit);
        }
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
