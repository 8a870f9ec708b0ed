package io.governedrecovery.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The part of a client address that the per-address limits count. An IPv4 address counts as itself; an IPv6 address
 * counts by its /64 network, because one subscriber usually holds a whole /64 and could otherwise take a fresh address
 * (and a fresh budget) for every try.
 */
public final class CountedAddress {

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private CountedAddress() {
    }

    public static String of(String address) {
        if (address == null || address.isBlank()) {
            return "-";
        }
        if (address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            // A literal (only hex digits, colons and dots): parsed without any name lookup.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
        } catch (UnknownHostException notAnAddress) {
            return address;
        }
    }
}
