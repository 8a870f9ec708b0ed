package io.governedrecovery.method;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;

/** Factory of a {@link RecoveryMethod}; its id is the method id. */
public interface RecoveryMethodFactory extends ProviderFactory<RecoveryMethod> {

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
