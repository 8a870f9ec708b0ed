package io.governedrecovery.delivery;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/** Per-session delivery: remembers messages and hands them to the factory's workers once the session commits. */
final class DefaultRecoveryDelivery implements RecoveryDelivery {

    private final KeycloakSession session;
    private final DefaultRecoveryDeliveryFactory workers;
    private AfterCommit pending;

    DefaultRecoveryDelivery(KeycloakSession session, DefaultRecoveryDeliveryFactory workers) {
        this.session = session;
        this.workers = workers;
    }

    @Override
    public void afterCommit(OutboundMessage message) {
        if (pending == null) {
            pending = new AfterCommit();
            session.getTransactionManager().enlistAfterCompletion(pending);
        }
        pending.messages.add(message);
    }

    @Override
    public void close() {
        // Messages leave with the transaction.
    }

    private final class AfterCommit extends AbstractKeycloakTransaction {
        private final List<OutboundMessage> messages = new ArrayList<>(2);

        @Override
        protected void commitImpl() {
            messages.forEach(workers::submit);
            messages.clear();
        }

        @Override
        protected void rollbackImpl() {
            messages.clear();
        }
    }
}
