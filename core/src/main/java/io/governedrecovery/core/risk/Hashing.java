package io.governedrecovery.core.risk;

/** A fast 64-bit string hash (FNV-1a with a final avalanche) for table keys; never 0. Not for secrets. */
public final class Hashing {

    private Hashing() {
    }

    public static long hash64(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** The hash of a subject within a realm. */
    public static long scoped(String realmId, String key) {
        return key == null || key.isEmpty() ? 0 : hash64(realmId + '\u0000' + key);
    }
}
