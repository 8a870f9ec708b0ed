package io.governedrecovery.governance;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.governedrecovery.web.Csv;

/**
 * The registration compliance of a realm's users (or one group's members), written as it is read: each user's
 * standing as one row, then the counts in total, by group and by department, as JSON or as CSV. The rows come page
 * by page from a {@link Pages} source and go straight to the output, so the memory the report needs does not grow
 * with the number of users: only the counts stay, one per group and department (at most {@link #MAX_KEYS} of each,
 * more are counted under {@link #OTHER}).
 */
public final class ComplianceReport {

    /** Users read per page (each page in its own transaction) unless the server sets another size. */
    public static final int DEFAULT_PAGE_SIZE = 500;
    /** Distinct groups, and distinct departments, counted by name; more are counted under {@link #OTHER}. */
    public static final int MAX_KEYS = 10_000;
    /** The count of groups or departments beyond {@link #MAX_KEYS}, and of users without a department. */
    public static final String OTHER = "(other)";
    public static final String NONE = "(none)";
    public static final String CSV_HEADER = "id,username,tier,status,reason,methods,in_cooldown,department,groups";

    private static final JsonFactory JSON = new JsonFactory();

    private ComplianceReport() {
    }

    /** One user's line of the report. */
    public record Row(String id, String username, Compliance.Standing standing, String department,
                      List<String> groups) {

        public Row {
            groups = List.copyOf(groups);
        }

        /** The row of {@code user}, whose standing is {@code standing}, with {@code departmentAttribute}'s value. */
        public static Row of(UserModel user, Compliance.Standing standing, String departmentAttribute) {
            return new Row(user.getId(), user.getUsername(), standing, user.getFirstAttribute(departmentAttribute),
                    user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).sorted().toList());
        }

        /** {@code meets}, {@code misses}, or {@code not-applicable} (break-glass accounts). */
        public String status() {
            return !standing.applicable() ? "not-applicable" : standing.meets() ? "meets" : "misses";
        }

