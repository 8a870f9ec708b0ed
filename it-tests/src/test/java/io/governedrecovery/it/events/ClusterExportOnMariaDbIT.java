package io.governedrecovery.it.events;

import java.nio.file.Path;

import io.governedrecovery.it.harness.Database;
import io.governedrecovery.it.harness.MariaDbServer;

/** The cluster export scenarios on MariaDB (Debian's mariadb-server 10.11). */
class ClusterExportOnMariaDbIT extends ClusterExportScenarios {

    @Override
    Database startDatabase(Path work) {
        return MariaDbServer.start(work);
    }

    @Override
    boolean runsDatabaseIndependentScenarios() {
        return false; // the PostgreSQL class runs them (both do with -Dit.long=true)
    }
}
