package io.governedrecovery.events.pipeline;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.core.risk.ScorerSettings;
import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

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

    /** Every option, declared once: the parser below and the admin console's server info are built from these. */
    static final class Declared {
        static final Setting EXPORT_DIR = text("export-dir", null,
                "Directory of the JSON Lines export (OCSF records). Default: data/governed-recovery/export.");
        static final Setting FILE_ENABLED = flag("file-enabled", true, "Write the JSON Lines file export.");
        static final Setting FILE_MAX_MB = number("file-max-mb", 50, 1, 10_240, "Rotate the export file at this size.");
        static final Setting FILE_KEEP = number("file-keep", 10, 1, 1000, "Rotated export files to keep.");
        static final Setting SYSLOG_HOST = text("syslog-host", null,
                "Syslog receiver (RFC 5424). Empty: no syslog export.");
        static final Setting SYSLOG_PORT = number("syslog-port", 514, 1, 65535,
                "Syslog port (default 514, 6514 with TLS).");
        static final Setting SYSLOG_PROTOCOL = Setting.choice("syslog-protocol", null, "tcp", List.of("tcp", "relp"),
                "tcp: RFC 6587 octet counting over TCP, best effort (a receiver restart can lose what the kernel had "
                        + "accepted); relp: RELP, every message acknowledged by the receiver, lossless.");
        static final Setting SYSLOG_TLS = flag("syslog-tls", false,
                "Use TLS to the syslog receiver (trusted through Keycloak's truststore; the host name is verified).");
        static final Setting SYSLOG_APP_NAME = text("syslog-app-name", "keycloak", "APP-NAME of syslog messages.");
        static final Setting WEBHOOK_URL = Setting.url("webhook-url", null,
                "Webhook receiver (HTTP POST of JSON arrays of OCSF records). Empty: no webhook export.");
        static final Setting WEBHOOK_SECRET = Setting.secret("webhook-secret", null,
                "Secret for the HMAC-SHA256 signature of webhook requests (16+ characters). Set it through the "
                        + "environment or the vault.");
        static final Setting SINK_TIMEOUT = number("sink-timeout-seconds", 10, 1, 300,
                "Connect, write and answer timeout of syslog and webhook; shorter than 'lease-seconds'.");
        static final Setting QUEUE_CAPACITY = number("queue-capacity", 10_000, 16, 1_000_000,
                "Committed events that may wait for the outbox; beyond it new ones are counted as dropped (they are "
                        + "still recovered from Keycloak's event store when it is enabled).");
        static final Setting BATCH_SIZE = number("batch-size", 200, 1, 1000, "Events written or exported per batch.");
        static final Setting BATCH_MAX_KB = number("batch-max-kb", 512, 1, 10_240,
                "Most kilobytes per exported batch (a webhook body, a syslog or file write), counting 32 bytes of "
                        + "framing per record; a single record always goes, whatever its size.");
        static final Setting POLL_MILLIS = number("poll-millis", 250, 50, 60_000,
                "How often each node reads new outbox rows (scoring, export).");
        static final Setting LEASE_SECONDS = number("lease-seconds", 15, 2, 3600,
                "How long a sink's lease outlives its node's last heartbeat before another node takes the sink over.");
        static final Setting DEAD_LETTER_AFTER = number("dead-letter-after", 5, 1, 1000,
                "A record a sink refuses for good (a 4xx, a redirect, an unreadable row) this many times is parked: "
                        + "kept, alarmed, and no longer in the way of the others.");
        static final Setting RETRY_MAX_SECONDS = number("retry-max-seconds", 60, 1, 3600,
                "Longest wait between a sink's attempts while its receiver is down or refuses (the wait starts at half "
                        + "a second and doubles up to this): how soon a backlog flows once the receiver is back.");
        static final Setting BACKLOG_ALARM_MINUTES = number("backlog-alarm-minutes", 60, 1, 525_600,
                "Log an alarm when a sink's oldest undelivered record is older than this.");
        static final Setting RETENTION_DAYS = number("retention-days", 7, 1, 365,
                "Days the outbox keeps records that every sink has delivered; undelivered ones are never removed.");
        static final Setting REPLAY_MAX_ROWS = number("replay-max-rows", 1_000_000, 0, 50_000_000,
                "Safety bound on rows a starting node replays into its scorer (a warning says when it is reached).");
        static final Setting RECONCILE_MINUTES = number("reconcile-minutes", 15, 1, 24 * 60,
                "Minutes of Keycloak's event store a starting node checks for events the outbox missed (after a "
                        + "crash); later passes read only what is new.");
        static final Setting DEPARTMENT_ATTRIBUTE = text("department-attribute", "department",
                "User attribute naming the user's department (for department spikes).");
        static final Setting DEPARTMENT_GROUP = text("department-group", null,
                "Or a group path (for example /departments) whose subgroups are departments.");
        static final Setting FAILED_RESETS = number("failed-resets", 5, 1, 255, "Failed reset tries per account...");
        static final Setting FAILED_RESET_WINDOW = number("failed-reset-window-minutes", 10, 1, 1440,
                "...within these minutes.");
        static final Setting IP_ACCOUNTS = number("ip-accounts", 10, 2, 127, "Accounts one address touches...");
        static final Setting IP_WINDOW = number("ip-window-minutes", 10, 1, 1440, "...within these minutes.");
        static final Setting DEPARTMENT_MINIMUM = number("department-minimum", 5, 1, 100_000,
                "Resets in a department's hour below which no spike is raised.");
        static final Setting DEPARTMENT_FACTOR = number("department-factor-percent", 300, 100, 10_000,
                "A spike is this percentage of the department's own hourly baseline.");
        static final Setting NEW_SUBNET_HISTORY = number("new-subnet-history", 3, 1, 255,
                "Sightings of an account before a new subnet is a finding.");
        static final Setting METHOD_CHANGE_WINDOW = number("method-change-window-hours", 72, 1, 720,
                "A reset this soon after a recovery-method change is a finding.");
        static final Setting SENDS_PER_ACCOUNT = number("sends-per-account", 10, 1, 255,
                "Codes sent to one account per hour.");
        static final Setting SENDS_PER_ADDRESS = number("sends-per-address", 30, 1, 255,
                "Codes asked from one address per hour.");
        static final Setting RISK_TTL = number("risk-ttl-minutes", 60, 1, 1440, "How long a finding raises risk.");
        static final Setting ELEVATED_SCORE = number("elevated-score", 40, 1, 100,
                "Risk from which one more strong method is asked.");
        static final Setting HIGH_SCORE = number("high-score", 80, 1, 100, "Risk from which self-service is refused.");
        static final Setting MAX_KEYS = number("max-keys-per-table", 200_000, 16, 50_000_000,
                "Memory bound: accounts or addresses each scoring table tracks; the least recently used make room.");

        static final List<Setting> ALL = List.of(EXPORT_DIR, FILE_ENABLED, FILE_MAX_MB, FILE_KEEP, SYSLOG_HOST,
                SYSLOG_PORT, SYSLOG_PROTOCOL, SYSLOG_TLS, SYSLOG_APP_NAME, WEBHOOK_URL, WEBHOOK_SECRET, SINK_TIMEOUT,
                QUEUE_CAPACITY, BATCH_SIZE, BATCH_MAX_KB, POLL_MILLIS, LEASE_SECONDS, DEAD_LETTER_AFTER,
                RETRY_MAX_SECONDS, BACKLOG_ALARM_MINUTES, RETENTION_DAYS, REPLAY_MAX_ROWS, RECONCILE_MINUTES,
                DEPARTMENT_ATTRIBUTE, DEPARTMENT_GROUP, FAILED_RESETS, FAILED_RESET_WINDOW, IP_ACCOUNTS, IP_WINDOW,
                DEPARTMENT_MINIMUM, DEPARTMENT_FACTOR, NEW_SUBNET_HISTORY, METHOD_CHANGE_WINDOW, SENDS_PER_ACCOUNT,
                SENDS_PER_ADDRESS, RISK_TTL, ELEVATED_SCORE, HIGH_SCORE, MAX_KEYS);

        private static Setting number(String name, int fallback, int min, int max, String help) {
            return Setting.number(name, null, fallback, min, max, help);
        }

        private static Setting flag(String name, boolean fallback, String help) {
            return Setting.flag(name, null, fallback, help);
        }

        private static Setting text(String name, String fallback, String help) {
            return Setting.text(name, null, fallback, help);
        }

        private Declared() {
        }
    }

    /** Every option (for the README check). */
    public static List<Setting> declared() {
        return Declared.ALL;
    }

    public static PipelineSettings from(Config.Scope c) {
        try {
            return read(c::get);
        } catch (InvalidSetting e) {
            throw new IllegalArgumentException(PREFIX_HELP + e.getMessage(), e);
        }
    }

    private static PipelineSettings read(Function<String, String> c) {
        String dir = Declared.EXPORT_DIR.text(c);
        Path exportDir = dir == null
                ? Path.of(System.getProperty("kc.home.dir", "."), "data", "governed-recovery", "export") : Path.of(dir);
        String syslogHost = Declared.SYSLOG_HOST.text(c);
        boolean syslogTls = Declared.SYSLOG_TLS.flag(c);
        String protocol = Declared.SYSLOG_PROTOCOL.text(c).toUpperCase(Locale.ROOT);
        if (!List.of("TCP", "RELP").contains(protocol)) {
            throw new IllegalArgumentException(PREFIX_HELP + "option 'syslog-protocol' is '"
                    + c.apply(Declared.SYSLOG_PROTOCOL.name()) + "'; use tcp (best effort) or relp (acknowledged, "
                    + "lossless)");
        }
        SyslogProtocol syslogProtocol = SyslogProtocol.valueOf(protocol);
        String webhook = Declared.WEBHOOK_URL.text(c);
        URI webhookUrl = null;
        String secret = c.apply(Declared.WEBHOOK_SECRET.name());
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
                Declared.FAILED_RESETS.number(c),
                Duration.ofMinutes(Declared.FAILED_RESET_WINDOW.number(c)),
                Declared.IP_ACCOUNTS.number(c),
                Duration.ofMinutes(Declared.IP_WINDOW.number(c)),
                Declared.DEPARTMENT_MINIMUM.number(c),
                Declared.DEPARTMENT_FACTOR.number(c) / 100.0,
                Declared.NEW_SUBNET_HISTORY.number(c),
                Duration.ofHours(Declared.METHOD_CHANGE_WINDOW.number(c)),
                Declared.SENDS_PER_ACCOUNT.number(c),
                Declared.SENDS_PER_ADDRESS.number(c),
                Duration.ofMinutes(Declared.RISK_TTL.number(c)),
                Declared.ELEVATED_SCORE.number(c),
                Declared.HIGH_SCORE.number(c),
                Declared.MAX_KEYS.number(c));
        Duration sinkTimeout = Duration.ofSeconds(Declared.SINK_TIMEOUT.number(c));
        Duration lease = Duration.ofSeconds(Declared.LEASE_SECONDS.number(c));
        if (sinkTimeout.compareTo(lease) >= 0) {
            throw new IllegalArgumentException(PREFIX_HELP + "option 'sink-timeout-seconds' is "
                    + sinkTimeout.toSeconds() + " and 'lease-seconds' is " + lease.toSeconds() + ": the sink timeout must "
                    + "be shorter than the lease, so a hung receiver cannot outlast the lease of the node sending to it");
        }
        return new PipelineSettings(exportDir, Declared.FILE_ENABLED.flag(c),
                Declared.FILE_MAX_MB.number(c) * 1024L * 1024L, Declared.FILE_KEEP.number(c),
                syslogHost, Declared.SYSLOG_PORT.number(c, syslogTls ? 6514 : 514, 1, 65535), syslogTls,
                syslogProtocol, Declared.SYSLOG_APP_NAME.text(c), webhookUrl, secret, sinkTimeout,
                Declared.QUEUE_CAPACITY.number(c), Declared.BATCH_SIZE.number(c),
                Declared.BATCH_MAX_KB.number(c) * 1024,
                Duration.ofMillis(Declared.POLL_MILLIS.number(c)), lease,
                Declared.DEAD_LETTER_AFTER.number(c),
                Duration.ofSeconds(Declared.RETRY_MAX_SECONDS.number(c)),
                Duration.ofMinutes(Declared.BACKLOG_ALARM_MINUTES.number(c)),
                Duration.ofDays(Declared.RETENTION_DAYS.number(c)),
                Declared.REPLAY_MAX_ROWS.number(c),
                Duration.ofMinutes(Declared.RECONCILE_MINUTES.number(c)),
                Declared.DEPARTMENT_ATTRIBUTE.text(c), Declared.DEPARTMENT_GROUP.text(c), scorer);
    }

    public static List<ProviderConfigProperty> metadata() {
        return Setting.properties(Declared.ALL);
    }
}
