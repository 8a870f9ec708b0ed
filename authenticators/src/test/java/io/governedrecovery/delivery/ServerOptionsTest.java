package io.governedrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.Config;

import io.governedrecovery.controls.RecoveryControlsAuthenticatorFactory;

/** The server options of the delivery and the controls are read from their declarations: defaults, ranges, errors. */
public class ServerOptionsTest {

    /** A server option scope holding {@code options}, as Keycloak hands it to a factory's {@code init}. */
    public static Config.Scope scope(Map<String, String> options) {
        return (Config.Scope) Proxy.newProxyInstance(ServerOptionsTest.class.getClassLoader(),
                new Class<?>[] {Config.Scope.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> args.length == 1 ? options.get((String) args[0])
                            : options.getOrDefault((String) args[0], (String) args[1]);
                    case "getArray" -> options.containsKey((String) args[0]) ? options.get((String) args[0])
                            .split(",") : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void the_delivery_starts_with_its_defaults_and_with_values_at_the_ends_of_their_ranges() {
        assertThatCode(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of()))).doesNotThrowAnyException();
        assertThatCode(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of("queue-capacity", "1000000",
                "threads", "32", "retry-minutes", "0")))).doesNotThrowAnyException();
        assertThatCode(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of("queue-capacity", "1",
                "threads", "1", "retry-minutes", "1440")))).doesNotThrowAnyException();
    }

    @Test
    void a_delivery_option_out_of_range_stops_the_start_naming_the_option_and_its_range() {
        assertThatThrownBy(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of("threads", "33"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Governed Recovery delivery: Setting 'threads' has value '33'; allowed: 1 to 32");
        assertThatThrownBy(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of("queue-capacity", "0"))))
                .hasMessageContaining("'queue-capacity' has value '0'; allowed: 1 to 1000000");
        assertThatThrownBy(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of("retry-minutes", "1441"))))
                .hasMessageContaining("'retry-minutes' has value '1441'; allowed: 0 to 1440");
        assertThatThrownBy(() -> new DefaultRecoveryDeliveryFactory().init(scope(Map.of("threads", "two"))))
                .hasMessageContaining("allowed: a whole number from 1 to 32");
    }

    @Test
    void the_controls_list_refresh_is_read_from_its_declaration() {
        assertThatCode(() -> new RecoveryControlsAuthenticatorFactory().init(scope(Map.of("list-refresh-minutes",
                "10080", "list-dir", " /tmp ", "list-http-hosts", "lists.example,  ")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> new RecoveryControlsAuthenticatorFactory().init(scope(Map.of(
                "list-refresh-minutes", "0")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Governed Recovery controls: Setting 'list-refresh-minutes' has value '0'; allowed: 1 to "
                        + "10080");
        assertThat(RecoveryControlsAuthenticatorFactory.LIST_REFRESH_MINUTES.property().getHelpText())
                .endsWith("Allowed: 1 to 10080.");
    }
}
