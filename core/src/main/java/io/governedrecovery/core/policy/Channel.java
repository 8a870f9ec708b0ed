package io.governedrecovery.core.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * One independent channel: its kind and, where a user can have several of a kind, its identity (a normalized email
 * address or phone number). Two methods on one channel count once toward the policy.
 */
public record Channel(ChannelKind kind, String identity) {

    public Channel {
        Objects.requireNonNull(kind, "kind");
        identity = identity == null ? "" : identity.trim().toLowerCase(Locale.ROOT);
    }

    public static Channel of(ChannelKind kind) {
        return new Channel(kind, "");
    }

    public static Channel mailbox(String address) {
        return new Channel(ChannelKind.MAILBOX, address);
    }

    /** A phone channel keyed by its digits only, so "+49 170 1234" and "+491701234" are one channel. */
    public static Channel phone(String number) {
        String digits = number == null ? "" : number.replaceAll("[^0-9+]", "");
        return new Channel(ChannelKind.PHONE, digits);
    }

    /** A stable key for storage in an authentication session note. */
    public String key() {
        return identity.isEmpty() ? kind.name() : kind.name() + ":" + identity;
    }

    public static Channel fromKey(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? of(ChannelKind.valueOf(key))
                : new Channel(ChannelKind.valueOf(key.substring(0, colon)), key.substring(colon + 1));
    }
}
