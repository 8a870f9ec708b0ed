package io.governedrecovery.it.harness;

/**
 * An external database server the tests start for Keycloak nodes (PostgreSQL, MariaDB, from Debian's packages), on a
 * free loopback port with its own data directory. It can go away and come back (a database outage) on the same port
 * and data, and answers SQL through its own command-line client.
 */
public interface Database extends AutoCloseable {

    /** A name for test output: {@code PostgreSQL}, {@code MariaDB}. */
    String name();

    /** The server options that point a Keycloak node at this database. */
    KeycloakServer.Builder configure(KeycloakServer.Builder builder);

    /** Stops the database server (the outage begins): Keycloak's connections break, new ones are refused. */
    void stop();

    /** Starts it again on the same port and data (the outage ends). */
    void start();

    /** Runs one SQL statement through the database's own client; returns its output, one row per line. */
    String sql(String statement);

    @Override
    void close();
}
