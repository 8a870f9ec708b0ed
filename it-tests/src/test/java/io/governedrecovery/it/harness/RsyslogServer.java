package io.governedrecovery.it.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private rsyslogd (Debian's rsyslog + rsyslog-relp) receiving RELP on a free loopback port, as a SIEM collector
 * does, and writing every message it acknowledged, raw, one per line, to a file. Its main queue is direct, so a RELP
 * acknowledgement means the message was written. It never touches the system's rsyslog (own config, work directory,
 * pid file). It can be restarted mid-stream, or stopped for a while (connections refused) and started again on the same
 * port, appending to the same file.
 */
public final class RsyslogServer implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\\[governedRecovery@32473 id=\"([^\"]+)\"");

    private final Path dir;
    private final int port;
    private final Path received;
    private Process process;

    private RsyslogServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.received = dir.resolve("received.log");
    }

    public static RsyslogServer start(Path workDir) {
        if (!Files.isExecutable(Path.of("/usr/sbin/rsyslogd"))
                || Files.notExists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so"))
                && Files.notExists(Path.of("/usr/lib/rsyslog/imrelp.so"))) {
            throw new HarnessException("The syslog tests need rsyslog with RELP: apt-get install -y rsyslog "
                    + "rsyslog-relp (./run-tests.sh does this).");
        }
        RsyslogServer server = new RsyslogServer(workDir.resolve("rsyslog"), Ports.free());
        server.configure();
        server.launch();
        return server;
    }

    private void configure() {
        KeycloakServer.deleteRecursively(dir);
        try {
            Files.createDirectories(dir.resolve("work"));
            Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                    "global(workDirectory=\"" + dir.resolve("work") + "\" maxMessageSize=\"64k\")",
                    "main_queue(queue.type=\"Direct\")",
                    "module(load=\"imrelp\")",
                    "input(type=\"imrelp\" port=\"" + port + "\" address=\"127.0.0.1\" maxDataSize=\"64k\")",
                    "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")",
                    "action(type=\"omfile\" file=\"" + received + "\" template=\"raw\" flushOnTXEnd=\"on\" "
                            + "asyncWriting=\"off\")", ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HarnessException("Cannot write the rsyslog configuration: " + e.getMessage(), e);
        }
    }

    private void launch() {
        process = Processes.start(List.of("/usr/sbin/rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslogd.pid").toString()), dir.resolve("rsyslogd.log"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new HarnessException("rsyslogd exited while starting (see " + dir.resolve("rsyslogd.log")
                            + ")");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HarnessException("Interrupted while starting rsyslogd");
                }
            }
        }
        throw new HarnessException("rsyslogd did not listen on " + port + " within 30 s");
    }

    public int port() {
        return port;
    }

    /** Stops the receiver (SIGTERM: it closes its connections) and starts it again on the same port. */
    public synchronized void restart() {
        Processes.stop(process, 10);
        launch();
    }

    /** The receiver goes away (SIGTERM: it closes its connections); the port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        Processes.stop(process, 10);
        process = null;
    }

    /** Starts it again on the same port after {@link #stop()}; nothing when it runs. */
    public synchronized void start() {
        if (process == null || !process.isAlive()) {
            launch();
        }
    }

    /** Where the received messages are written, one per line. */
    public Path receivedFile() {
        return received;
    }

    /** Every message written so far (raw RFC 5424 text), in arrival order. */
    public List<String> messages() {
        if (!Files.exists(received)) {
            return List.of();
        }
        try {
            return Files.readAllLines(received, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new HarnessException("Cannot read " + received + ": " + e.getMessage(), e);
        }
    }

    /** The record ids (structured data {@code id}) of every message received so far. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (String m : messages()) {
            Matcher matcher = ID.matcher(m);
            if (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
        process = null;
    }
}
