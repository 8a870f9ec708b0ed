package io.governedrecovery.adminapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.keycloak.common.util.Time;

import io.governedrecovery.core.risk.SignalKind;
import io.governedrecovery.events.pipeline.EventPipeline;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../activity}: the realm's recovery activity per hour over the last {@code days} (1 to 30, default 7): reset
 * attempts (a name given at the reset page), completed resets and findings, every hour of the period with its counts
 * (zeros too), oldest first, and the totals; {@code format=csv} gives the hours as CSV. For callers who may view the
 * realm's events. Counted from the event pipeline's records, which it keeps for {@code retention-days}.
 */
public final class ActivityResource {

    private static final long HOUR = 3_600_000L;
    static final int MAX_DAYS = 30;
    static final List<String> COLUMNS = List.of("attempts", "completions", "findings");
    private static final List<String> KINDS = List.of(SignalKind.RESET_STARTED.name(),
            SignalKind.RESET_COMPLETED.name());

    private final Api api;

    ActivityResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response activity(@QueryParam("days") String days, @QueryParam("format") String format) {
        api.auth.realm().requireViewEvents();
        int period = days(days);
        String shape = format == null || format.isBlank() ? "json" : format.trim();
        if (!shape.equals("json") && !shape.equals("csv")) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'format' is json or csv.");
        }
        EventPipeline pipeline = Api.pipeline(api.session);
        if (pipeline == null) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                    "The governed-recovery-events listener is not running on this server.");
        }
        long now = Time.currentTimeMillis();
        long to = now - Math.floorMod(now, HOUR) + HOUR; // the end of the current hour
        long from = to - period * 24L * HOUR;
        SortedMap<Long, int[]> counted = pipeline.outbox().activity(api.realm.getId(), from, to, KINDS);
        List<Map<String, Object>> hours = new ArrayList<>();
        int[] totals = new int[COLUMNS.size()];
        boolean asCsv = shape.equals("csv");
        StringBuilder csv = new StringBuilder(asCsv ? "hour," + String.join(",", COLUMNS) + "\r\n" : "");
        for (long hour = from; hour < to; hour += HOUR) {
            int[] c = counted.getOrDefault(hour, new int[COLUMNS.size()]);
            String at = Instant.ofEpochMilli(hour).toString();
            hours.add(Api.map("hour", at, COLUMNS.get(0), c[0], COLUMNS.get(1), c[1], COLUMNS.get(2), c[2]));
            if (asCsv) {
                csv.append(at).append(',').append(c[0]).append(',').append(c[1]).append(',').append(c[2])
                        .append("\r\n");
            }
            for (int i = 0; i < totals.length; i++) {
                totals[i] += c[i];
            }
        }
        if (asCsv) {
            return Response.ok(csv.toString(), "text/csv; charset=utf-8").header("Cache-Control", "no-store")
                    .header("Content-Disposition", "attachment; filename=\"recovery-activity.csv\"").build();
        }
        return Api.json(Response.Status.OK, Api.map("from", Instant.ofEpochMilli(from).toString(),
                "to", Instant.ofEpochMilli(to).toString(), "days", period, "hours", hours,
                "totals", Api.map(COLUMNS.get(0), totals[0], COLUMNS.get(1), totals[1], COLUMNS.get(2), totals[2])));
    }

    private static int days(String days) {
        if (days == null || days.isBlank()) {
            return 7;
        }
        try {
            int d = Integer.parseInt(days.trim());
            if (d >= 1 && d <= MAX_DAYS) {
                return d;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(Response.Status.BAD_REQUEST, "'days' is a whole number from 1 to " + MAX_DAYS + ".");
    }
}
