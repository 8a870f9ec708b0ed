package io.governedrecovery.controls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * Address lists (for example Tor exit addresses) read from a file or URL an admin names, one address or network per
 * line ({@code #} starts a comment). Each list is loaded once when first needed and then refreshed in the background by
 * the owning factory; a list that cannot be read keeps its last good content, and the log says why. Bad lines are
 * skipped and counted.
 */
public final class AddressLists {

    private static final Logger LOG = Logger.getLogger(AddressLists.class);
    private static final int MAX_BYTES = 16 * 1024 * 1024;

    /** A loaded list: exact addresses (fast lookup) and networks. */
    record Loaded(Set<String> addresses, List<Cidr> networks, long loadedAt) {
        static final Loaded EMPTY = new Loaded(Set.of(), List.of(), 0);

        boolean contains(byte[] address) {
            if (addresses.contains(java.util.HexFormat.of().formatHex(address))) {
                return true;
            }
            for (Cidr network : networks) {
                if (network.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, Loaded> lists = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** Whether {@code address} is on the list at {@code source}; loads the list the first time it is asked for. */
    public boolean contains(String source, String address) {
        byte[] bytes = Cidr.literal(address).orElse(null);
        if (source == null || bytes == null) {
            return false;
        }
        return lists.computeIfAbsent(source, this::firstLoad).contains(bytes);
    }

    /** Reloads every list in use; a failed reload keeps the last good content. */
    public void refreshAll() {
        for (String source : List.copyOf(lists.keySet())) {
            try {
                lists.put(source, load(source));
            } catch (IOException | RuntimeException e) {
                LOG.errorf("Governed Recovery could not refresh the address list %s; the last good list (%d entries) "
                        + "stays in force: %s", source, size(lists.get(source)), e.toString());
            }
        }
    }

    private Loaded firstLoad(String source) {
        try {
            return load(source);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Governed Recovery could not read the address list %s; it counts as empty until a background "
                    + "refresh reads it: %s", source, e.toString());
            return Loaded.EMPTY;
        }
    }

    private static int size(Loaded loaded) {
        return loaded == null ? 0 : loaded.addresses().size() + loaded.networks().size();
    }

    Loaded load(String source) throws IOException {
        String text;
        if (source.regionMatches(true, 0, "http", 0, 4)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(source)).timeout(Duration.ofSeconds(10)).GET()
                    .build();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                if (response.body().length > MAX_BYTES) {
                    throw new IOException("larger than " + MAX_BYTES + " bytes");
                }
                text = new String(response.body(), StandardCharsets.UTF_8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        } else {
            Path path = source.startsWith("file:") ? Path.of(URI.create(source)) : Path.of(source);
            if (Files.size(path) > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        }
        Loaded loaded = parse(text);
        LOG.infof("Governed Recovery loaded the address list %s: %d addresses, %d networks", source,
                loaded.addresses().size(), loaded.networks().size());
        return loaded;
    }

    static Loaded parse(String text) {
        Set<String> addresses = new HashSet<>();
        List<Cidr> networks = new ArrayList<>();
        int bad = 0;
        for (String line : text.split("\\R")) {
            String entry = line.replaceFirst("#.*", "").trim();
            if (entry.isEmpty()) {
                continue;
            }
            var cidr = Cidr.parse(entry);
            if (cidr.isEmpty()) {
                bad++;
            } else if (cidr.get().prefix() == cidr.get().network().length * 8) {
                addresses.add(java.util.HexFormat.of().formatHex(cidr.get().network()));
            } else {
                networks.add(cidr.get());
            }
        }
        if (bad > 0) {
            LOG.warnf("Governed Recovery skipped %d lines of an address list that are not addresses or networks", bad);
        }
        return new Loaded(Set.copyOf(addresses), List.copyOf(networks), System.currentTimeMillis());
    }
}
