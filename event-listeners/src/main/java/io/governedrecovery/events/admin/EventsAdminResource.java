package io.governedrecovery.events.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.admin.AdminAccess;
import io.governedrecovery.admin.Csv;
import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.events.store.OutboxRecord;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Reads the outbox of one realm. Filters: {@code user} (id), {@code ip}, {@code rule} (findings), {@code from} and
 * {@code to} (ISO-8601 instants or epoch milliseconds), {@code limit} (1 to 1000, default 100), {@code format}
 * ({@code json} or {@code csv}). A bad filter is a 400 naming it.
 */
public final class EventsAdminResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 1000;

    private final KeycloakSession session;
    private final EventPipeline pipeline;

    EventsAdminResource(KeycloakSession session, EventPipeline pipeline) {
        this.session = session;
        this.pipeline = pipeline;
    }

    @GET
    @Path("events")
    public Response events(@QueryParam("user") String user, @QueryParam("ip") String ip,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("limit") String limit, @QueryParam("format") String format) {
        return query(null, user, ip, null, from, to, limit, format);
    }

    @GET
    @Path("findings")
    public Response findings(@QueryParam("user") String user, @QueryParam("ip") String ip,
                             @QueryParam("rule") String rule, @QueryParam("from") String from,
                             @QueryParam("to") String to, @QueryParam("limit") String limit,
                             @QueryParam("format") String format) {
        return query(OutboxRecord.Kind.FINDING, user, ip, rule, from, to, limit, format);
    }

    private Response query(OutboxRecord.Kind kind, String user, String ip, String rule, String from, String to,
                           String limit, String format) {
        RealmModel realm = session.getContext().getRealm();
        AdminAccess.require(session, realm, "view-events");
        if (pipeline == null) {
            return error(503, "pipeline", "the governed-recovery-events listener is not running");
        }
        long fromTime;
        long toTime;
        int max;
        try {
            fromTime = from == null ? 0 : time(from);
            toTime = to == null ? Long.MAX_VALUE : time(to);
        } catch (IllegalArgumentException e) {
            return error(400, from != null && !parses(from) ? "from" : "to",
                    "use an ISO-8601 instant (2026-11-27T10:00:00Z) or epoch milliseconds");
        }
        try {
            max = limit == null ? 100 : Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            return error(400, "limit", "use a whole number from 1 to " + MAX_LIMIT);
        }
        if (max < 1 || max > MAX_LIMIT) {
            return error(400, "limit", "use a whole number from 1 to " + MAX_LIMIT);
        }
        String shape = format == null ? "json" : format.trim().toLowerCase(java.util.Locale.ROOT);
        if (!shape.equals("json") && !shape.equals("csv")) {
            return error(400, "format", "use json or csv");
        }
        for (String[] field : new String[][] {{"user", user}, {"ip", ip}, {"rule", rule}}) {
            if (field[1] != null && (field[1].length() > 100 || field[1].chars().anyMatch(Character::isISOControl))) {
                return error(400, field[0], "at most 100 printable characters");
            }
        }
        List<OutboxRecord> rows = pipeline.outbox().search(realm.getId(), kind, blank(user), blank(ip), blank(rule),
                fromTime, toTime, max);
        if (kind == null) {
            rows = rows.stream().filter(r -> r.kind() != OutboxRecord.Kind.FINDING).toList();
        }
        return shape.equals("csv") ? csv(rows) : json(rows);
    }

    private static Response json(List<OutboxRecord> rows) {
        ArrayNode out = JSON.createArrayNode();
        for (OutboxRecord r : rows) {
            ObjectNode row = out.addObject();
            row.put("id", r.id());
            row.put("kind", r.kind().name());
            row.put("time", Instant.ofEpochMilli(r.eventTime()).toString());
            row.put("type", r.type());
            row.put("userId", r.userId());
            row.put("ip", r.ip());
            row.put("rule", r.rule());
            try {
                row.set("record", JSON.readTree(r.payload()));
            } catch (java.io.IOException e) {
                row.put("record", r.payload());
            }
        }
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response csv(List<OutboxRecord> rows) {
        StringBuilder csv = new StringBuilder("id,kind,time,type,user_id,ip,rule,record\r\n");
        for (OutboxRecord r : rows) {
            csv.append(cell(r.id())).append(',').append(r.kind().name()).append(',')
                    .append(Instant.ofEpochMilli(r.eventTime())).append(',').append(cell(r.type())).append(',')
                    .append(cell(r.userId())).append(',').append(cell(r.ip())).append(',').append(cell(r.rule()))
                    .append(',').append(cell(r.payload())).append("\r\n");
        }
        return Response.ok(csv.toString(), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"governed-recovery.csv\"").build();
    }

    static String cell(String value) {
        return Csv.cell(value);
    }

    private static long time(String value) {
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() < 19) {
            return Long.parseLong(v);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean parses(String value) {
        try {
            time(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Response error(int status, String parameter, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        body.put("parameter", parameter);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.toString()).build();
    }
}
