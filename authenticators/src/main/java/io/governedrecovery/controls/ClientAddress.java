package io.governedrecovery.controls;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

/**
 * The address a recovery request comes from.
 *
 * <p>Keycloak's own proxy options are the single source of truth: when Keycloak runs with {@code --proxy-headers}, the
 * connection's remote address already is the client Keycloak took from the proxy's headers (believed only from
 * {@code --proxy-trusted-addresses}), and that address is used as it is; the controls' {@code trusted-proxies} setting
 * is then ignored (with one warning in the log if it is set).
 *
 * <p>Only without {@code --proxy-headers} does the fallback apply: {@code X-Forwarded-For} counts only when the request
 * reaches Keycloak from one of the controls' trusted proxies; then the address is the right-most entry that is not
 * itself a trusted proxy. A malformed header is ignored (the direct peer is used), never an error.
 */
public final class ClientAddress {

    private static final Logger LOG = Logger.getLogger(ClientAddress.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private static final int MAX_HEADER = 4096;
    private static final int MAX_HOPS = 20;

    private ClientAddress() {
    }

    /** The client address of a request to this Keycloak: Keycloak's own when it reads proxy headers, else the fallback. */
    public static String of(String remoteAddress, List<String> forwardedFor, List<Cidr> trustedProxies) {
        return of(remoteAddress, forwardedFor, trustedProxies, KeycloakProxyOptions.headersEnabled());
    }

    /**
     * The client address when Keycloak does ({@code keycloakReadsProxyHeaders}) or does not read the proxy's headers
     * itself.
     */
    static String of(String remoteAddress, List<String> forwardedFor, List<Cidr> trustedProxies,
                     boolean keycloakReadsProxyHeaders) {
        if (keycloakReadsProxyHeaders) {
            if (!trustedProxies.isEmpty() && WARNED.compareAndSet(false, true)) {
                LOG.warn("The recovery controls' trusted-proxies setting is ignored: Keycloak runs with "
                        + "--proxy-headers, so its own proxy options (--proxy-trusted-addresses) decide the client "
                        + "address. Clear trusted-proxies in the realm's recovery controls.");
            }
            return remoteAddress;
        }
        return fallback(remoteAddress, forwardedFor, trustedProxies);
    }

    private static String fallback(String remoteAddress, List<String> forwardedFor, List<Cidr> trustedProxies) {
        if (remoteAddress == null || trustedProxies.isEmpty() || forwardedFor == null || forwardedFor.isEmpty()
                || !trusted(remoteAddress, trustedProxies)) {
            return remoteAddress;
        }
        String joined = String.join(",", forwardedFor);
        if (joined.length() > MAX_HEADER) {
            return remoteAddress;
        }
        String[] hops = joined.split(",");
        if (hops.length > MAX_HOPS) {
            return remoteAddress;
        }
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (Cidr.literal(hop).isEmpty()) {
                return remoteAddress; // not an address: the header cannot be trusted at all
            }
            if (!trusted(hop, trustedProxies)) {
                return hop;
            }
        }
        return remoteAddress;
    }

    private static boolean trusted(String address, List<Cidr> proxies) {
        return Cidr.literal(address).map(bytes -> proxies.stream().anyMatch(p -> p.contains(bytes))).orElse(false);
    }
}
