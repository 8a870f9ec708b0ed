package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every sink of the event pipeline received, read incrementally (each record parsed once, however often it is
 * asked): the JSON Lines files of one or more nodes, a syslog receiver's messages, a webhook's records. Counts copies
 * per record id ({@code metadata.uid}) and sink, so a test can tell a lost record (an id missing from a sink) from a
 * duplicate (an id delivered more than once) and from an event exported under an id Keycloak never committed.
 */
public final class SinkTally {

    public static final String FILE = "file";
    public static final String SYSLOG = "syslog";
    public static final String WEBHOOK = "webhook";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SYSLOG_ID = Pattern.compile("\\[governedRecovery@32473 id=\"([^\"]+)\"");

    /** What a record says about itself: enough to select the records of one scenario. */
    public record Meta(String id, String keycloakType, String userId, int classUid, String rule, String subjectUserId) {

        /** A Keycloak event of {@code type} about {@code user}. */
        public boolean is(String type, String user) {
            return type.equals(keycloakType) && user.equals(userId);
        }

        public boolean finding() {
            return classUid == 2004;
        }
    }

    private final List<Path> files;
    private final Supplier<Path> syslogFile;
    private final Supplier<List<String>> syslogMessages;
    private final WebhookReceiver webhook;

    private final Map<Path, Long> offsets = new HashMap<>();
    private long syslogOffset;
    private int syslogSeen;
    private int webhookSeen;
    private final Map<String, Map<String, Integer>> copies = new LinkedHashMap<>();
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();

    private SinkTally(List<Path> exportDirs, Supplier<Path> syslogFile, Supplier<List<String>> syslogMessages,
                      WebhookReceiver webhook) {
        this.files = exportDirs.stream().map(d -> d.resolve(ExportedEvents.FILE)).toList();
        this.syslogFile = syslogFile;
        this.syslogMessages = syslogMessages;
        this.webhook = webhook;
        copies.put(FILE, new HashMap<>());
        if (syslogFile != null || syslogMessages != null) {
            copies.put(SYSLOG, new HashMap<>());
        }
        if (webhook != null) {
            copies.put(WEBHOOK, new HashMap<>());
        }
    }

    /** The export files of {@code exportDirs} (one per node), rsyslog's RELP receiver and the webhook. */
    public static SinkTally of(List<Path> exportDirs, RsyslogServer relp, WebhookReceiver webhook) {
        return new SinkTally(exportDirs, relp == null ? null : relp::receivedFile, null, webhook);
    }

    /** The export files of {@code exportDirs}, a plain TCP syslog receiver and the webhook. */
    public static SinkTally of(List<Path> exportDirs, SyslogReceiver tcp, WebhookReceiver webhook) {
        return new SinkTally(exportDirs, null, tcp == null ? null : tcp::messages, webhook);
    }

    /** The shared server's sinks: its export directory, rsyslog (RELP) and the webhook. */
    public static SinkTally of(TestEnvironment env) {
        return of(List.of(env.exportDir()), env.syslog(), env.webhook());
    }

    /** The sinks this tally reads: file, and syslog and webhook when there are such receivers. */
    public Set<String> sinks() {
        return copies.keySet();
    }

    /** Reads what arrived since the last call. */
    public synchronized SinkTally refresh() {
        for (Path file : files) {
            long offset = offsets.getOrDefault(file, 0L);
            offsets.put(file, readLines(file, offset, line -> count(FILE, parse(line))));
        }
        if (syslogFile != null) {
            syslogOffset = readLines(syslogFile.get(), syslogOffset, line -> count(SYSLOG, fromSyslog(line)));
        } else if (syslogMessages != null) {
            List<String> all = syslogMessages.get();
            for (int i = syslogSeen; i < all.size(); i++) {
                count(SYSLOG, fromSyslog(all.get(i)));
            }
            syslogSeen = all.size();
        }
        if (webhook != null) {
            List<JsonNode> all = webhook.records();
            for (int i = webhookSeen; i < all.size(); i++) {
                count(WEBHOOK, meta(all.get(i)));
            }
            webhookSeen = all.size();
        }
        return this;
    }

    /** Copies of record {@code id} a sink received (0: not there). */
    public synchronized int copies(String sink, String id) {
        return copies.get(sink).getOrDefault(id, 0);
    }

    /** Ids a sink received at least once. */
    public synchronized Set<String> ids(String sink) {
        return new HashSet<>(copies.get(sink).keySet());
    }

    /** Every record id seen in any sink whose record {@code which} accepts. */
    public synchronized Set<String> seen(Predicate<Meta> which) {
        Set<String> ids = new HashSet<>();
        for (Meta m : meta.values()) {
            if (which.test(m)) {
                ids.add(m.id());
            }
        }
        return ids;
    }

    public Meta meta(String id) {
        return meta.get(id);
    }

    /** Whether every sink has every id of {@code ids} (after a refresh). */
    public boolean everySinkHas(Set<String> ids) {
        refresh();
        return sinks().stream().allMatch(sink -> missing(sink, ids).isEmpty());
    }

