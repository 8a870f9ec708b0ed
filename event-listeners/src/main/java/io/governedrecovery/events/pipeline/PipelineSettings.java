package io.governedrecovery.events.pipeline;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.governedrecovery.core.risk.ScorerSettings;

/**
 * Server-wide settings of the event pipeline, read once at start from SPI options of the listener, for example
 * {@code --spi-events-listener--governed-recovery-events--webhook-url=https://siem.example/hook}. Secrets (the webhook
 * secret) belong in the environment ({@code KC_SPI_EVENTS_LISTENER__GOVERNED_RECOVERY_EVENTS__WEBHOOK_SECRET}) or the
 * vault. A bad value stops the server at start with a message naming the option, the value and the allowed range.
 */
public record PipelineSettings(Path exportDir, boolean fileEnabled, long fileMaxBytes, int fileKeep,
                               String syslogHost, int syslogPort, boolean syslogTls, SyslogProtocol syslogProtocol,
                               String syslogAppName, URI webhookUrl, String webhookSecret, Duration sinkTimeout,
                               int queueCapacity, int batchSize, int batchMaxBytes, Duration poll, Duration lease,
                               int deadLetterAfter, Duration retryMax, Duration backlogAlarm, Duration retention, int replayMaxRows,
                               Duration reconcileLookback, String departmentAttribute, String departmentGroup,
                               ScorerSettings scorer) {

    static final String PREFIX_HELP = "Governed Recovery events: ";

    /** How syslog records travel: plain TCP (best effort, RFC 6587) or RELP (acknowledged per message). */
    public enum SyslogProtocol { TCP, RELP }

    public boolean syslogEnabled() {
        return syslogHost != null;
    }

    public boolean webhookEnabled() {
        return webhookUrl != null;
    }

    public static PipelineSettings from(Config.Scope c) {
        String dir = c.get("export-dir");
        Path exportDir = dir == null || dir.isBlank()
                ? Path.of(System.getProperty("kc.home.dir", "."), "data", "governed-recovery", "export") : Path.of(dir);
        String syslogHost = blankToNull(c.get("syslog-host"));
        boolean syslogTls = c.getBoolean("syslog-tls", false);
        String protocol = c.get("syslog-protocol", "tcp").trim().toUpperCase(Locale.ROOT);
        if (!List.of("TCP", "RELP").contains(protocol)) {
            throw new IllegalArgumentException(PREFIX_HELP + "option 'syslog-protocol' is '" + c.get("syslog-protocol")
                    + "'; use tcp (best effort) or relp (acknowledged, lossless)");
        }
        SyslogProtocol syslogProtocol = SyslogProtocol.valueOf(protocol);
        String webhook = blankToNull(c.get("webhook-url"));
        URI webhookUrl = null;
        String secret = c.get("webhook-secret");
        if (webhook != null) {
            webhookUrl = URI.create(webhook);
            if (!List.of("http", "https").contains(String.valueOf(webhookUrl.getScheme()))) {
                throw new IllegalArgumentException(PREFIX_HELP + "option 'webhook-url' is '" + webhook
                        + "': it must be an http(s) URL");
            }
            if (secret == null || secret.length() < 16) {
                throw new IllegalArgumentException(PREFIX_HELP + "option 'webhook-secret' must be set (16 characters "
                        + "or more) when 'webhook-url' is: receivers check the signature made with it");
            }
        }
        ScorerSettings scorer = new ScorerSettings(
                range(c, "failed-resets", 5, 1, 255),
                Duration.ofMinutes(range(c, "failed-reset-window-minutes", 10, 1, 1440)),
                range(c, "ip-accounts", 10, 2, 127),
                Duration.ofMinutes(range(c, "ip-window-minutes", 10, 1, 1440)),
                range(c, "department-minimum", 5, 1, 100_000),
                range(c, "department-factor-percent", 300, 100, 10_000) / 100.0,
                range(c, "new-subnet-history", 3, 1, 255),
                Duration.ofHours(range(c, "method-change-window-hours", 72, 1, 720)),
                range(c, "sends-per-account", 10, 1, 255),
                range(c, "sends-per-address", 30, 1, 255),
                Duration.ofMinutes(range(c, "risk-ttl-minutes", 60, 1, 1440)),
                range(c, "elevated-score", 40, 1, 100),
                range(c, "high-score", 80, 1, 100),
                range(c, "max-keys-per-table", 200_000, 16, 50_000_000));
        Duration sinkTimeout = Duration.ofSeconds(range(c, "sink-timeout-seconds", 10, 1, 300));
        Duration lease = Duration.ofSeconds(range(c, "lease-seconds", 15, 2, 3600));
        if (sinkTimeout.compareTo(lease) >= 0) {
            throw new IllegalArgumentException(PREFIX_HELP + "option 'sink-timeout-seconds' is "
                    + sinkTimeout.toSeconds() + " and 'lease-seconds' is " + lease.toSeconds() + ": the sink timeout must "
                    + "be shorter than the lease, so a hung receiver cannot outlast the lease of the node sending to it");
        }
        return new PipelineSettings(exportDir, c.getBoolean("file-enabled", true),
                range(c, "file-max-mb", 50, 1, 10_240) * 1024L * 1024L, range(c, "file-keep", 10, 1, 1000),
                syslogHost, range(c, "syslog-port", syslogTls ? 6514 : 514, 1, 65535), syslogTls, syslogProtocol,
                c.get("syslog-app-name", "keycloak"), webhookUrl, secret, sinkTimeout,
                range(c, "queue-capacity", 10_000, 16, 1_000_000), range(c, "batch-size", 200, 1, 1000),
                range(c, "batch-max-kb", 512, 1, 10_240) * 1024,
                Duration.ofMillis(range(c, "poll-millis", 250, 50, 60_000)), lease,
                range(c, "dead-letter-after", 5, 1, 1000),
                Duration.ofSeconds(range(c, "retry-max-seconds", 60, 1, 3600)),
                Duration.ofMinutes(range(c, "backlog-alarm-minutes", 60, 1, 525_600)),
                Duration.ofDays(range(c, "retention-days", 7, 1, 365)),
                range(c, "replay-max-rows", 1_000_000, 0, 50_000_000),
                Duration.ofMinutes(range(c, "reconcile-minutes", 15, 1, 24 * 60)),
                c.get("department-attribute", "department"), blankToNull(c.get("department-group")), scorer);
    }

    private static int range(Config.Scope c, String name, int fallback, int min, int max) {
        String raw = c.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new IllegalArgumentException(PREFIX_HELP + "option '" + name + "' is " + value + "; allowed is "
                        + min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX_HELP + "option '" + name + "' is '" + raw
                    + "'; it must be a whole number from " + min + " to " + max);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static List<ProviderConfigProperty> metadata() {
        ProviderConfigurationBuilder b = ProviderConfigurationBuilder.create();
        add(b, "export-dir", ProviderConfigProperty.STRING_TYPE, null,
                "Directory of the JSON Lines export (OCSF records). Default: data/governed-recovery/export.");
        add(b, "file-enabled", ProviderConfigProperty.BOOLEAN_TYPE, true, "Write the JSON Lines file export.");
        add(b, "file-max-mb", ProviderConfigProperty.INTEGER_TYPE, 50, "Rotate the export file at this size.");
        add(b, "file-keep", ProviderConfigProperty.INTEGER_TYPE, 10, "Rotated export files to keep.");
        add(b, "syslog-host", ProviderConfigProperty.STRING_TYPE, null,
                "Syslog receiver (RFC 5424). Empty: no syslog export.");
        add(b, "syslog-port", ProviderConfigProperty.INTEGER_TYPE, 514, "Syslog port (default 514, 6514 with TLS).");
        add(b, "syslog-protocol", ProviderConfigProperty.LIST_TYPE, "tcp",
                "tcp: RFC 6587 octet counting over TCP, best effort (a receiver restart can lose what the kernel had "
                        + "accepted); relp: RELP, every message acknowledged by the receiver, lossless.");
        add(b, "syslog-tls", ProviderConfigProperty.BOOLEAN_TYPE, false,
                "Use TLS to the syslog receiver (trusted through Keycloak's truststore; the host name is verified).");
        add(b, "syslog-app-name", ProviderConfigProperty.STRING_TYPE, "keycloak", "APP-NAME of syslog messages.");
        add(b, "webhook-url", ProviderConfigProperty.URL_TYPE, null,
                "Webhook receiver (HTTP POST of JSON arrays of OCSF records). Empty: no webhook export.");
        ProviderConfigProperty secret = new ProviderConfigProperty("webhook-secret", null,
                "Secret for the HMAC-SHA256 signature of webhook requests (16+ characters). Set it through the "
                        + "environment or the vault.", ProviderConfigProperty.PASSWORD, null, true);
        b.property(secret);
        add(b, "sink-timeout-seconds", ProviderConfigProperty.INTEGER_TYPE, 10,
                "Connect, write and answer timeout of syslog and webhook; shorter than 'lease-seconds'.");
        add(b, "queue-capacity", ProviderConfigProperty.INTEGER_TYPE, 10_000,
                "Committed events that may wait for the outbox; beyond it new ones are counted as dropped (they are "
                        + "still recovered from Keycloak's event store when it is enabled).");
        add(b, "batch-size", ProviderConfigProperty.INTEGER_TYPE, 200, "Events written or exported per batch.");
        add(b, "batch-max-kb", ProviderConfigProperty.INTEGER_TYPE, 512,
                "Most kilobytes per exported batch (a webhook body, a syslog or file write), counting 32 bytes of "
                        + "framing per record; a single record always goes, whatever its size.");
        add(b, "poll-millis", ProviderConfigProperty.INTEGER_TYPE, 250,
                "How often each node reads new outbox rows (scoring, export).");
        add(b, "lease-seconds", ProviderConfigProperty.INTEGER_TYPE, 15,
                "How long a sink's lease outlives its node's last heartbeat before another node takes the sink over.");
        add(b, "dead-letter-after", ProviderConfigProperty.INTEGER_TYPE, 5,
                "A record a sink refuses for good (a 4xx, a redirect, an unreadable row) this many times is parked: "
                        + "kept, alarmed, and no longer in the way of the others.");
        add(b, "retry-max-seconds", ProviderConfigProperty.INTEGER_TYPE, 60,
                "Longest wait between a sink's attempts while its receiver is down or refuses (the wait starts at half "
                        + "a second and doubles up to this): how soon a backlog flows once the receiver is back.");
        add(b, "backlog-alarm-minutes", ProviderConfigProperty.INTEGER_TYPE, 60,
                "Log an alarm when a sink's oldest undelivered record is older than this.");
        add(b, "retention-days", ProviderConfigProperty.INTEGER_TYPE, 7,
                "Days the outbox keeps records that every sink has delivered; undelivered ones are never removed.");
        add(b, "replay-max-rows", ProviderConfigProperty.INTEGER_TYPE, 1_000_000,
                "Safety bound on rows a starting node replays into its scorer (a warning says when it is reached).");
        add(b, "reconcile-minutes", ProviderConfigProperty.INTEGER_TYPE, 15,
                "Minutes of Keycloak's event store a starting node checks for events the outbox missed (after a "
                        + "crash); later passes read only what is new.");
        add(b, "department-attribute", ProviderConfigProperty.STRING_TYPE, "department",
                "User attribute naming the user's department (for department spikes).");
        add(b, "department-group", ProviderConfigProperty.STRING_TYPE, null,
                "Or a group path (for example /departments) whose subgroups are departments.");
        add(b, "failed-resets", ProviderConfigProperty.INTEGER_TYPE, 5, "Failed reset tries per account...");
        add(b, "failed-reset-window-minutes", ProviderConfigProperty.INTEGER_TYPE, 10, "...within these minutes.");
        add(b, "ip-accounts", ProviderConfigProperty.INTEGER_TYPE, 10, "Accounts one address touches...");
        add(b, "ip-window-minutes", ProviderConfigProperty.INTEGER_TYPE, 10, "...within these minutes.");
        add(b, "department-minimum", ProviderConfigProperty.INTEGER_TYPE, 5,
                "Resets in a department's hour below which no spike is raised.");
        add(b, "department-factor-percent", ProviderConfigProperty.INTEGER_TYPE, 300,
                "A spike is this percentage of the department's own hourly baseline.");
        add(b, "new-subnet-history", ProviderConfigProperty.INTEGER_TYPE, 3,
                "Sightings of an account before a new subnet is a finding.");
        add(b, "method-change-window-hours", ProviderConfigProperty.INTEGER_TYPE, 72,
                "A reset this soon after a recovery-method change is a finding.");
        add(b, "sends-per-account", ProviderConfigProperty.INTEGER_TYPE, 10, "Codes sent to one account per hour.");
        add(b, "sends-per-address", ProviderConfigProperty.INTEGER_TYPE, 30, "Codes asked from one address per hour.");
        add(b, "risk-ttl-minutes", ProviderConfigProperty.INTEGER_TYPE, 60, "How long a finding raises risk.");
        add(b, "elevated-score", ProviderConfigProperty.INTEGER_TYPE, 40, "Risk from which one more strong method is asked.");
        add(b, "high-score", ProviderConfigProperty.INTEGER_TYPE, 80, "Risk from which self-service is refused.");
        add(b, "max-keys-per-table", ProviderConfigProperty.INTEGER_TYPE, 200_000,
                "Memory bound: accounts or addresses each scoring table tracks; the least recently used make room.");
        return b.build();
    }

    private static void add(ProviderConfigurationBuilder b, String name, String type, Object fallback, String help) {
        var p = b.property().name(name).type(type).helpText(help);
        if (fallback != null) {
            p.defaultValue(fallback);
        }
        if (ProviderConfigProperty.LIST_TYPE.equals(type)) {
            p.options("tcp", "relp");
        }
        p.add();
    }
}
