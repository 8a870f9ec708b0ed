package io.governedrecovery.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private PostgreSQL for the cluster tests, from Debian's binaries: its own data directory under the work directory,
 * a free loopback port, trust authentication on loopback, stopped with the tests. As root it runs as the postgres
 * user (PostgreSQL refuses to run as root).
 */
public final class PostgresServer implements Database {

    public static final String USER = "keycloak";
    public static final String DATABASE = "keycloak";

    private final Path bin;
    private final Path dataDir;
    private final int port;
    private final boolean root;
    private final List<String> settings;

    private PostgresServer(Path bin, Path dataDir, int port, List<String> settings) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
        this.root = "root".equals(System.getProperty("user.name"));
        this.settings = List.copyOf(settings);
    }

    public static PostgresServer start(Path workDir) {
        return start(workDir, List.of());
    }

    /**
     * A server with more settings ({@code name=value}, passed as {@code -c}), for example
     * {@code shared_preload_libraries=pg_stat_statements} to count the statements Keycloak sends.
     */
    public static PostgresServer start(Path workDir, List<String> settings) {
        Path bin = binaries();
        PostgresServer pg = new PostgresServer(bin, workDir.resolve("postgres-data"), Ports.free(), settings);
        pg.init();
        return pg;
    }

    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(Path::toString));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                // fall through
            }
        }
        throw new HarnessException("The cluster tests need PostgreSQL: apt-get install -y postgresql "
                + "(./run-tests.sh does this).");
    }

    private void init() {
        KeycloakServer.deleteRecursively(dataDir);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new HarnessException("Cannot create " + dataDir + ": " + e.getMessage(), e);
        }
        if (root) {
            run(List.of("chown", "postgres:postgres", dataDir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER, "--auth=trust",
                "--encoding=UTF8", "--no-sync"), true);
        start();
        run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                DATABASE), true);
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60", "-l",
                dataDir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + settings.stream().map(setting -> " -c " + setting).collect(Collectors.joining()), "start"),
                true);
    }

    @Override
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), true);
    }

    @Override
    public String sql(String statement) {
        return Processes.run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", USER, "-d", DATABASE, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", statement),
                dataDir.resolveSibling("postgres-sql.log"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The server options that point Keycloak at this database. */
    @Override
    public KeycloakServer.Builder configure(KeycloakServer.Builder builder) {
        return builder.option("db", "postgres").option("db-url", jdbcUrl()).option("db-username", USER)
                .option("db-password", "unused-trust-auth");
    }

    private void run(List<String> command, boolean asPostgres) {
        List<String> full = new ArrayList<>();
        if (asPostgres && root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling("postgres-setup.log")
                            .toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new HarnessException("PostgreSQL setup step failed: " + String.join(" ", command)
                        + " (see " + dataDir.resolveSibling("postgres-setup.log") + ")");
            }
        } catch (IOException e) {
            throw new HarnessException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during PostgreSQL setup");
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (HarnessException e) {
            // already down
        }
    }
}
