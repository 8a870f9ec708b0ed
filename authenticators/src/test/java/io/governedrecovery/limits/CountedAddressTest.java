package io.governedrecovery.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountedAddressTest {

    @Test
    void ipv6_addresses_of_one_64_network_count_as_one() {
        assertThat(CountedAddress.of("2001:db8:1:2::1")).isEqualTo(CountedAddress.of("2001:db8:1:2:ffff:ee:dd:cc"))
                .isEqualTo("20010db800010002::/64");
        assertThat(CountedAddress.of("2001:db8:1:3::1")).isNotEqualTo(CountedAddress.of("2001:db8:1:2::1"));
    }

    @Test
    void ipv4_and_odd_values_count_as_they_are() {
        assertThat(CountedAddress.of("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(CountedAddress.of(null)).isEqualTo("-");
        assertThat(CountedAddress.of("not:an:address:zz")).isEqualTo("not:an:address:zz");
    }
}
