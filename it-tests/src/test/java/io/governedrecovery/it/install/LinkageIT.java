package io.governedrecovery.it.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.governedrecovery.it.harness.Linkage;

/**
 * The shipped JAR links against the Keycloak distribution under test (the suite's, and each smoke set's): every class,
 * method and field it refers to exists there with the same signature. Built against 26.7, a call that only 26.6+ has
 * would otherwise load fine on 26.4 and fail the first reset that reaches it. No server needed.
 */
class LinkageIT {

    @Test
    void every_reference_of_the_shipped_jar_resolves_in_the_distribution() throws IOException {
        Path dist = io.governedrecovery.it.harness.KeycloakServer.defaultDistDir();
        List<Path> jars;
        try (Stream<Path> providers = Files.list(dist.resolve("providers"))) {
            jars = providers.filter(p -> p.getFileName().toString().matches("governed-recovery-\\d.*\\.jar")).toList();
        }
        assertThat(jars).as("the shipped JAR in " + dist.resolve("providers")).hasSize(1);

        assertThat(Linkage.unresolved(jars.get(0), dist.resolve("lib"), "io.governedrecovery"))
                .as("references of " + jars.get(0).getFileName() + " that Keycloak at " + dist + " lacks").isEmpty();
    }
}
