package io.governedrecovery.it.events;

import java.nio.file.Path;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.governedrecovery.it.harness.Database;
import io.governedrecovery.it.harness.MariaDbServer;

/**
 * The cluster export scenarios on MariaDB (Debian's mariadb-server 10.11). They run with the long variants
 * ({@code -Dit.long=true}; figures in benchmarks/event-pipeline.md), not in the default suite: CI runs the scenarios on
 * PostgreSQL, keeping within its 20 minutes.
 */
@EnabledIfSystemProperty(named = "it.long", matches = "true")
class ClusterExportOnMariaDbIT extends ClusterExportScenarios {

    @Override
    Database startDatabase(Path work) {
        return MariaDbServer.start(work);
    }
}
