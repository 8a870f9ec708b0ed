package io.governedrecovery.controls;

import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Keycloak's own reverse-proxy options, read from its configuration: with {@code --proxy-headers} set, Keycloak itself
 * takes the client address from the proxy's headers (only from {@code --proxy-trusted-addresses}, when set), and the
 * connection's remote address is that client. Then Keycloak's options are the single source of truth for the client
 * address, and the recovery controls' own {@code trusted-proxies} setting is not used.
 */
public final class KeycloakProxyOptions {

    private static final Logger LOG = Logger.getLogger(KeycloakProxyOptions.class);

    private static volatile Boolean headersEnabled;

    private KeycloakProxyOptions() {
    }

    /** Whether Keycloak runs with {@code --proxy-headers} (forwarded or xforwarded); read once. */
    public static boolean headersEnabled() {
        Boolean known = headersEnabled;
        if (known == null) {
            known = read().isPresent();
            headersEnabled = known;
        }
        return known;
    }

    private static Optional<String> read() {
        try {
            return ConfigProvider.getConfig().getOptionalValue("kc.proxy-headers", String.class)
                    .map(String::trim).filter(v -> !v.isEmpty());
        } catch (RuntimeException | LinkageError outsideKeycloak) {
            // No MicroProfile Config here (unit tests): only the controls' own setting can tell.
            LOG.debugf("Keycloak's configuration is not readable (%s): proxy-headers counts as unset",
                    outsideKeycloak.toString());
            return Optional.empty();
        }
    }
}
