package io.governedrecovery.flow;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A condition of the governed flows: it only decides ({@code matchCondition}, and whether it needs the flow's user),
 * shows no page, sets up nothing for a user and holds nothing.
 */
public interface Condition extends ConditionalAuthenticator {

    @Override
    default void action(AuthenticationFlowContext context) {
        // A condition shows no page.
    }

    @Override
    default void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // Nothing to set up.
    }

    @Override
    default void close() {
        // Stateless.
    }
}
