package io.governedrecovery.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class TemporaryAccessPassesTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void a_pass_is_stored_only_as_a_salted_hash_and_matches_however_it_is_typed() {
        String pass = TemporaryAccessPasses.generate(random, 12);
        assertThat(pass).hasSize(12).matches("[A-HJ-NP-Z2-9]+");
        String stored = TemporaryAccessPasses.secretData(random, pass);
        assertThat(stored).doesNotContain(pass);
        assertThat(TemporaryAccessPasses.matches(stored, pass)).isTrue();
        assertThat(TemporaryAccessPasses.matches(stored, pass.toLowerCase())).isTrue();
        assertThat(TemporaryAccessPasses.matches(stored, pass.substring(0, 6) + " - " + pass.substring(6))).isTrue();
        assertThat(TemporaryAccessPasses.matches(stored, pass.substring(1))).isFalse();
        assertThat(TemporaryAccessPasses.matches("{}", pass)).isFalse();
        assertThat(TemporaryAccessPasses.matches("not json", pass)).isFalse();
        assertThat(TemporaryAccessPasses.secretData(random, pass)).as("salted").isNotEqualTo(stored);
    }

    @Test
    void details_say_when_a_pass_is_usable() throws Exception {
        var d = new TemporaryAccessPasses.Details(0, 1000, true, "desk", null, "callback", "I-1", 0, false, 0);
        assertThat(d.usable(999)).isTrue();
        assertThat(d.status(1000)).isEqualTo("expired");
        var used = new TemporaryAccessPasses.Details(0, 1000, true, "desk", null, "callback", "I-1", 1, false, 5);
        assertThat(used.status(10)).isEqualTo("used");
        assertThat(used.usable(10)).isFalse();
        assertThat(used.registered(10)).as("still counts for the reset that used it").isTrue();
        assertThat(used.registered(5 + 60 * 60_000L)).isFalse();
        var pending = new TemporaryAccessPasses.Details(0, 1000, true, "desk", null, "manager", "I-1", 0, true, 0);
        assertThat(pending.usable(10)).isFalse();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue(json.writeValueAsString(d), TemporaryAccessPasses.Details.class)).isEqualTo(d);
    }

    @Test
    void the_hash_is_standard_pbkdf2_hmac_sha256() throws Exception {
        byte[] salt = "salt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var spec = new javax.crypto.spec.PBEKeySpec("password".toCharArray(), salt, 4096, 256);
        byte[] jdk = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256", "SunJCE").generateSecret(spec)
                .getEncoded();
        assertThat(TemporaryAccessPasses.pbkdf2("password", salt, 4096)).isEqualTo(jdk);
    }
}
