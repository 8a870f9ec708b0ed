package io.governedrecovery.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SupportedKeycloakTest {

    @ParameterizedTest
    @ValueSource(strings = {"26.4.0", "26.4.7", "26.4.12", "26.5.6", "26.7.0", "26.7.3", "26.4.7.redhat-00001",
            "26.5.6-1", " 26.7.3 "})
    void acceptsEveryPatchReleaseOfASupportedLine(String version) {
        assertThat(SupportedKeycloak.supports(version)).isTrue();
        assertThat(SupportedKeycloak.refusal(version)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"26.3.5", "26.6.0", "26.6.1", "26.8.0", "27.0.0", "25.0.6", "26.40.1", "2.6.4",
            "26.7", "26", "999.0.0-SNAPSHOT", "26.7.4-SNAPSHOT", "Unknown", "26.x.1", "v26.7.3"})
    void refusesEverythingElse(String version) {
        assertThat(SupportedKeycloak.supports(version)).isFalse();
        assertThat(SupportedKeycloak.refusal(version)).isPresent();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesAMissingVersion(String version) {
        assertThat(SupportedKeycloak.refusal(version)).hasValueSatisfying(line ->
                assertThat(line).contains("this server is Keycloak (unknown version)"));
    }

    @Test
    void theRefusalIsOneLineNamingTheSupportedLinesAndTheServersVersion() {
        assertThat(SupportedKeycloak.refusal("26.8.0")).hasValue("Governed Recovery supports Keycloak 26.4.x, 26.5.x "
                + "and 26.7.x only; this server is Keycloak 26.8.0. Not starting: remove the Governed Recovery JAR from "
                + "providers/ or install the release built for this Keycloak version.");
        assertThat(SupportedKeycloak.refusal("26.8.0").orElseThrow()).doesNotContain("\n");
    }
}
