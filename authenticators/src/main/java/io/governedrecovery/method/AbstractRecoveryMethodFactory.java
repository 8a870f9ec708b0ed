package io.governedrecovery.method;

import org.keycloak.models.KeycloakSession;

/**
 * The factory of a method that holds no state of its own (every method of the pack): one instance serves every
 * session, its id is the method's id, and {@code order} places it on the selection page.
 */
public abstract class AbstractRecoveryMethodFactory implements RecoveryMethodFactory {

    private final RecoveryMethod method;
    private final int order;

    protected AbstractRecoveryMethodFactory(RecoveryMethod method, int order) {
        this.method = method;
        this.order = order;
    }

    @Override
    public final String getId() {
        return method.id();
    }

    @Override
    public final int order() {
        return order;
    }

    @Override
    public final RecoveryMethod create(KeycloakSession session) {
        return method;
    }
}
