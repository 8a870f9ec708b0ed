package io.governedrecovery.controls;

import java.util.List;

/**
 * The address a recovery request comes from. {@code X-Forwarded-For} counts only when the request reaches Keycloak
 * from a trusted proxy; then the address is the right-most entry that is not itself a trusted proxy. A malformed
 * header is ignored (the direct peer is used), never an error.
 */
public final class ClientAddress {

    private static final int MAX_HEADER = 4096;
    private static final int MAX_HOPS = 20;

    private ClientAddress() {
    }

    public static String of(String remoteAddress, List<String> forwardedFor, List<Cidr> trustedProxies) {
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