    /** The ids of {@code ids} a sink does not have. */
    public synchronized Set<String> missing(String sink, Set<String> ids) {
        Map<String, Integer> got = copies.get(sink);
        Set<String> missing = new HashSet<>();
        for (String id : ids) {
            if (!got.containsKey(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    /** Extra copies of the records {@code ids} a sink received (copies beyond the first, summed). */
    public synchronized long duplicates(String sink, Set<String> ids) {
        Map<String, Integer> got = copies.get(sink);
        long extra = 0;
        for (String id : ids) {
            extra += Math.max(0, got.getOrDefault(id, 0) - 1);
        }
        return extra;
    }

    /** Per sink: the ids {@code which} accepts that are not among {@code committed} (an event exported twice under two ids). */
    public synchronized Map<String, Set<String>> strangers(Set<String> committed, Predicate<Meta> which) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String sink : copies.keySet()) {
            Set<String> strange = new HashSet<>();
            for (String id : copies.get(sink).keySet()) {
                Meta m = meta.get(id);
                if (m != null && which.test(m) && !committed.contains(id)) {
                    strange.add(id);
                }
            }
            out.put(sink, strange);
        }
        return out;
    }

    /** Lost, duplicated and foreign records of {@code committed} (the events {@code which} accepts), per sink. */
    public Delivery delivery(Set<String> committed, Predicate<Meta> which) {
        refresh();
        Map<String, Integer> lost = new LinkedHashMap<>();
        Map<String, Long> dup = new LinkedHashMap<>();
        Map<String, Set<String>> strangers = strangers(committed, which);
        for (String sink : sinks()) {
            lost.put(sink, missing(sink, committed).size());
            dup.put(sink, duplicates(sink, committed));
        }
        return new Delivery(committed.size(), lost, dup, strangers.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size(),
                        (a, b) -> a, LinkedHashMap::new)));
    }

    /**
     * What one scenario's committed events became at the sinks.
     *
     * @param lost       per sink, committed events it never received
     * @param duplicates per sink, extra copies of committed events (same id)
     * @param strangers  per sink, records of the scenario's events under an id Keycloak did not commit (a duplicate
     *                   with another id, or an invented event)
     */
    public record Delivery(int committed, Map<String, Integer> lost, Map<String, Long> duplicates,
                           Map<String, Integer> strangers) {

        public int lostTotal() {
            return lost.values().stream().mapToInt(Integer::intValue).sum();
        }

        public long duplicatesTotal() {
            return duplicates.values().stream().mapToLong(Long::longValue).sum();
        }

        public int strangersTotal() {
            return strangers.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** "file 0, syslog 0, webhook 0" for a report cell. */
        public static String perSink(Map<String, ? extends Number> values) {
            List<String> parts = new ArrayList<>();
            values.forEach((sink, n) -> parts.add(sink + " " + n));
            return String.join(", ", parts);
        }
    }

    // --- reading ------------------------------------------------------------------------------------------------

    private void count(String sink, Meta m) {
        if (m == null || m.id().isEmpty()) {
            return;
        }
        meta.putIfAbsent(m.id(), m);
        copies.get(sink).merge(m.id(), 1, Integer::sum);
    }

    /** Reads the complete lines of {@code file} after {@code offset}; returns the offset after the last one. */
    private static long readLines(Path file, long offset, java.util.function.Consumer<String> line) {
        if (file == null || !Files.exists(file)) {
            return offset;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length < offset) {
                offset = 0; // rotated or rewritten: read it again (copies are then counted twice: avoid rotation)
            }
            if (length == offset) {
                return offset;
            }
            byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 16, length - offset)];
            in.seek(offset);
            in.readFully(bytes);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                    if (!text.isBlank()) {
                        line.accept(text);
                    }
                    start = i + 1;
                }
            }
            return offset + start;
        } catch (IOException e) {
            throw new HarnessException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Meta parse(String json) {
        try {
            return meta(JSON.readTree(json));
        } catch (IOException e) {
            throw new HarnessException("An exported line is not JSON: " + json, e);
        }
    }

    private static Meta fromSyslog(String message) {
        Matcher m = SYSLOG_ID.matcher(message);
        if (!m.find()) {
            return null;
        }
        int json = message.indexOf('{', m.end());
        if (json < 0) {
            return new Meta(m.group(1), "", "", 0, "", "");
        }
        Meta parsed = parse(message.substring(json));
        return new Meta(m.group(1), parsed.keycloakType(), parsed.userId(), parsed.classUid(), parsed.rule(),
                parsed.subjectUserId());
    }

    private static Meta meta(JsonNode r) {
        return new Meta(r.path("metadata").path("uid").asText(), r.path("unmapped").path("keycloak_type").asText(),
                r.path("user").path("uid").asText(), r.path("class_uid").asInt(), r.path("unmapped").path("rule")
                .asText(), r.path("evidences").path(0).path("user").path("uid").asText());
    }
}
