package io.governedrecovery.core.risk;

/**
 * One event reduced to what the scorer needs: kind, time and pre-computed 64-bit hashes (0 when unknown). Hashing
 * once at intake keeps scoring free of string work.
 *
 * @param time       event time, epoch milliseconds
 * @param subject    hash of the realm and the user id (or the typed name of an unknown account)
 * @param ip         hash of the realm and the source address
 * @param subnet     hash of the source /24 (IPv4) or /48 (IPv6)
 * @param department hash of the user's department
 * @param tier       0 standard, 1 privileged, 2 break-glass
 */
public record Signal(SignalKind kind, long time, long subject, long ip, long subnet, long department, int tier) {

    public static final int STANDARD = 0;
    public static final int PRIVILEGED = 1;
    public static final int BREAK_GLASS = 2;
}
