package io.governedrecovery.adminapi;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.web.Csv;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../events} and {@code .../findings}: the realm's recent recovery events or anomaly findings from the
 * outbox, for callers who may view the realm's events. Filters: {@code user} (a username or a user id), {@code ip},
 * {@code rule} (findings: one of the scorer's rules), {@code from} and {@code to} (ISO-8601 instants or epoch
 * milliseconds), {@code limit} (1 to 1000, default 100), {@code format} ({@code json} or {@code csv}; the CSV spells out
 * step, method, decision, outcome, reason, error, rule and score in columns). A bad filter is a 400 naming it.
 */
public final class EventsResource {

    private static final int MAX_LIMIT = 1000;
    static final List<String> CSV_COLUMNS = List.of("id", "kind", "time", "type", "user_id", "username", "ip",
            "step", "method", "decision", "outcome", "reason", "tier", "error", "rule", "score");

    private final Api api;
    private final OutboxRecord.Kind kind;

    EventsResource(Api api, OutboxRecord.Kind kind) {
        this.api = api;
        this.kind = kind;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response query(@QueryParam("user") String user, @QueryParam("ip") String ip,
                          @QueryParam("rule") String rule, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("limit") String limit,
                          @QueryParam("format") String format) {
        api.auth.realm().requireViewEvents();
        EventPipeline pipeline = pipeline();
        if (pipeline == null) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                    "The governed-recovery-events listener is not running on this server.");
        }
        long fromTime = time(from, "from", 0);
        long toTime = time(to, "to", Long.MAX_VALUE);
        int max = limit(limit);
        String shape = format == null ? "json" : format.trim().toLowerCase(Locale.ROOT);
        if (!shape.equals("json") && !shape.equals("csv")) {
            throw error("format", "use json or csv");
        }
        for (String[] field : new String[][] {{"user", user}, {"ip", ip}, {"rule", rule}}) {
            if (field[1] != null && (field[1].length() > 255 || field[1].chars().anyMatch(Character::isISOControl))) {
                throw error(field[0], "at most 255 printable characters");
            }
        }
        String ruleFilter = blank(rule);
        if (ruleFilter != null && (kind != OutboxRecord.Kind.FINDING || !AnomalyScorer.RULES.contains(ruleFilter))) {
            throw error("rule", kind != OutboxRecord.Kind.FINDING ? "filters findings only"
                    : "use one of " + AnomalyScorer.RULES);
        }
        List<OutboxRecord> rows = pipeline.outbox().search(api.realm.getId(), kind, userId(blank(user)), blank(ip),
                ruleFilter, fromTime, toTime, max);
        if (kind == null) {
            rows = rows.stream().filter(r -> r.kind() != OutboxRecord.Kind.FINDING).toList();
        }
        return shape.equals("csv") ? csv(rows) : json(rows, kind == OutboxRecord.Kind.FINDING
                ? triages(pipeline) : Map.of());
    }

    /** The latest triage of each finding of the realm (of its newest thousand triages), by finding id. */
    private Map<String, Map<String, Object>> triages(EventPipeline pipeline) {
        Map<String, Map<String, Object>> latest = new LinkedHashMap<>();
        for (OutboxRecord r : pipeline.outbox().search(api.realm.getId(), OutboxRecord.Kind.ADMIN, null, null, null,
                List.of("ACTION_" + TriageResource.RESOURCE_TYPE), 0, Long.MAX_VALUE, MAX_LIMIT)) {
            JsonNode details = record(r).path("details");
            String finding = details.path(EventDetails.FINDING).asText("");
            if (!finding.isEmpty() && !latest.containsKey(finding)) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("verdict", details.path(EventDetails.VERDICT).asText(""));
                t.put("frozen", "true".equals(details.path(EventDetails.FROZEN).asText("")));
                t.put("note", details.path(TriageResource.NOTE).asText(""));
                t.put("by", details.path(TriageResource.BY).asText(""));
                t.put("at", Instant.ofEpochMilli(r.eventTime()).toString());
                latest.put(finding, t);
            }
        }
        return latest;
    }

    private EventPipeline pipeline() {
        return Api.pipeline(api.session);
    }

    /** A username of this realm stands for its account's id; anything else is taken as an id. */
    private String userId(String user) {
        if (user == null) {
            return null;
        }
        UserModel byName = api.session.users().getUserByUsername(api.realm, user.toLowerCase(Locale.ROOT));
        return byName != null ? byName.getId() : user;
    }

    private String username(String userId) {
        if (userId == null) {
            return null;
        }
        UserModel user = api.session.users().getUserById(api.realm, userId);
        return user == null ? null : user.getUsername();
    }

    private Response json(List<OutboxRecord> rows, Map<String, Map<String, Object>> triages) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (OutboxRecord r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("kind", r.kind().name());
            row.put("time", Instant.ofEpochMilli(r.eventTime()).toString());
            row.put("type", r.type());
            row.put("userId", r.userId());
            row.put("username", names.computeIfAbsent(String.valueOf(r.userId()), k -> username(r.userId())));
            row.put("ip", r.ip());
            row.put("rule", r.rule());
            row.put("record", record(r));
            if (r.kind() == OutboxRecord.Kind.FINDING) {
                row.put("triage", triages.get(r.id()));
            }
            out.add(row);
        }
        return Api.json(Response.Status.OK, out);
    }

    private Response csv(List<OutboxRecord> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        Map<String, String> names = new LinkedHashMap<>();
        for (OutboxRecord r : rows) {
            JsonNode record = record(r);
            JsonNode details = record.path("details");
            List<String> cells = List.of(r.id(), r.kind().name(), Instant.ofEpochMilli(r.eventTime()).toString(),
                    r.type(), text(r.userId()), text(names.computeIfAbsent(String.valueOf(r.userId()),
                            k -> username(r.userId()))), text(r.ip()), details.path("gr_step").asText(""),
                    details.path("gr_method").asText(""), details.path("gr_decision").asText(""),
                    details.path("gr_outcome").asText(""), details.path("gr_reason").asText(""),
                    details.path("gr_tier").asText(""), record.path("error").asText(""), text(r.rule()),
                    record.path("score").asText(""));
            csv.append(String.join(",", cells.stream().map(Csv::cell).toList())).append("\r\n");
        }
        String file = kind == OutboxRecord.Kind.FINDING ? "recovery-findings.csv" : "recovery-events.csv";
        return Response.ok(csv.toString(), "text/csv; charset=utf-8").header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    private static JsonNode record(OutboxRecord r) {
        try {
            return JsonSerialization.mapper.readTree(r.payload());
        } catch (IOException e) {
            return JsonSerialization.mapper.createObjectNode();
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static long time(String value, String name, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        if (!v.isEmpty() && v.length() < 19 && v.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw error(name, "use an ISO-8601 instant (2026-11-27T10:00:00Z) or epoch milliseconds");
        }
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 100;
        }
        try {
            int max = Integer.parseInt(limit.trim());
            if (max >= 1 && max <= MAX_LIMIT) {
                return max;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw error("limit", "use a whole number from 1 to " + MAX_LIMIT);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static ApiException error(String parameter, String message) {
        return new ApiException(Response.Status.BAD_REQUEST, "'" + parameter + "': " + message + ".");
    }
}
