package io.governedrecovery.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;

import jakarta.ws.rs.core.Response;

/** What every method gets from its base: the registration's facts, and the times a channel counts from. */
class AbstractRecoveryMethodTest {

    private static final String ATTRIBUTE = "changed-at";

    @AfterEach
    void clock() {
        Time.setOffset(0);
    }

    @Test
    void an_unknown_user_has_no_registration_and_the_method_is_not_asked() {
        Probe probe = new Probe();
        assertThat(probe.registration(null, null, null)).isEmpty();
        assertThat(probe.asked).isZero();
        assertThat(probe.registration(null, user(Map.of(), List.of()), null)).isPresent();
        assertThat(probe.asked).isOne();
    }

    @Test
    void a_registration_carries_the_methods_id_and_strength() {
        RegisteredMethod registered = new Probe().registered(Channel.phone("+4930123"), Instant.ofEpochMilli(5));
        assertThat(registered).isEqualTo(new RegisteredMethod("probe", Strength.STRONG, Channel.phone("+4930123"),
                Instant.ofEpochMilli(5)));
    }

    @Test
    void credentials_count_from_the_newest_so_a_new_one_puts_the_channel_in_cooldown() {
        Probe probe = new Probe();
        assertThat(probe.registeredBy(List.of())).isEmpty();
        Optional<RegisteredMethod> registered = probe.registeredBy(List.of(created(1_000L), created(9_000L),
                created(4_000L)));
        assertThat(registered).contains(new RegisteredMethod("probe", Strength.STRONG,
                Channel.of(ChannelKind.AUTHENTICATOR_APP), Instant.ofEpochMilli(9_000L)));
    }

    @Test
    void a_credential_without_a_creation_time_counts_from_now() {
        Time.setOffset(3600);
        Instant before = Instant.ofEpochMilli(Time.currentTimeMillis());
        Instant changed = new Probe().registeredBy(List.of(created(1_000L), created(null))).orElseThrow().changedAt();
        assertThat(changed).isAfterOrEqualTo(before).isBefore(before.plusSeconds(60));
    }

    @Test
    void a_contact_without_a_recorded_change_counts_from_the_start() {
        assertThat(AbstractRecoveryMethod.contactChangedAt(user(Map.of(), List.of()), ATTRIBUTE))
                .isEqualTo(Instant.EPOCH);
    }

    @Test
    void a_recorded_change_counts_from_that_time() {
        assertThat(AbstractRecoveryMethod.contactChangedAt(user(Map.of(ATTRIBUTE, " 1700000000000 "), List.of()),
                ATTRIBUTE)).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void a_broken_record_counts_from_now_the_strictest_reading() {
        Time.setOffset(7200);
        Instant before = Instant.ofEpochMilli(Time.currentTimeMillis());
        Instant changed = AbstractRecoveryMethod.contactChangedAt(user(Map.of(ATTRIBUTE, "yesterday"), List.of()),
                ATTRIBUTE);
        assertThat(changed).isAfterOrEqualTo(before).isBefore(before.plusSeconds(60));
    }

    @Test
    void stored_credentials_are_read_for_every_type_asked() {
        UserModel user = user(Map.of(), List.of(typed("otp", 1L), typed("webauthn", 2L), typed("password", 3L)));
        assertThat(AbstractRecoveryMethod.storedCredentials(user, "otp", "webauthn"))
                .extracting(CredentialModel::getType).containsExactly("otp", "webauthn");
    }

    private static final class Probe extends AbstractRecoveryMethod {
        int asked;

        Probe() {
            super("probe", Strength.STRONG, ChannelKind.AUTHENTICATOR_APP);
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            asked++;
            return Optional.of(registered(Channel.of(ChannelKind.AUTHENTICATOR_APP), Instant.EPOCH));
        }

        @Override
        public Response page(MethodContext context) {
            return null;
        }

        @Override
        public Verification verify(MethodContext context) {
            return Verification.WRONG;
        }
    }

    private static CredentialModel created(Long millis) {
        return typed("otp", millis);
    }

    private static CredentialModel typed(String type, Long millis) {
        CredentialModel credential = new CredentialModel();
        credential.setType(type);
        credential.setCreatedDate(millis);
        return credential;
    }

    /** A user with the given attributes and stored credentials; nothing else is asked of it. */
    private static UserModel user(Map<String, String> attributes, List<CredentialModel> credentials) {
        SubjectCredentialManager manager = (SubjectCredentialManager) Proxy.newProxyInstance(
                AbstractRecoveryMethodTest.class.getClassLoader(), new Class<?>[] {SubjectCredentialManager.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getStoredCredentialsByTypeStream" -> credentials.stream()
                            .filter(c -> c.getType().equals(args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (UserModel) Proxy.newProxyInstance(AbstractRecoveryMethodTest.class.getClassLoader(),
                new Class<?>[] {UserModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getFirstAttribute" -> attributes.get((String) args[0]);
                    case "credentialManager" -> manager;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
