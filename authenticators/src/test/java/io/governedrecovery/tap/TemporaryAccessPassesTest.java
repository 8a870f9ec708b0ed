package io.governedrecovery.tap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.util.JsonSerialization;

class TemporaryAccessPassesTest {

    /**
     * Keycloak's PBKDF2 provider needs Keycloak's crypto provider, which only the server has; the integration tests
     * hash with the real one. Here a stand-in with the same contract: salted, and verified by recomputing.
     */
    private final TemporaryAccessPasses passes = new TemporaryAccessPasses(new PasswordHashProvider() {
        @Override
        public boolean policyCheck(PasswordPolicy policy, PasswordCredentialModel credential) {
            return true;
        }

        @Override
        public PasswordCredentialModel encodedCredential(String rawPassword, int iterations) {
            byte[] salt = new byte[16];
            new java.security.SecureRandom().nextBytes(salt);
            return PasswordCredentialModel.createFromValues(TemporaryAccessPasses.HASH, salt, iterations,
                    hash(rawPassword, salt, iterations));
        }

        @Override
        public boolean verify(String rawPassword, PasswordCredentialModel credential) {
            return java.security.MessageDigest.isEqual(hash(rawPassword, credential.getPasswordSecretData().getSalt(),
                    credential.getPasswordCredentialData().getHashIterations()).getBytes(),
                    credential.getPasswordSecretData().getValue().getBytes());
        }

        @Override
        public void close() {
        }
    });

    private static String hash(String raw, byte[] salt, int iterations) {
        try {
            var spec = new javax.crypto.spec.PBEKeySpec(raw.toCharArray(), salt, iterations, 256);
            return java.util.Base64.getEncoder().encodeToString(javax.crypto.SecretKeyFactory
                    .getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_pass_is_stored_only_as_a_salted_keycloak_hash_and_matches_however_it_is_typed() {
        String pass = TemporaryAccessPasses.generate(12);
        assertThat(pass).hasSize(12).matches("[A-HJ-NP-Z2-9]+");
        var details = TemporaryAccessPasses.Details.issued(0, 1000, true, "desk", "desk-id", "callback", "I-1", null,
                false);
        CredentialModel stored = credential(passes.secretData(pass));
        assertThat(stored.getSecretData()).doesNotContain(pass).contains("salt");
        assertThat(passes.matches(stored, details, pass)).isTrue();
        assertThat(passes.matches(stored, details, pass.toLowerCase())).isTrue();
        assertThat(passes.matches(stored, details, pass.substring(0, 6) + " - " + pass.substring(6))).isTrue();
        assertThat(passes.matches(stored, details, pass.substring(1))).isFalse();
        assertThat(passes.matches(credential("{}"), details, pass)).isFalse();
        assertThat(passes.matches(credential("not json"), details, pass)).isFalse();
        assertThat(passes.secretData(pass)).as("salted").isNotEqualTo(stored.getSecretData());
    }

    @Test
    void details_say_when_a_pass_is_usable() throws Exception {
        var d = TemporaryAccessPasses.Details.issued(0, 1000, true, "desk", "desk-id", "callback", "I-1", null, false);
        assertThat(d.usable(999)).isTrue();
        assertThat(d.status(1000)).isEqualTo("expired");
        var used = d.used(5);
        assertThat(used.status(10)).isEqualTo("used");
        assertThat(used.usable(10)).isFalse();
        assertThat(used.registered(10)).as("still counts for the reset that used it").isTrue();
        assertThat(used.registered(5 + 60 * 60_000L)).isFalse();
        var pending = TemporaryAccessPasses.Details.issued(0, 1000, true, "desk", "desk-id", "manager", "I-1", null,
                true);
        assertThat(pending.usable(10)).isFalse();
        assertThat(pending.status(999)).isEqualTo("pending-approval");
        assertThat(pending.status(1000)).as("a request nobody approved in time is dead").isEqualTo("expired");
        assertThat(pending.approved("second", "second-id").usable(10)).isTrue();
        assertThat(JsonSerialization.readValue(JsonSerialization.writeValueAsString(d),
                TemporaryAccessPasses.Details.class)).isEqualTo(d);
    }

    private static CredentialModel credential(String secretData) {
        CredentialModel model = new CredentialModel();
        model.setType(TemporaryAccessPasses.TYPE);
        model.setSecretData(secretData);
        return model;
    }
}
