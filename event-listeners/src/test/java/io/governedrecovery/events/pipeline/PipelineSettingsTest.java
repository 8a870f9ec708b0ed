package io.governedrecovery.events.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class PipelineSettingsTest {

    /** A Config.Scope over a map, as Keycloak hands SPI options to a factory. */
    private static Config.Scope scope(Map<String, String> values) {
        return new Config.Scope() {
            @Override
            public String get(String key) {
                return values.get(key);
            }

            @Override
            public String get(String key, String defaultValue) {
                return values.getOrDefault(key, defaultValue);
            }

            @Override
            public String[] getArray(String key) {
                String v = values.get(key);
                return v == null ? null : v.split(",");
            }

            @Override
            public Integer getInt(String key) {
                return getInt(key, null);
            }

            @Override
            public Integer getInt(String key, Integer defaultValue) {
                String v = values.get(key);
                return v == null ? defaultValue : Integer.valueOf(v);
            }

            @Override
            public Long getLong(String key) {
                return getLong(key, null);
            }

            @Override
            public Long getLong(String key, Long defaultValue) {
                String v = values.get(key);
                return v == null ? defaultValue : Long.valueOf(v);
            }

            @Override
            public Boolean getBoolean(String key) {
                return getBoolean(key, null);
            }

            @Override
            public Boolean getBoolean(String key, Boolean defaultValue) {
                String v = values.get(key);
                return v == null ? defaultValue : Boolean.valueOf(v);
            }

            @Override
            public Config.Scope scope(String... scope) {
                return this;
            }

            @Override
            public Set<String> getPropertyNames() {
                return values.keySet();
            }

            @Override
            public Config.Scope root() {
                return this;
            }
        };
    }

    @Test
    void defaults_are_valid_and_relp_is_opt_in() {
        PipelineSettings s = PipelineSettings.from(scope(Map.of()));
        assertThat(s.sinkTimeout()).isLessThan(s.lease());
        assertThat(s.syslogProtocol()).isEqualTo(PipelineSettings.SyslogProtocol.TCP);
        assertThat(s.batchMaxBytes()).isEqualTo(512 * 1024);
        assertThat(s.deadLetterAfter()).isEqualTo(5);
        assertThat(s.retryMax()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(PipelineSettings.from(scope(Map.of("retry-max-seconds", "5"))).retryMax())
                .isEqualTo(java.time.Duration.ofSeconds(5));
        assertThatThrownBy(() -> PipelineSettings.from(scope(Map.of("retry-max-seconds", "0"))))
                .hasMessageContaining("'retry-max-seconds' has value '0'; allowed: 1 to 3600");
        Map<String, String> relp = new HashMap<>(Map.of("syslog-protocol", "RELP", "syslog-host", "siem.example"));
        assertThat(PipelineSettings.from(scope(relp)).syslogProtocol()).isEqualTo(PipelineSettings.SyslogProtocol.RELP);
    }

    @Test
    void a_sink_timeout_as_long_as_the_lease_is_refused_with_both_names() {
        assertThatThrownBy(() -> PipelineSettings.from(scope(Map.of("sink-timeout-seconds", "15",
                "lease-seconds", "15")))).hasMessageContaining("'sink-timeout-seconds' is 15")
                .hasMessageContaining("'lease-seconds' is 15").hasMessageContaining("shorter than the lease");
    }

    @Test
    void an_unknown_syslog_protocol_is_refused() {
        assertThatThrownBy(() -> PipelineSettings.from(scope(Map.of("syslog-protocol", "udp"))))
                .hasMessageContaining("'syslog-protocol'").hasMessageContaining("relp");
    }

    @Test
    void an_on_off_option_takes_true_or_false_only_and_anything_else_stops_the_start_naming_it() {
        assertThat(PipelineSettings.from(scope(Map.of("syslog-tls", "TRUE", "syslog-host", "siem.example")))
                .syslogTls()).isTrue();
        for (String bad : java.util.List.of("1", "yes", "on", "ture")) {
            assertThatThrownBy(() -> PipelineSettings.from(scope(Map.of("syslog-tls", bad)))).as(bad)
                    .hasMessageContaining("'syslog-tls' has value '" + bad + "'; allowed: true or false");
            assertThatThrownBy(() -> PipelineSettings.from(scope(Map.of("file-enabled", bad)))).as(bad)
                    .hasMessageContaining("'file-enabled'");
        }
    }

    @Test
    void the_batch_byte_cap_has_a_range() {
        assertThatThrownBy(() -> PipelineSettings.from(scope(Map.of("batch-max-kb", "0"))))
                .hasMessageContaining("'batch-max-kb' has value '0'; allowed: 1 to 10240");
    }
}
