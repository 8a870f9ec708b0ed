package io.governedrecovery.it.harness;

import java.nio.file.Path;

/**
 * One Keycloak server and one SMTP catcher for the whole test run, shared by every test class. Closed when the
 * JUnit run ends.
 */
public final class TestEnvironment implements AutoCloseable {

    public static final String EVENTS_SPI = "spi-events-listener--governed-recovery-events--";

    private final MailCatcher mail;
    private final KeycloakServer server;
    private final Path exportDir;

    TestEnvironment() {
        Path workDir = Path.of(System.getProperty("harness.work.dir", "target/harness"));
        this.exportDir = workDir.resolve("export");
        KeycloakServer.deleteRecursively(exportDir);
        this.mail = MailCatcher.onFreePort();
        try {
            this.server = KeycloakServer.builder()
                    .workDir(workDir)
                    .option(EVENTS_SPI + "export-dir", exportDir.toString())
                    .build()
                    .start();
        } catch (RuntimeException e) {
            mail.close();
            throw e;
        }
    }

    public KeycloakServer server() {
        return server;
    }

    public MailCatcher mail() {
        return mail;
    }

    /** Where the event listener's file sink writes. */
    public Path exportDir() {
        return exportDir;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            mail.close();
        }
    }
}
