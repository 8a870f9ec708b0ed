package io.governedrecovery.events.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelException;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;

/**
 * A transactional sink (the administrators' notices) that fails for want of the database or a directory is retried,
 * never counted towards parking; only a failure of the record's own is.
 */
class SinkRunnerFailuresTest {

    @Test
    void database_and_directory_failures_are_transient() {
        assertThat(SinkRunner.transientFailure(new LockTimeoutException("lock timeout"))).isTrue();
        assertThat(SinkRunner.transientFailure(new PessimisticLockException("deadlock detected"))).isTrue();
        assertThat(SinkRunner.transientFailure(new ModelException("LDAP server is not reachable",
                new javax.naming.CommunicationException("ldap:389")))).isTrue();
        assertThat(SinkRunner.transientFailure(new IllegalStateException("could not commit",
                new SQLTransientConnectionException("connection is not available")))).isTrue();
    }

    @Test
    void a_failure_of_the_record_itself_counts_towards_parking() {
        assertThat(SinkRunner.transientFailure(new IllegalArgumentException("no such notice kind"))).isFalse();
        assertThat(SinkRunner.transientFailure(new NullPointerException())).isFalse();
    }
}
