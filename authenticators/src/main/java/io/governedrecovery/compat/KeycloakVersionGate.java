package io.governedrecovery.compat;

import org.keycloak.ServerStartupError;
import org.keycloak.common.Version;

import io.governedrecovery.core.compat.SupportedKeycloak;

/**
 * Refuses to start on a Keycloak version this JAR was not built and tested for. Called from the {@code init} of
 * {@link io.governedrecovery.schema.RecoveryStoreEntityProviderFactory}: Keycloak runs every provider factory's
 * {@code init} before any {@code postInit}, so on an unsupported version the start stops before our Liquibase
 * changelog touches the database and before any request can reach a governed step. Keycloak prints the error's message
 * as one {@code ERROR:} line; the error carries no stack trace.
 */
public final class KeycloakVersionGate {

    private KeycloakVersionGate() {
    }

    /** Throws {@link ServerStartupError} unless the running Keycloak is of a supported line. */
    public static void require() {
        require(Version.VERSION);
    }

    static void require(String version) {
        SupportedKeycloak.refusal(version).ifPresent(line -> {
            throw new ServerStartupError(line, false);
        });
    }
}
