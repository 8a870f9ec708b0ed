package io.governedrecovery.delivery;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/**
 * Per-session delivery: remembers messages and hands them to the factory's workers once the session commits. It joins
 * the session's transaction when it is created, as Keycloak's own after-commit listeners do, so that work settled in
 * the transaction's prepare phase (a contact change) can still queue messages.
 */
final class DefaultRecoveryDelivery implements RecoveryDelivery {

    private final DefaultRecoveryDeliveryFactory workers;
    private final AfterCommit pending = new AfterCommit();

    DefaultRecoveryDelivery(KeycloakSession session, DefaultRecoveryDeliveryFactory workers) {
        this.workers = workers;
        session.getTransactionManager().enlistAfterCompletion(pending);
    }

    @Override
    public void afterCommit(OutboundMessage message) {
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
