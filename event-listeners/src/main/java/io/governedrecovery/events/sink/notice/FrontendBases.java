package io.governedrecovery.events.sink.notice;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The frontend base URL each realm's requests last arrived on at this node (Keycloak's hostname and proxy settings
 * applied), for links in notices the notices sink sends from a background task, where there is no request. A realm
 * with a frontend URL of its own uses that instead; a node that has seen no request of a realm since it started (and
 * a realm without a frontend URL) sends its notices without the link, and logs it.
 */
public final class FrontendBases {

    private final Cache<String, URI> byRealm = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofDays(30)).build();

    /** Called on the request thread for each event: a map lookup, and a write only when the base changed. */
    public void seen(String realmId, URI base) {
        if (realmId != null && base != null && !base.equals(byRealm.getIfPresent(realmId))) {
            byRealm.put(realmId, base);
        }
    }

    public Optional<URI> of(String realmId) {
        return Optional.ofNullable(realmId == null ? null : byRealm.getIfPresent(realmId));
    }
}
