package io.governedrecovery.it.harness;

import java.nio.file.Path;

/**
 * One Keycloak server and one SMTP catcher for the whole test run, shared by every test class, with the event
 * pipeline's receivers: a JSON Lines file, rsyslog over RELP and a webhook. Closed when the JUnit run ends.
 */
public final class TestEnvironment implements AutoCloseable {

    public static final String EVENTS_SPI = "spi-events-listener--governed-recovery-events--";
    public static final String SMS_SPI = "spi-governed-recovery-sms-sender--";
    /** Keycloak's own HTTP client (proxy mappings, truststore). */
    public static final String HTTP_CLIENT_SPI = "spi-connections-http-client--default--";
    public static final String SMS_TOKEN_ENV = "KC_SPI_GOVERNED_RECOVERY_SMS_SENDER__HTTP_GATEWAY__AUTH_VALUE";
    public static final String WEBHOOK_SECRET_ENV = "KC_SPI_EVENTS_LISTENER__GOVERNED_RECOVERY_EVENTS__WEBHOOK_SECRET";
    /** The user whose first event makes every pipeline worker throw an Error (fault injection of the shared server). */
    public static final String WORKER_FAULT_USER = "worker-fault";
    /** Records a sink tries this often with a permanent refusal before they are parked (shared server). */
    public static final int DEAD_LETTER_AFTER = 3;
    /** The sinks' longest wait between attempts (retry-max-seconds): a receiver back up gets its backlog soon. */
    public static final int RETRY_MAX_SECONDS = 2;
    /** Most bytes per delivered batch on the shared server, below the body limit a test receiver may set. */
    public static final int BATCH_MAX_KB = 12;
    public static final String CONTROLS_SPI = "spi-authenticator--governed-recovery-controls--";
    public static final String ADMIN_API_SPI = "spi-admin-realm-restapi-extension--governed-recovery--";
    /**
     * Users the shared server's compliance report reads per page: a few, so every report in the tests spans many
     * pages (the shipped default is 500).
     */
    public static final int COMPLIANCE_PAGE_SIZE = 7;
    /** The only host address lists may be read from over plain http in the tests. */
    public static final String LIST_HTTP_HOST = "127.0.0.1";

    /** Options that point a server at an SMS gateway (the secret goes through the environment). */
    public static KeycloakServer.Builder withSmsGateway(KeycloakServer.Builder builder, SmsGatewayStub sms) {
        return builder.option(SMS_SPI + "provider", "http-gateway")
                .option(SMS_SPI + "http-gateway--url", sms.url())
                .env(SMS_TOKEN_ENV, SmsGatewayStub.TOKEN);
    }

    /**
     * The same, with the gateway at a host name that resolves nowhere and Keycloak's HTTP client told to reach it
     * through a proxy (the stub): a text arrives only when the pack sends it through Keycloak's HTTP client, with the
     * proxy settings, truststore and pool the admin gave Keycloak.
     */
    public static KeycloakServer.Builder withSmsGatewayBehindProxy(KeycloakServer.Builder builder,
                                                                  SmsGatewayStub sms) {
        return builder.option(SMS_SPI + "provider", "http-gateway")
                .option(SMS_SPI + "http-gateway--url", sms.proxiedUrl())
                .option(HTTP_CLIENT_SPI + "proxy-mappings", sms.proxyMapping())
                .env(SMS_TOKEN_ENV, SmsGatewayStub.TOKEN);
    }

    private final MailCatcher mail;
    private final SmsGatewayStub sms;
    private final RsyslogServer syslog;
    private final WebhookReceiver webhook;
    private final ClockOffset clock;
    private final KeycloakServer server;
    private final Path exportDir;
    private final Path listDir;

    /** A server and catchers outside JUnit (benchmarks, tools); close it when done. */
    public static TestEnvironment start() {
        return new TestEnvironment();
    }

    TestEnvironment() {
        Path workDir = Path.of(System.getProperty("harness.work.dir", "target/harness"));
        this.exportDir = workDir.resolve("export");
        KeycloakServer.deleteRecursively(exportDir);
        this.listDir = workDir.resolve("lists");
        try {
            java.nio.file.Files.createDirectories(listDir);
        } catch (java.io.IOException e) {
            throw new HarnessException("Cannot create " + listDir + ": " + e.getMessage(), e);
        }
        this.mail = MailCatcher.onFreePort();
        this.sms = SmsGatewayStub.onFreePort();
        this.webhook = new WebhookReceiver();
        this.clock = new ClockOffset(workDir.resolve("clock-offset"));
        try {
            this.syslog = RsyslogServer.start(workDir);
        } catch (RuntimeException e) {
            mail.close();
            sms.close();
            webhook.close();
            throw e;
        }
        try {
            this.server = withSmsGatewayBehindProxy(KeycloakServer.builder(), sms)
                    .workDir(workDir)
                    .option(EVENTS_SPI + "export-dir", exportDir.toString())
                    .option(EVENTS_SPI + "syslog-host", "127.0.0.1")
                    .option(EVENTS_SPI + "syslog-port", Integer.toString(syslog.port()))
                    .option(EVENTS_SPI + "syslog-protocol", "relp")
                    .option(EVENTS_SPI + "webhook-url", webhook.url())
                    .env(WEBHOOK_SECRET_ENV, WebhookReceiver.SECRET)
                    .option(EVENTS_SPI + "poll-millis", "200")
                    .option(EVENTS_SPI + "batch-max-kb", Integer.toString(BATCH_MAX_KB))
                    .option(EVENTS_SPI + "dead-letter-after", Integer.toString(DEAD_LETTER_AFTER))
                    .option(EVENTS_SPI + "retry-max-seconds", Integer.toString(RETRY_MAX_SECONDS))
                    .option(EVENTS_SPI + "fault-clock-offset-file", clock.file().toString())
                    .option(EVENTS_SPI + "fault-error-user", WORKER_FAULT_USER)
                    .option(CONTROLS_SPI + "list-dir", listDir.toAbsolutePath().toString())
                    .option(CONTROLS_SPI + "list-http-hosts", LIST_HTTP_HOST)
                    .option(ADMIN_API_SPI + "compliance-page-size", Integer.toString(COMPLIANCE_PAGE_SIZE))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            closeReceivers();
            throw e;
        }
    }

    public KeycloakServer server() {
        return server;
    }

    public MailCatcher mail() {
        return mail;
    }

    public SmsGatewayStub sms() {
        return sms;
    }

    /** The RELP receiver (rsyslog) the shared server exports to. */
    public RsyslogServer syslog() {
        return syslog;
    }

    /** The shared server's pipeline clock. */
    public ClockOffset clock() {
        return clock;
    }

    public WebhookReceiver webhook() {
        return webhook;
    }

    private void closeReceivers() {
        mail.close();
        sms.close();
        syslog.close();
        webhook.close();
    }

    /** The directory address-list files may be in (the server option list-dir). */
    public Path listDir() {
        return listDir;
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
            closeReceivers();
        }
    }
}
