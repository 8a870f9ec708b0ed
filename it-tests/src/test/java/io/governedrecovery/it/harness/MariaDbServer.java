package io.governedrecovery.it.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A private MariaDB (Debian's mariadb-server, 10.11) for the event-pipeline tests: its own data directory under the
 * work directory, a free loopback port, a database {@code keycloak} in utf8mb4, stopped with the tests. It never
 * touches the system's MariaDB (no defaults files, its own socket and pid file).
 */
public final class MariaDbServer implements Database {

    public static final String USER = "keycloak";
    public static final String PASSWORD = "keycloak-test";
    public static final String DATABASE = "keycloak";

    private final Path dir;
    private final Path dataDir;
    private final int port;
    private Process process;

    private MariaDbServer(Path dir, int port) {
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.port = port;
    }

    public static MariaDbServer start(Path workDir) {
        if (!Files.isExecutable(Path.of("/usr/sbin/mariadbd")) || !Files.isExecutable(Path.of("/usr/bin/mariadb-install-db"))) {
            throw new HarnessException("The event-pipeline tests need MariaDB: apt-get install -y mariadb-server "
                    + "(./run-tests.sh does this).");
        }
        MariaDbServer db = new MariaDbServer(workDir.resolve("mariadb"), Ports.free());
        db.init();
        return db;
    }

    private void init() {
        KeycloakServer.deleteRecursively(dir);
        List<String> install = new ArrayList<>(List.of("/usr/bin/mariadb-install-db", "--no-defaults",
                "--datadir=" + dataDir, "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.add("--user=" + (Processes.root() ? "root" : System.getProperty("user.name")));
        Processes.run(install, dir.resolve("setup.log"));
        start();
        root("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "
                + "CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'; "
                + "GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'127.0.0.1';");
    }

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public void start() {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + dataDir,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--skip-log-bin", "--innodb-flush-log-at-trx-commit=2",
                "--innodb-buffer-pool-size=128M", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci", "--max-connections=300"));
        if (Processes.root()) {
            command.add("--user=root");
        }
        process = Processes.start(command, dir.resolve("server.log"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new HarnessException("MariaDB exited while starting (see " + dir.resolve("server.log") + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                if (Files.exists(dir.resolve("mysqld.sock"))) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            pause();
        }
        throw new HarnessException("MariaDB did not listen on " + port + " within 60 s");
    }

    @Override
    public void stop() {
        Processes.stop(process, 30);
        process = null;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public KeycloakServer.Builder configure(KeycloakServer.Builder builder) {
        return builder.option("db", "mariadb").option("db-url", jdbcUrl()).option("db-username", USER)
                .option("db-password", PASSWORD);
    }

    @Override
    public String sql(String statement) {
        return Processes.run(List.of("/usr/bin/mariadb", "--no-defaults", "-h", "127.0.0.1", "-P",
                Integer.toString(port), "-u", USER, "-p" + PASSWORD, "-N", "-B", DATABASE, "-e", statement),
                dir.resolve("sql.log"));
    }

    private void root(String statements) {
        Processes.run(List.of("/usr/bin/mariadb", "--no-defaults", "-S", dir.resolve("mysqld.sock").toString(),
                "-u", "root", "-e", statements), dir.resolve("setup.log"));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
