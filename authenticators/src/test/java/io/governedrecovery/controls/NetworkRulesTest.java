package io.governedrecovery.controls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkRulesTest {

    @Test
    void networks_of_both_families_match_their_addresses_only() {
        Cidr v4 = Cidr.parse("203.0.113.0/24").orElseThrow();
        assertThat(v4.contains("203.0.113.255")).isTrue();
        assertThat(v4.contains("203.0.114.1")).isFalse();
        assertThat(v4.contains("2001:db8::1")).isFalse();
        Cidr v6 = Cidr.parse("2001:db8:bad::/48").orElseThrow();
        assertThat(v6.contains("2001:db8:bad:ffff::1")).isTrue();
        assertThat(v6.contains("2001:0db8:0bad:0:0:0:0:1")).as("any spelling").isTrue();
        assertThat(v6.contains("2001:db8:bae::1")).isFalse();
        assertThat(Cidr.parse("198.51.100.7").orElseThrow().contains("198.51.100.7")).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().contains("8.8.8.8")).isTrue();
    }

    @Test
    void anything_but_an_address_literal_is_refused_without_a_name_lookup() {
        for (String bad : List.of("", "example.com", "localhost", "999.1.1.1", "1.2.3", "1.2.3.4/33", "::1/129",
                "1.2.3.4/x", "1.2.3.4/", "fe80::1%eth0", "1.2.3.4.5", "x".repeat(100))) {
            assertThat(Cidr.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void without_keycloak_proxy_headers_forwarded_for_counts_only_from_a_trusted_proxy_and_only_when_well_formed() {
        List<Cidr> proxies = List.of(Cidr.parse("10.0.0.0/8").orElseThrow());
        assertThat(ClientAddress.of("10.1.1.1", List.of("198.51.100.7"), proxies, false)).isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("10.1.1.1", List.of("198.51.100.7, 10.2.2.2"), proxies, false))
                .as("the right-most address that is no proxy").isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("10.1.1.1", List.of("6.6.6.6, 198.51.100.7"), proxies, false))
                .as("entries left of the first untrusted one are the client's to forge").isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("192.0.2.1", List.of("198.51.100.7"), proxies, false)).as("untrusted peer")
                .isEqualTo("192.0.2.1");
        assertThat(ClientAddress.of("10.1.1.1", List.of("garbage"), proxies, false)).isEqualTo("10.1.1.1");
        assertThat(ClientAddress.of("10.1.1.1", List.of("198.51.100.7, bad"), proxies, false)).isEqualTo("10.1.1.1");
        assertThat(ClientAddress.of("10.1.1.1", List.of("10.3.3.3"), proxies, false)).isEqualTo("10.1.1.1");
        assertThat(ClientAddress.of("10.1.1.1", List.of("198.51.100.7"), List.of(), false)).isEqualTo("10.1.1.1");
    }

    @Test
    void with_keycloak_proxy_headers_keycloak_alone_decides_the_client_address() {
        List<Cidr> proxies = List.of(Cidr.parse("10.0.0.0/8").orElseThrow());
        assertThat(ClientAddress.of("198.51.100.7", List.of("203.0.113.9"), proxies, true))
                .as("Keycloak's remote address (already the proxy's client) even from a network our setting trusts")
                .isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("10.1.1.1", List.of("203.0.113.9"), proxies, true))
                .as("a forged header Keycloak did not believe is not believed by us either").isEqualTo("10.1.1.1");
        assertThat(ClientAddress.of("10.1.1.1", List.of("203.0.113.9"), List.of(), true)).isEqualTo("10.1.1.1");
    }

    @Test
    void settings_have_safe_defaults_and_name_a_bad_value() {
        ControlSettings d = ControlSettings.from(Map.of());
        assertThat(d.startsPerAddressHour()).isEqualTo(20);
        assertThat(d.sendsPerUserHour()).isEqualTo(3);
        assertThat(d.deniedAction()).isEqualTo(ControlSettings.Action.DENY);
        assertThat(d.outsideAllowedAction()).isEqualTo(ControlSettings.Action.STEP_UP);
        assertThat(ControlSettings.from(Map.of("deny-cidrs", "203.0.113.0/24##2001:db8::/32, 192.0.2.1"))
                .denied()).hasSize(3);
        assertThatThrownBy(() -> ControlSettings.from(Map.of("deny-cidrs", "203.0.113.0/24##nonsense")))
                .hasMessageContaining("deny-cidrs").hasMessageContaining("nonsense");
        assertThatThrownBy(() -> ControlSettings.from(Map.of("deny-action", "block")))
                .hasMessageContaining("deny-action");
        assertThatThrownBy(() -> ControlSettings.from(Map.of("sends-per-user-hour", "0")))
                .hasMessageContaining("sends-per-user-hour");
        assertThatThrownBy(() -> ControlSettings.from(Map.of("anonymizer-list", "lists/tor.txt")))
                .hasMessageContaining("anonymizer-list");
        assertThatThrownBy(() -> ControlSettings.from(Map.of("risk-policy", "maybe")))
                .hasMessageContaining("risk-policy");
    }

    @Test
    void a_list_that_cannot_be_read_again_keeps_its_last_good_content(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("exits.txt");
        Files.writeString(file, "# Tor exits\n198.51.100.23\nnot an address\n2001:db8:dead::/48\n");
        AddressLists lists = inline(dir);
        assertThat(lists.contains(file.toString(), "198.51.100.23")).isTrue();
        assertThat(lists.contains(file.toString(), "2001:db8:dead::5")).isTrue();
        assertThat(lists.contains(file.toString(), "198.51.100.24")).isFalse();

        Files.delete(file);
        lists.refreshAll();
        assertThat(lists.contains(file.toString(), "198.51.100.23")).as("last good list").isTrue();
        assertThat(lists.status(file.toString()).problem()).startsWith("unreadable");

        Files.writeString(file, "192.0.2.9\n");
        lists.refreshAll();
        assertThat(lists.contains(file.toString(), "192.0.2.9")).isTrue();
        assertThat(lists.contains(file.toString(), "198.51.100.23")).isFalse();
        assertThat(lists.contains(dir.resolve("missing.txt").toString(), "192.0.2.9")).isFalse();
    }

    @Test
    void only_allowed_sources_are_read(@TempDir Path dir) throws Exception {
        AddressLists lists = inline(dir.resolve("lists"));
        Files.createDirectories(dir.resolve("lists"));
        Path outside = dir.resolve("outside.txt");
        Files.writeString(outside, "198.51.100.23\n");
        for (String source : java.util.List.of(outside.toString(), "/dev/urandom", "/etc/passwd",
                dir.resolve("lists/../outside.txt").toString(), "http://169.254.169.254/latest/meta-data",
                "http://127.0.0.1:1/list")) {
            assertThat(lists.contains(source, "198.51.100.23")).as(source).isFalse();
            assertThat(lists.status(source).problem()).as(source).startsWith("refused");
        }
        Path link = dir.resolve("lists/link.txt");
        Files.createSymbolicLink(link, outside);
        assertThat(lists.contains(link.toString(), "198.51.100.23")).as("a link out of the directory").isFalse();
        assertThat(lists.status(link.toString()).problem()).contains("outside");
    }

    @Test
    void a_read_stops_at_the_size_cap() {
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                return '1';
            }
        };
        assertThatThrownBy(() -> AddressLists.capped(endless)).hasMessageContaining("larger than");
    }

    /** Lists under {@code dir}, read at once on the calling thread (the factory reads them on its background thread). */
    private static AddressLists inline(Path dir) {
        return new AddressLists(new AddressLists.Sources(dir.toAbsolutePath().normalize(), java.util.Set.of()),
                new java.util.concurrent.AbstractExecutorService() {
                    @Override
                    public void execute(Runnable command) {
                        command.run();
                    }

                    @Override
                    public void shutdown() {
                    }

                    @Override
                    public java.util.List<Runnable> shutdownNow() {
                        return java.util.List.of();
                    }

                    @Override
                    public boolean isShutdown() {
                        return false;
                    }

                    @Override
                    public boolean isTerminated() {
                        return false;
                    }

                    @Override
                    public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
                        return true;
                    }
                }, () -> {
                    throw new IllegalStateException("no HTTP in this test");
                });
    }
}
