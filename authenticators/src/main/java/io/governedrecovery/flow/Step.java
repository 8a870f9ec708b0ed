package io.governedrecovery.flow;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * An authenticator of the governed flows: each checks for itself whether the flow has a user (so a flow without one
 * ends as tampered rather than on Keycloak's error page), is configured for every account, sets up nothing for a user,
 * and holds nothing beyond its request.
 */
public interface Step extends Authenticator {

    @Override
    default boolean requiresUser() {
        return false;
    }

    @Override
    default boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    default void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // Nothing to set up: methods are registered elsewhere.
    }

    @Override
    default void close() {
        // Per request, or stateless.
    }
}
