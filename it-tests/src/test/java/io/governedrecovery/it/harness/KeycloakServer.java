package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.keycloak.admin.client.Keycloak;

/**
 * A real Keycloak server started from the unpacked keycloak-quarkus-dist, with the deployable JAR in providers/, on
 * loopback ports. Its log goes to a file in the work directory; {@link #logTail} shows the end of it.
 *
 * <p>By default it runs {@code kc.sh start-dev}. In {@linkplain Builder#production() production mode} it runs
 * {@code kc.sh build} with the build options once, then {@code kc.sh start --optimized} with the other options, over
 * HTTPS when given a {@linkplain Builder#tls certificate} (the management port inherits it).
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /** How long a start may take (harness.ready.seconds; the reliability suites raise it on a busy machine). */
    /** JVM options for the servers of the integration tests only (see {@link #processBuilder}). */
    static final String JAVA_OPTS_PROPERTY = "harness.keycloak.java-opts";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("harness.ready.seconds", 240));


    private final Path distDir;
    private final Path workDir;
    private final int httpPort;
    private final int managementPort;
    private final Map<String, String> options;
    private final Map<String, String> environment;
    private final boolean keepData;
    private final Path logFile;
    private final boolean production;
    private final Map<String, String> buildOptions;
    private final TlsCertificate tls;
    private final String publicUrl;
    private final Duration readyTimeout;
    /** Whether the current start already began again after Keycloak's known augmentation race. */
    private boolean retriedBuildRace;
    private final HttpClient http;

    private boolean built;
    private Duration buildTime = Duration.ZERO;
    private Duration buildCpu = Duration.ZERO;

    private Process process;
    private Keycloak adminClient;
    private int starts;

    private KeycloakServer(Builder builder) {
        this.distDir = builder.distDir;
        this.workDir = builder.workDir;
        this.httpPort = builder.httpPort;
        this.managementPort = builder.managementPort;
        this.options = new LinkedHashMap<>(builder.options);
        this.environment = Map.copyOf(builder.environment);
        this.keepData = builder.keepData;
        this.logFile = workDir.resolve("keycloak.log");
        this.production = builder.production;
        this.buildOptions = new LinkedHashMap<>(builder.buildOptions);
        this.tls = builder.tls;
        this.publicUrl = builder.publicUrl;
        this.readyTimeout = builder.readyTimeout;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            client.sslContext(tls.sslContext());
        }
        this.http = client.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Base URL as a browser must use it: a host name (WebAuthn refuses IP addresses), never 127.0.0.1; the public URL
     * (the reverse proxy's, Keycloak's --hostname) when one was set.
     */
    public String baseUrl() {
        return publicUrl != null ? publicUrl : directUrl();
    }

    /** Keycloak's own listener, bypassing any reverse proxy. */
    public String directUrl() {
        return (tls != null ? "https" : "http") + "://localhost:" + httpPort;
    }

    /** An HTTP client that trusts this server's certificate (when it has one); redirects are not followed. */
    public HttpClient httpClient() {
        return http;
    }

    /** The certificate the server (and its proxy) present, or null over plain http. */
    public TlsCertificate tls() {
        return tls;
    }

    public int httpPort() {
        return httpPort;
    }

    public String managementUrl() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + managementPort;
    }

    public Path distDir() {
        return distDir;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts with an empty database and a new log. */
    public KeycloakServer start() {
        if (!keepData) {
            deleteRecursively(distDir.resolve("data"));
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new HarnessException("Cannot remove the old log " + logFile + ": " + e.getMessage(), e);
        }
        return launch();
    }

    /** Starts again on the same database, for example after {@link #kill()}. */
    public KeycloakServer restart() {
        stop();
        return launch();
    }

    /** Sets (or, with null, removes) a server option for the next start. */
    public KeycloakServer option(String name, String value) {
        if (value == null) {
            options.remove(name);
        } else {
            options.put(name, value);
        }
        return this;
    }

    private KeycloakServer launch() {
        if (!Files.isExecutable(distDir.resolve("bin/kc.sh"))) {
            throw new HarnessException("No Keycloak distribution at " + distDir + ": build first (./mvnw verify "
                    + "unpacks it from Maven Central).");
        }
        if (production && !built) {
            runBuild();
            retriedBuildRace = false;
        }
        List<String> command = new ArrayList<>(List.of("bash", distDir.resolve("bin/kc.sh").toString()));
        if (production) {
            command.addAll(List.of("start", "--optimized"));
        } else {
            command.add("start-dev");
        }
        command.add("--http-host=127.0.0.1");
        if (tls != null) {
            command.addAll(List.of("--https-port=" + httpPort, "--https-certificate-file=" + tls.certificate(),
                    "--https-certificate-key-file=" + tls.key()));
        } else {
            command.add("--http-port=" + httpPort);
        }
        command.add("--http-management-port=" + managementPort);
        if (!production) {
            command.addAll(List.of("--health-enabled=true", "--metrics-enabled=true"));
            if (!options.containsKey("hostname")) {
                // The address tests reach it on, as a production server has one: links in notices (which never take
                // a request's Host header) point there.
                command.add("--hostname=" + directUrl());
            }
            // Development mode reads and compiles every template and message file again for each page and serves
            // style sheets and scripts uncached; a production server caches them. Its defaults, set here, spare the
            // 2-core test machine that work on every page (measured on four browser test classes with their server's
            // start: 223 s instead of 294 s).
            command.addAll(List.of("--spi-theme--cache-themes=true", "--spi-theme--cache-templates=true",
                    "--spi-theme--static-max-age=2592000"));
        }
        options.forEach((name, value) -> command.add("--" + name + "=" + value));
        try {
            process = processBuilder(command, "start " + (++starts)).start();
        } catch (IOException e) {
            throw new HarnessException("Cannot start Keycloak from " + distDir + ": " + e.getMessage(), e);
        }
        try {
            awaitReady();
        } catch (RuntimeException notReady) {
            kill(); // no server left running behind a failed start
            if (!retriedBuildRace && knownBuildRace(notReady.getMessage())) {
                retriedBuildRace = true;
                return launch();
            }
            throw notReady;
        }
        retriedBuildRace = false;
        return this;
    }

    /**
     * Keycloak up to 26.7's augmentation (start-dev's and kc.sh build's) sometimes fails with a
     * ConcurrentModificationException between two parallel build steps when a provider brings JPA entities: its issue
     * 47482, fixed in 26.8. Nothing of the server ran; the harness starts it once more.
     */
    static boolean knownBuildRace(String failure) {
        return failure != null && failure.contains("java.util.ConcurrentModificationException")
                && failure.contains("Build step");
    }

    /** How long {@code kc.sh build} took (zero before it ran, and in dev mode). */
    public Duration buildTime() {
        return buildTime;
    }

    /** The CPU time {@code kc.sh build} used, sampled every half second (zero before it ran, and in dev mode). */
    public Duration buildCpuTime() {
        return buildCpu;
    }

    /** {@code kc.sh build} with the build options, into the log; once per server (its result stays in the dist). */
    private void runBuild() {
        List<String> command = new ArrayList<>(List.of("bash", distDir.resolve("bin/kc.sh").toString(), "build"));
        buildOptions.forEach((name, value) -> command.add("--" + name + "=" + value));
        try {
            Instant begin = Instant.now();
            Process build = processBuilder(command, "build").start();
            // The CPU time of the build's processes, sampled while they run (the machine's load does not change it).
            Map<Long, Duration> cpu = new java.util.HashMap<>();
            while (!build.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS)
                    && Instant.now().isBefore(begin.plus(readyTimeout))) {
                Stream.concat(Stream.of(build.toHandle()), build.descendants()).forEach(p -> p.info().totalCpuDuration()
                        .ifPresent(used -> cpu.merge(p.pid(), used, (a, b) -> a.compareTo(b) >= 0 ? a : b)));
            }
            buildCpu = cpu.values().stream().reduce(Duration.ZERO, Duration::plus);
            buildTime = Duration.between(begin, Instant.now());
            if (build.isAlive()) {
                build.descendants().forEach(ProcessHandle::destroyForcibly);
                build.destroyForcibly();
                throw new HarnessException("kc.sh build did not end within " + readyTimeout.toSeconds() + " s; its "
                        + "log ends with:\n" + logTail(60));
            }
            if (build.exitValue() != 0 && !retriedBuildRace && knownBuildRace(logTail(60))) {
                retriedBuildRace = true; // Keycloak's issue 47482 (see knownBuildRace): build once more
                runBuild();
                return;
            }
            if (build.exitValue() != 0) {
                throw new HarnessException("kc.sh build failed with code " + build.exitValue() + "; its log ends with:\n"
                        + logTail(60));
            }
        } catch (IOException e) {
            throw new HarnessException("Cannot run kc.sh build in " + distDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted during kc.sh build");
        }
        built = true;
    }

    /** A kc.sh command of this server, with its environment, appending to the log after a line naming it. */
    private ProcessBuilder processBuilder(List<String> command, String what) throws IOException {
        Files.createDirectories(workDir);
        Files.writeString(logFile, "=== " + what + " at " + Instant.now() + " with " + command + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(distDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("JAVA_HOME", JavaRuntimes.forKeycloak().toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1536m");
        builder.environment().remove("JAVA_OPTS");
        List<String> append = new ArrayList<>();
        if (needsThreadLocalResetOpens(distributionVersion(),
                JavaRuntimes.majorVersion(JavaRuntimes.forKeycloak()))) {
            // Keycloak 26.4 and 26.5 (jboss-threads) on Java 24+: the option its own error message names.
            append.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        }
        // The event pipeline's test hooks (it-tests' own provider JAR) act only with this option.
        append.add("-Dgoverned-recovery.test-hooks=true");
        // The integration tests' JVM options (harness.keycloak.java-opts, set by the it-tests POM for its test runs,
        // not for the benchmarks, which measure the server as it runs in production).
        String extra = System.getProperty(JAVA_OPTS_PROPERTY, "").trim();
        if (!extra.isEmpty()) {
            append.add(extra);
        }
        builder.environment().put("JAVA_OPTS_APPEND", String.join(" ", append));
        builder.environment().putAll(environment);
        return builder;
    }

    /** The Keycloak version of the distribution ({@code version.txt}: "Keycloak - Version 26.4.7"). */
    public String distributionVersion() {
        try {
            String text = Files.readString(distDir.resolve("version.txt"), StandardCharsets.UTF_8).trim();
            return text.substring(text.lastIndexOf(' ') + 1);
        } catch (IOException e) {
            throw new HarnessException("Cannot read the version of the distribution at " + distDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Keycloak before 26.7 needs java.lang opened to reset thread locals on Java 24 and newer. */
    static boolean needsThreadLocalResetOpens(String keycloakVersion, int javaMajor) {
        String[] parts = keycloakVersion.split("\\.");
        boolean before267 = Integer.parseInt(parts[0]) < 26
                || Integer.parseInt(parts[0]) == 26 && Integer.parseInt(parts[1]) < 7;
        return before267 && javaMajor >= 24;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(readyTimeout);
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new HarnessException("Keycloak exited with code " + process.exitValue() + " while starting; "
                        + "its log ends with:\n" + logTail(60));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HarnessException("Interrupted while waiting for Keycloak");
            }
            sleep(Duration.ofMillis(250));
        }
        throw new HarnessException("Keycloak was not ready within " + readyTimeout.toSeconds() + " s; its log ends with:\n"
                + logTail(60));
    }

    /** An admin client for the master realm's bootstrap admin; closed with the server. */
    public synchronized Keycloak admin() {
        if (adminClient == null) {
            adminClient = tls == null
                    ? Keycloak.getInstance(baseUrl(), "master", ADMIN_USER, ADMIN_PASSWORD, "admin-cli")
                    : Keycloak.getInstance(baseUrl(), "master", ADMIN_USER, ADMIN_PASSWORD, "admin-cli",
                            tls.sslContext());
        }
        return adminClient;
    }

    /** A bearer token of the bootstrap admin, for our own admin REST endpoints. */
    public String adminToken() {
        return admin().tokenManager().getAccessTokenString();
    }

    /** The process id of the server's JVM, for jcmd; fails when the server is not running. */
    public long javaPid() {
        if (process == null || !process.isAlive()) {
            throw new HarnessException("Keycloak is not running");
        }
        // kc.sh ends by exec'ing java, so the JVM is usually the started process itself.
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new HarnessException("No Java process under kc.sh (pid " + process.pid() + ")"));
    }

    /** CPU time the server's processes (kc.sh and its JVM) have used so far; zero when it is not running. */
    public java.time.Duration cpuTime() {
        if (process == null) {
            return Duration.ZERO;
        }
        Duration total = process.info().totalCpuDuration().orElse(Duration.ZERO);
        for (ProcessHandle child : process.descendants().toList()) {
            total = total.plus(child.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return total;
    }

    /**
     * Moves Keycloak's clock {@code by} ahead (Keycloak's own time offset, through the test-only clock provider of
     * it-tests) until the returned handle is closed: tests of expiry and cooldowns shift time instead of waiting.
     */
    public ClockShift clockAhead(Duration by) {
        setClockOffset((int) by.toSeconds());
        return new ClockShift(this);
    }

    /** Sets Keycloak's clock offset in seconds (0 is the real time). */
    public void setClockOffset(int seconds) {
        // A fresh token each time: one issued before a shift may look expired to the shifted server.
        String form = "grant_type=password&client_id=admin-cli&username=" + ADMIN_USER + "&password=" + ADMIN_PASSWORD;
        try {
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                            + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            String access = new com.fasterxml.jackson.databind.ObjectMapper().readTree(token.body())
                    .path("access_token").asText();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                            + "/realms/master/governed-recovery-test-clock/offset?seconds=" + seconds))
                    .header("Authorization", "Bearer " + access).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                throw new HarnessException("Cannot move Keycloak's clock: " + answer.statusCode() + " " + answer.body());
            }
            closeAdminClient();
        } catch (IOException e) {
            throw new HarnessException("Cannot move Keycloak's clock: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while moving Keycloak's clock");
        }
    }

    /** A shift of Keycloak's clock; closing it puts the clock back. */
    public static final class ClockShift implements AutoCloseable {
        private final KeycloakServer server;

        ClockShift(KeycloakServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.setClockOffset(0);
        }
    }

    public String logTail(int lines) {
        if (!Files.exists(logFile)) {
            return "(no log at " + logFile + ")";
        }
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** What the management port's /metrics shows now (Prometheus text). */
    public String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new HarnessException("Cannot read /metrics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while reading /metrics");
        }
    }

    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the server like a crash would: SIGKILL to Keycloak and its children, no shutdown hooks. */
    public void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(process.toHandle(), Duration.ofSeconds(30));
            process = null;
        }
        closeAdminClient();
    }

    /** Stops the server gracefully (SIGTERM), then forcibly if it does not end within 30 s. */
    public void stop() {
        closeAdminClient();
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.sort(Comparator.comparingLong(ProcessHandle::pid).reversed());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!waitFor(process.toHandle(), Duration.ofSeconds(30))) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(process.toHandle(), Duration.ofSeconds(10));
        }
        tree.forEach(handle -> waitFor(handle, Duration.ofSeconds(10)));
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void closeAdminClient() {
        if (adminClient != null) {
            adminClient.close();
            adminClient = null;
        }
    }

    private static boolean waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies a whole distribution (for nodes whose build options differ from the shared server's). */
    public static void copyDistribution(Path from, Path to) {
        deleteRecursively(to);
        try {
            Files.createDirectories(to.getParent());
            Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new HarnessException("Cannot copy " + from + " to " + to);
            }
        } catch (IOException e) {
            throw new HarnessException("Cannot copy " + from + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while copying " + from);
        }
    }

    /** Deletes a directory tree (a work directory of an earlier run). */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new HarnessException("Cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean forkCopyMade;

    /**
     * The distribution tests run by default: {@code keycloak.dist.dir}. In a failsafe fork ({@code keycloak.dist.source}
     * set) that is this fork's own copy of the unpacked distribution, made on first use: two forks never start servers
     * in one distribution (its {@code data/} and build output are a server's own).
     */
    public static synchronized Path defaultDistDir() {
        Path dir = Path.of(System.getProperty("keycloak.dist.dir", "target/keycloak"));
        String source = System.getProperty("keycloak.dist.source", "");
        if (!source.isBlank() && !forkCopyMade) {
            copyDistribution(Path.of(source), dir);
            forkCopyMade = true;
        }
        return dir;
    }

    public static final class Builder {
        private Path distDir = defaultDistDir();
        private Path workDir = Path.of(System.getProperty("harness.work.dir", "target/harness"));
        private int httpPort;
        private int managementPort;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean keepData;
        private boolean production;
        private final Map<String, String> buildOptions = new LinkedHashMap<>();
        private TlsCertificate tls;
        private String publicUrl;
        private Duration readyTimeout = READY_TIMEOUT;

        /**
         * How long a start (and {@code kc.sh build}) may take before the server counts as failed (240 s unless set):
         * longer for a suite that must not fail on a machine busy with other work.
         */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * Production mode: {@code kc.sh build} with the {@linkplain #buildOption build options} before the first
         * start, then {@code kc.sh start --optimized}. Health and metrics are build options there (set them).
         */
        public Builder production() {
            this.production = true;
            return this;
        }

        /** A build option of production mode (for {@code kc.sh build}), without the leading dashes. */
        public Builder buildOption(String name, String value) {
            buildOptions.put(name, value);
            return this;
        }

        /** HTTPS with this certificate on the main port (no plain http); the management port inherits it. */
        public Builder tls(TlsCertificate certificate) {
            this.tls = certificate;
            return this;
        }

        /** The public URL (a reverse proxy's): Keycloak's --hostname, and the {@link KeycloakServer#baseUrl()} tests use. */
        public Builder hostname(String url) {
            this.publicUrl = url;
            options.put("hostname", url);
            return this;
        }

        public Builder distDir(Path dir) {
            this.distDir = dir;
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        public Builder managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        /** A server option without the leading dashes, for example {@code spi-...=value}. */
        public Builder option(String name, String value) {
            options.put(name, value);
            return this;
        }

        /** Leaves the distribution's data directory alone at start (nodes sharing one distribution and an external DB). */
        public Builder keepData() {
            this.keepData = true;
            return this;
        }

        /** An environment variable of the server process: the place for secrets, which options would log. */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public KeycloakServer build() {
            if (httpPort == 0) {
                httpPort = Ports.free();
            }
            if (managementPort == 0) {
                managementPort = Ports.free();
            }
            return new KeycloakServer(this);
        }
    }
}
