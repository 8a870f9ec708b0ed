package io.governedrecovery.spi;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * A provider factory of the pack that reads no server option, starts nothing and holds nothing: Keycloak's three
 * lifecycle calls do nothing. A factory that has options or workers overrides the call it needs.
 *
 * @param <T> the provider the factory creates
 */
public interface StatelessFactory<T extends Provider> extends ProviderFactory<T> {

    @Override
    default void init(Config.Scope config) {
        // No server options.
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
        // Nothing to start.
    }

    @Override
    default void close() {
        // Nothing held.
    }
}
