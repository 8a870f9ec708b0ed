package io.governedrecovery.controls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;

/**
 * Address lists (for example Tor exit addresses) an admin names in the recovery controls, one address or network per
 * line ({@code #} starts a comment). Reading a list never happens on a request thread: a request that meets a list not
 * loaded yet only asks the owning factory's background thread to load it, and until then the list counts as empty
 * (the decision event says so). Sources are held to what the operator allows by server options: https URLs, http only
 * to hosts the operator names, no redirect to another host, files only under the directory the operator names; every
 * read is cut off at {@value #MAX_BYTES} bytes while it streams. A list that cannot be read again keeps its last good
 * content, and the log and the policy summary say why.
 */
public final class AddressLists {

    private static final Logger LOG = Logger.getLogger(AddressLists.class);
    static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 3;

    /** What the operator allows as a list source (server options of the controls step). */
    public record Sources(Path directory, Set<String> httpHosts) {

        public static final Sources NONE = new Sources(null, Set.of());

        public Sources {
            httpHosts = Set.copyOf(httpHosts);
        }

        /** Why {@code source} may not be read, or null when it may. */
        String refusal(String source) {
            if (source.regionMatches(true, 0, "https://", 0, 8)) {
                return null;
            }
            if (source.regionMatches(true, 0, "http://", 0, 7)) {
                String host = URI.create(source).getHost();
                return host != null && httpHosts.contains(host.toLowerCase(Locale.ROOT)) ? null
                        : "plain http is allowed only to the hosts the server option 'list-http-hosts' names";
            }
            Path file = file(source);
            if (directory == null) {
                return "files are allowed only under the directory the server option 'list-dir' names (unset)";
            }
            if (!file.normalize().startsWith(directory)) {
                return "the file is outside the list directory " + directory;
            }
            return null;
        }
    }

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