        int column() {
            return !standing.applicable() ? 2 : standing.meets() ? 0 : 1;
        }
    }

    /** The counts of users meeting, missing, and out of scope: in total, by group and by department. */
    public static final class Totals {

        private final int[] total = new int[3];
        private final Map<String, int[]> byGroup = new TreeMap<>();
        private final Map<String, int[]> byDepartment = new TreeMap<>();

        public void add(Row row) {
            int column = row.column();
            total[column]++;
            for (String g : row.groups()) {
                counter(byGroup, g)[column]++;
            }
            counter(byDepartment, row.department() == null || row.department().isBlank() ? NONE : row.department())
                    [column]++;
        }

        private static int[] counter(Map<String, int[]> counts, String key) {
            int[] c = counts.get(key);
            if (c == null) {
                c = counts.computeIfAbsent(counts.size() < MAX_KEYS ? key : OTHER, k -> new int[3]);
            }
            return c;
        }

        public long users() {
            return (long) total[0] + total[1] + total[2];
        }

        public int meeting() {
            return total[0];
        }

        public int missing() {
            return total[1];
        }

        public int notApplicable() {
            return total[2];
        }

        /** The counts of one group (by path) or department, as meeting, missing, not applicable; null if none. */
        public int[] group(String path) {
            int[] c = byGroup.get(path);
            return c == null ? null : c.clone();
        }

        public int[] department(String name) {
            int[] c = byDepartment.get(name);
            return c == null ? null : c.clone();
        }

        public int groups() {
            return byGroup.size();
        }

        public int departments() {
            return byDepartment.size();
        }
    }

    /**
     * One page of the users, starting at a position: the rows of those the caller may see, and how many users the
     * source read (an empty page, {@code read == 0}, ends the report).
     */
    public record Page(List<Row> rows, int read) {
    }

    /** Where the users come from, a page at a time (each read on its own, so nothing of a page outlives it). */
    @FunctionalInterface
    public interface Pages {
        Page read(int first, int max);
    }

    /** How the rows and counts are written. */
    public interface Format {
        void begin() throws IOException;

        void row(Row row) throws IOException;

        /** After each page: what was written so far leaves for the caller. */
        void flush() throws IOException;

        void end(Totals totals) throws IOException;
    }

    /**
     * The reading stopped part-way (the database went away, for example): the output is cut short, and the response
     * must end as a broken transfer, never as a complete-looking document.
     */
    public static final class Aborted extends IOException {
        private final long written;

        public Aborted(long written, RuntimeException cause) {
            super("The compliance report stopped after " + written + " users: " + cause.getMessage(), cause);
            this.written = written;
        }

        public long written() {
            return written;
        }
    }

    /**
     * Writes the report: {@code first} (the first page, already read, or null), then page after page of
     * {@code pageSize} users until a page reads none. Returns the counts. A page that fails is an {@link Aborted}.
     */
    public static Totals write(Pages pages, Page first, int pageSize, Format format) throws IOException {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        Totals totals = new Totals();
        format.begin();
        Page page = first;
        int position = 0;
        while (true) {
            if (page == null) {
                try {
                    page = pages.read(position, pageSize);
                } catch (RuntimeException failed) {
                    throw new Aborted(totals.users(), failed);
                }
            }
            if (page.read() == 0) {
                break;
            }
            for (Row row : page.rows()) {
                format.row(row);
                totals.add(row);
            }
            format.flush();
            // A page may hold fewer users than asked (one deleted meanwhile): only an empty page ends the report.
            position += pageSize;
            page = null;
        }
        format.end(totals);
        return totals;
    }

    /**
     * JSON: {@code {"users": [...], "totals": {...}, "byGroup": {...}, "departmentAttribute": "...",
     * "byDepartment": {...}}}, every field of a row named, null ones too.
     */
    public static Format json(OutputStream out, String departmentAttribute) throws IOException {
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
        return new Format() {
            @Override
            public void begin() throws IOException {
                json.writeStartObject();
                json.writeArrayFieldStart("users");
            }

            @Override
            public void row(Row row) throws IOException {
                Compliance.Standing s = row.standing();
                json.writeStartObject();
                json.writeStringField("id", row.id());
                json.writeStringField("username", row.username());
                json.writeStringField("tier", s.tier());
                json.writeStringField("status", row.status());
                json.writeStringField("reason", s.reason());
                strings(json, "methods", s.methods());
                strings(json, "inCooldown", s.inCooldown());
                json.writeNumberField("requiredMethods", s.requiredMethods());
                json.writeNumberField("requiredStrong", s.requiredStrong());
                json.writeStringField("department", row.department());
                strings(json, "groups", row.groups());
                json.writeEndObject();
            }

            @Override
            public void flush() throws IOException {
                json.flush();
            }

            @Override
            public void end(Totals totals) throws IOException {
                json.writeEndArray();
                totals(json, totals, departmentAttribute);
            }
        };
    }

    /** A format written at the end only, from the counts (the rows are counted, not listed). */
    private abstract static class CountsOnly implements Format {
        @Override
        public void begin() {
            // nothing is written before the end
        }

        @Override
        public void row(Row row) {
            // counted in the totals only
        }

        @Override
        public void flush() {
            // nothing is written before the end
        }
    }

    /**
     * The counts only, without a line per user (for a chart, or a report too large to read whole):
     * {@code {"totals": {...}, "byGroup": {...}, "departmentAttribute": "...", "byDepartment": {...}}}.
     */
    public static Format summary(OutputStream out, String departmentAttribute) throws IOException {
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
        return new CountsOnly() {
            @Override
            public void end(Totals totals) throws IOException {
                json.writeStartObject();
                totals(json, totals, departmentAttribute);
            }
        };
    }

    /** The counts by department as CSV: department, users, meeting, missing, not applicable (CRLF line ends). */
    public static Format departmentsCsv(OutputStream out) {
        Writer csv = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        return new CountsOnly() {
            @Override
            public void end(Totals totals) throws IOException {
                csv.write(DEPARTMENTS_CSV_HEADER + "\r\n");
                for (Map.Entry<String, int[]> e : totals.byDepartment.entrySet()) {
                    int[] c = e.getValue();
                    csv.write(Csv.cell(e.getKey()) + ',' + (c[0] + c[1] + c[2]) + ',' + c[0] + ',' + c[1] + ',' + c[2]
                            + "\r\n");
                }
                csv.flush();
            }
        };
    }

    public static final String DEPARTMENTS_CSV_HEADER = "department,users,meeting,missing,not_applicable";

    private static void totals(JsonGenerator json, Totals totals, String departmentAttribute) throws IOException {
        json.writeFieldName("totals");
        counts(json, totals.total);
        json.writeObjectFieldStart("byGroup");
        for (Map.Entry<String, int[]> e : totals.byGroup.entrySet()) {
            json.writeFieldName(e.getKey());
            counts(json, e.getValue());
        }
        json.writeEndObject();
        json.writeStringField("departmentAttribute", departmentAttribute);
        json.writeObjectFieldStart("byDepartment");
        for (Map.Entry<String, int[]> e : totals.byDepartment.entrySet()) {
            json.writeFieldName(e.getKey());
            counts(json, e.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
        json.flush();
    }

    /** CSV: a header line, then one line per user (cells quoted, formulas defused), CRLF line ends. */
    public static Format csv(OutputStream out) {
        Writer csv = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        return new Format() {
            @Override
            public void begin() throws IOException {
                csv.write(CSV_HEADER + "\r\n");
            }

            @Override
            public void row(Row row) throws IOException {
                Compliance.Standing s = row.standing();
                csv.write(Csv.cell(row.id()) + ',' + Csv.cell(row.username()) + ',' + Csv.cell(s.tier()) + ','
                        + Csv.cell(row.status()) + ',' + Csv.cell(s.reason()) + ','
                        + Csv.cell(String.join(" ", s.methods())) + ',' + Csv.cell(String.join(" ", s.inCooldown()))
                        + ',' + Csv.cell(row.department()) + ',' + Csv.cell(String.join(" ", row.groups())) + "\r\n");
            }

            @Override
            public void flush() throws IOException {
                csv.flush();
            }

            @Override
            public void end(Totals totals) throws IOException {
                csv.flush();
            }
        };
    }

    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    private static void counts(JsonGenerator json, int[] c) throws IOException {
        json.writeStartObject();
        json.writeNumberField("users", c[0] + c[1] + c[2]);
        json.writeNumberField("meeting", c[0]);
        json.writeNumberField("missing", c[1]);
        json.writeNumberField("notApplicable", c[2]);
        json.writeEndObject();
    }
}
