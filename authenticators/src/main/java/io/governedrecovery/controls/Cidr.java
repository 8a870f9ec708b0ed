package io.governedrecovery.controls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network (or one address) written as {@code 203.0.113.0/24}, {@code 2001:db8::/32} or
 * {@code 198.51.100.7}. Parsing never resolves a host name.
 */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Parses {@code text}; empty when it is not an address or network. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(mask(bytes.get(), prefix), prefix));
    }

    /** The bytes of an IP address literal (never a host name), or empty. */
    public static Optional<byte[]> literal(String address) {
        if (address == null || address.isEmpty() || address.length() > 45) {
            return Optional.empty();
        }
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !IPV6.matcher(address).matches()) {
            return Optional.empty();
        }
        if (v4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty(); // else the JDK would take it for a host name and look it up
                }
            }
        }
        try {
            // A literal only (checked above), so no name lookup happens.
            return Optional.of(InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(address, prefix), network);
    }

    public boolean contains(String address) {
        return literal(address).map(this::contains).orElse(false);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & (0xFF << (8 - keep)));
        }
        return masked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return "?/" + prefix;
        }
    }
}
