package io.governedrecovery.it.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.info.ProviderRepresentation;
import org.keycloak.representations.info.ServerInfoRepresentation;
import org.keycloak.representations.info.ThemeInfoRepresentation;

import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;

/** The JAR as shipped, dropped into providers/, is picked up by a real Keycloak. */
@ExtendWith(RealKeycloak.class)
class ProvidersLoadedIT {

    @Test
    void admin_sees_our_providers_and_theme_in_the_server_info(KeycloakServer server) {
        ServerInfoRepresentation info = server.admin().serverInfo().getInfo();

        Map<String, ProviderRepresentation> authenticators = info.getProviders().get("authenticator").getProviders();
        assertThat(authenticators).containsKey("governed-recovery-privileged");

        Map<String, ProviderRepresentation> listeners = info.getProviders().get("eventsListener").getProviders();
        assertThat(listeners).containsKey("governed-recovery-events");

        List<ThemeInfoRepresentation> loginThemes = info.getThemes().get("login");
        assertThat(loginThemes).extracting(ThemeInfoRepresentation::getName).contains("governed-recovery");
        List<ThemeInfoRepresentation> emailThemes = info.getThemes().get("email");
        assertThat(emailThemes).extracting(ThemeInfoRepresentation::getName).contains("governed-recovery");
    }

    @Test
    void privileged_condition_offers_its_settings_in_the_admin_console(KeycloakServer server) {
        var description = server.admin().realm("master").flows()
                .getAuthenticatorConfigDescription("governed-recovery-privileged");

        assertThat(description.getName()).contains("privileged account");
        assertThat(description.getProperties()).extracting("name").containsExactly(
                "privileged-realm-roles", "privileged-client-roles", "privileged-groups", "privileged-attribute",
                "break-glass-groups", "break-glass-attribute", "notify-group", "break-glass-test-days",
                "break-glass-test-window-minutes");
        assertThat(description.getProperties()).allSatisfy(p -> assertThat(p.getHelpText()).isNotBlank());
    }
}
