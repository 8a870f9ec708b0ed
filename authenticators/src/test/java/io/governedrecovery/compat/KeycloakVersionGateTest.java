package io.governedrecovery.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.keycloak.ServerStartupError;

class KeycloakVersionGateTest {

    @Test
    void theVersionGateStopsTheStartOnAnUnsupportedVersionWithoutAStackTrace() {
        assertThatThrownBy(() -> KeycloakVersionGate.require("26.6.1"))
                .isInstanceOf(ServerStartupError.class)
                .hasMessageStartingWith("Governed Recovery supports Keycloak 26.4.x, 26.5.x and 26.7.x only; "
                        + "this server is Keycloak 26.6.1.")
                .satisfies(error -> assertThat(error.getStackTrace()).isEmpty());
        KeycloakVersionGate.require("26.4.7");
        KeycloakVersionGate.require("26.5.6");
        KeycloakVersionGate.require("26.7.3");
    }
}
