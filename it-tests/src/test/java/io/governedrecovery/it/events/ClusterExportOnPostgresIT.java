package io.governedrecovery.it.events;

import java.nio.file.Path;

import io.governedrecovery.it.harness.Database;
import io.governedrecovery.it.harness.PostgresServer;

/** The cluster export scenarios on PostgreSQL (Debian's postgresql). */
class ClusterExportOnPostgresIT extends ClusterExportScenarios {

    @Override
    Database startDatabase(Path work) {
        return PostgresServer.start(work);
    }
}