        int size() {
            return addresses.size() + networks.size();
        }
    }

    /** Where a list stands: its last good content and, when the last read failed or was refused, why. */
    public record Status(String source, boolean loaded, int entries, long loadedAt, String problem) {
    }

    private record Entry(Loaded content, String problem, boolean pending) {
    }

    private final Sources sources;
    private final ExecutorService loader;
    private final Supplier<CloseableHttpClient> http;
    private final Map<String, Entry> lists = new ConcurrentHashMap<>();

    /**
     * @param sources what the operator allows
     * @param loader  the background thread that reads lists
     * @param http    Keycloak's HTTP client (its proxy and trust settings), asked for on the loader thread
     */
    AddressLists(Sources sources, ExecutorService loader, Supplier<CloseableHttpClient> http) {
        this.sources = sources;
        this.loader = loader;
        this.http = http;
    }

    /**
     * Whether {@code address} is on the list at {@code source}, as far as it is loaded. The first time a list is asked
     * for, its loading is started on the background thread and the answer is "no".
     */
    public boolean contains(String source, String address) {
        byte[] bytes = Cidr.literal(address).orElse(null);
        if (source == null || bytes == null) {
            return false;
        }
        Entry entry = lists.get(source);
        if (entry == null) {
            if (lists.putIfAbsent(source, new Entry(Loaded.EMPTY, null, true)) == null) {
                schedule(source);
            }
            entry = lists.get(source);
        }
        return entry.content().contains(bytes);
    }

    /** Whether the list at {@code source} is in use with content that was read (not pending, not failed first). */
    public boolean ready(String source) {
        Entry entry = source == null ? null : lists.get(source);
        return entry != null && entry.content().loadedAt() > 0;
    }

    /** Where the list at {@code source} stands, for the policy summary; a list nobody asked for yet starts loading. */
    public Status status(String source) {
        Entry entry = lists.get(source);
        if (entry == null) {
            if (lists.putIfAbsent(source, new Entry(Loaded.EMPTY, null, true)) == null) {
                schedule(source);
            }
            return new Status(source, false, 0, 0, null);
        }
        return new Status(source, entry.content().loadedAt() > 0, entry.content().size(), entry.content().loadedAt(),
                entry.problem());
    }

    /** Reloads every list in use, on the caller's (background) thread; a failed reload keeps the last good content. */
    public void refreshAll() {
        for (String source : List.copyOf(lists.keySet())) {
            load(source);
        }
    }

    private void schedule(String source) {
        try {
            loader.execute(() -> load(source));
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: the list stays empty
        }
    }

    /** Reads {@code source} now (background thread only) and keeps the outcome. */
    void load(String source) {
        Entry previous = lists.getOrDefault(source, new Entry(Loaded.EMPTY, null, true));
        String refusal = sources.refusal(source);
        if (refusal != null) {
            if (!refusal.equals(previous.problem())) {
                LOG.errorf("Governed Recovery refuses the address list %s: %s. It counts as empty; fix the "
                        + "'anonymizer-list' setting of the recovery controls or the server options.", source, refusal);
            }
            lists.put(source, new Entry(previous.content(), "refused: " + refusal, false));
            return;
        }
        try {
            Loaded loaded = parse(source.regionMatches(true, 0, "http", 0, 4) ? fetch(source) : read(source));
            LOG.infof("Governed Recovery loaded the address list %s: %d addresses, %d networks", source,
                    loaded.addresses().size(), loaded.networks().size());
            lists.put(source, new Entry(loaded, null, false));
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Governed Recovery could not read the address list %s; %s: %s", source,
                    previous.content().loadedAt() > 0 ? "the last good list (" + previous.content().size()
                            + " entries) stays in force" : "it counts as empty until a later refresh reads it",
                    e.toString());
            lists.put(source, new Entry(previous.content(), "unreadable: " + e.getMessage(), false));
        }
    }

    private String fetch(String source) throws IOException {
        CloseableHttpClient client = http.get();
        URI uri = URI.create(source);
        String host = uri.getHost();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpGet get = new HttpGet(uri);
            get.setConfig(RequestConfig.custom().setRedirectsEnabled(false).setConnectTimeout(5_000)
                    .setConnectionRequestTimeout(5_000).setSocketTimeout(10_000).build());
            try {
                HttpResponse response = client.execute(get);
                int status = response.getStatusLine().getStatusCode();
                if (status / 100 == 3 && response.getFirstHeader("Location") != null) {
                    URI next = uri.resolve(response.getFirstHeader("Location").getValue());
                    if (next.getHost() == null || !next.getHost().equalsIgnoreCase(host)
                            || !next.getScheme().equalsIgnoreCase(uri.getScheme())) {
                        throw new IOException("redirected to another host or scheme (" + next.getScheme() + "://"
                                + next.getHost() + "); follow no redirects off " + host);
                    }
                    uri = next;
                    continue;
                }
                if (status != 200 || response.getEntity() == null) {
                    throw new IOException("HTTP " + status);
                }
                try (InputStream in = response.getEntity().getContent()) {
                    return capped(in);
                }
            } finally {
                get.releaseConnection();
            }
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private String read(String source) throws IOException {
        Path file = file(source);
        Path real = file.toRealPath();
        if (sources.directory() == null || !real.startsWith(sources.directory().toRealPath())) {
            throw new IOException("the file resolves outside the list directory");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a regular file");
        }
        try (InputStream in = Files.newInputStream(real)) {
            return capped(in);
        }
    }

    /** Reads a stream as UTF-8, refusing it once it exceeds {@value #MAX_BYTES} bytes. */
    static String capped(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_BYTES + 1);
        if (data.length > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private static Path file(String source) {
        return source.startsWith("file:") ? Path.of(URI.create(source)) : Path.of(source);
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
        return new Loaded(Set.copyOf(addresses), List.copyOf(networks), Time.currentTimeMillis());
    }
}
