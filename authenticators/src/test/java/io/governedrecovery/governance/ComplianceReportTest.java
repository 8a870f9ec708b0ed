package io.governedrecovery.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ComplianceReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Compliance.Standing MEETS = new Compliance.Standing("standard", true, true,
            List.of("totp", "email-code"), 2, 1, null, List.of("totp"));
    private static final Compliance.Standing MISSES = new Compliance.Standing("privileged", true, false,
            List.of("email-code"), 2, 2, "needs 2 more strong methods", List.of());
    private static final Compliance.Standing OUT = new Compliance.Standing("break-glass", false, true, List.of(), 0,
            0, null, List.of());

    /** User i: every third misses, every fifth is break-glass, departments sales/it/none, all in /staff. */
    private static ComplianceReport.Row user(int i) {
        Compliance.Standing s = i % 5 == 0 ? OUT : i % 3 == 0 ? MISSES : MEETS;
        String department = i % 3 == 0 ? "sales" : i % 3 == 1 ? "it" : null;
        return new ComplianceReport.Row("id-" + i, "user-" + i, s, department,
                i % 2 == 0 ? List.of("/staff", "/staff/even") : List.of("/staff"));
    }

    /** {@code total} users served a page at a time, every position asked recorded in {@code asked}. */
    private static ComplianceReport.Pages users(int total, List<Integer> asked) {
        return (first, max) -> {
            asked.add(first);
            List<ComplianceReport.Row> rows = new ArrayList<>();
            for (int i = first; i < Math.min(total, first + max); i++) {
                rows.add(user(i));
            }
            return new ComplianceReport.Page(rows, rows.size());
        };
    }

    @Test
    void every_user_is_written_page_after_page_until_a_page_reads_none() throws IOException {
        List<Integer> asked = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceReport.Totals totals = ComplianceReport.write(users(10, asked), null, 3,
                ComplianceReport.csv(out));

        assertThat(asked).containsExactly(0, 3, 6, 9, 12);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).isEqualTo(ComplianceReport.CSV_HEADER);
        assertThat(lines.subList(1, 11)).allSatisfy(line -> assertThat(line).startsWith("\"id-"));
        assertThat(totals.users()).isEqualTo(10);
        // 0 and 5 are break-glass; 3, 6, 9 miss; the rest meet
        assertThat(totals.notApplicable()).isEqualTo(2);
        assertThat(totals.missing()).isEqualTo(3);
        assertThat(totals.meeting()).isEqualTo(5);
    }

    @Test
    void a_page_already_read_is_written_first_and_not_read_again() throws IOException {
        List<Integer> asked = new ArrayList<>();
        ComplianceReport.Pages pages = users(5, asked);
        ComplianceReport.Page first = pages.read(0, 4);
        asked.clear();
        ComplianceReport.Totals totals = ComplianceReport.write(pages, first, 4,
                ComplianceReport.csv(OutputStream.nullOutputStream()));
        assertThat(asked).containsExactly(4, 8);
        assertThat(totals.users()).isEqualTo(5);
    }

    @Test
    void a_short_page_or_users_hidden_from_the_caller_do_not_end_the_report() throws IOException {
        // Page 2 lost a user deleted meanwhile; page 3's users are all hidden from this caller.
        ComplianceReport.Pages pages = (first, max) -> switch (first) {
            case 0 -> new ComplianceReport.Page(List.of(user(1), user(2)), 2);
            case 2 -> new ComplianceReport.Page(List.of(user(4)), 1);
            case 4 -> new ComplianceReport.Page(List.of(), 2);
            case 6 -> new ComplianceReport.Page(List.of(user(7)), 1);
            default -> new ComplianceReport.Page(List.of(), 0);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceReport.Totals totals = ComplianceReport.write(pages, null, 2, ComplianceReport.csv(out));
        assertThat(totals.users()).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"user-7\"");
    }

    @Test
    void the_summary_has_the_counts_and_no_user_and_its_csv_one_line_per_department() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceReport.write(users(10, new ArrayList<>()), null, 4, ComplianceReport.summary(out, "department"));
        JsonNode summary = JSON.readTree(out.toByteArray());
        assertThat(summary.has("users")).isFalse();
        assertThat(summary.path("totals").toString())
                .isEqualTo("{\"users\":10,\"meeting\":5,\"missing\":3,\"notApplicable\":2}");
        assertThat(summary.path("byDepartment").path("sales").toString())
                .isEqualTo("{\"users\":4,\"meeting\":0,\"missing\":3,\"notApplicable\":1}");
        assertThat(summary.path("departmentAttribute").asText()).isEqualTo("department");

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        ComplianceReport.write(users(10, new ArrayList<>()), null, 4, ComplianceReport.departmentsCsv(csv));
        assertThat(csv.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
                "department,users,meeting,missing,not_applicable\r\n\"" + ComplianceReport.NONE + "\",3,2,0,1\r\n"
                        + "\"it\",3,3,0,0\r\n\"sales\",4,0,3,1\r\n");
    }

    @Test
    void json_names_every_field_and_counts_in_total_by_group_and_by_department() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceReport.write(users(10, new ArrayList<>()), null, 4, ComplianceReport.json(out, "department"));
        JsonNode report = JSON.readTree(out.toByteArray());

        assertThat(report.path("users")).hasSize(10);
        JsonNode three = report.path("users").get(3);
        assertThat(three.path("id").asText()).isEqualTo("id-3");
        assertThat(three.path("username").asText()).isEqualTo("user-3");
        assertThat(three.path("tier").asText()).isEqualTo("privileged");
        assertThat(three.path("status").asText()).isEqualTo("misses");
        assertThat(three.path("reason").asText()).isEqualTo("needs 2 more strong methods");
        assertThat(three.path("methods").toString()).isEqualTo("[\"email-code\"]");
        assertThat(three.path("inCooldown").toString()).isEqualTo("[]");
        assertThat(three.path("requiredMethods").asInt()).isEqualTo(2);
        assertThat(three.path("requiredStrong").asInt()).isEqualTo(2);
        assertThat(three.path("department").asText()).isEqualTo("sales");
        assertThat(three.path("groups").toString()).isEqualTo("[\"/staff\"]");
        JsonNode one = report.path("users").get(1);
        assertThat(one.has("reason")).as("null fields are named").isTrue();
        assertThat(one.path("reason").isNull()).isTrue();
        assertThat(report.path("users").get(2).path("department").isNull()).isTrue();
        assertThat(report.path("users").get(0).path("status").asText()).isEqualTo("not-applicable");

        assertThat(report.path("totals").toString())
                .isEqualTo("{\"users\":10,\"meeting\":5,\"missing\":3,\"notApplicable\":2}");
        assertThat(report.path("byGroup").path("/staff").path("users").asInt()).isEqualTo(10);
        assertThat(report.path("byGroup").path("/staff/even").toString())
                .isEqualTo("{\"users\":5,\"meeting\":3,\"missing\":1,\"notApplicable\":1}");
        assertThat(report.path("departmentAttribute").asText()).isEqualTo("department");
        // sales: 0 (break-glass), 3, 6, 9 (miss); it: 1, 4, 7 (meet); none: 2, 5 (break-glass), 8
        assertThat(report.path("byDepartment").path("sales").toString())
                .isEqualTo("{\"users\":4,\"meeting\":0,\"missing\":3,\"notApplicable\":1}");
        assertThat(report.path("byDepartment").path("it").path("meeting").asInt()).isEqualTo(3);
        assertThat(report.path("byDepartment").path(ComplianceReport.NONE).path("users").asInt()).isEqualTo(3);
    }

    @Test
    void csv_cells_are_quoted_lists_joined_and_formulas_defused() throws IOException {
        ComplianceReport.Row row = new ComplianceReport.Row("i\"d", "=cmd|' /C calc'!A0", MEETS, "+sales",
                List.of("/a", "/b"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceReport.write((first, max) -> new ComplianceReport.Page(first == 0 ? List.of(row) : List.of(),
                first == 0 ? 1 : 0), null, 10, ComplianceReport.csv(out));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ComplianceReport.CSV_HEADER + "\r\n"
                + "\"i\"\"d\",\"'=cmd|' /C calc'!A0\",\"standard\",\"meets\",,\"totp email-code\",\"totp\","
                + "\"'+sales\",\"/a /b\"\r\n");
    }

    @Test
    void a_page_that_fails_stops_the_report_as_aborted_never_as_a_complete_document() {
        List<Integer> asked = new ArrayList<>();
        ComplianceReport.Pages healthy = users(100, asked);
        ComplianceReport.Pages failing = (first, max) -> {
            if (first >= 6) {
                throw new IllegalStateException("database went away");
            }
            return healthy.read(first, max);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> ComplianceReport.write(failing, null, 3, ComplianceReport.json(out, "department")))
                .isInstanceOfSatisfying(ComplianceReport.Aborted.class, aborted -> {
                    assertThat(aborted.written()).isEqualTo(6);
                    assertThat(aborted.getMessage()).contains("after 6 users", "database went away");
                });
        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(written).as("the pages read so far went out").contains("\"user-5\"").doesNotContain("user-6");
        assertThatThrownBy(() -> JSON.readTree(written)).as("what was written is not a whole document")
                .isInstanceOf(IOException.class);
    }

    @Test
    void distinct_departments_beyond_the_limit_are_counted_together() {
        ComplianceReport.Totals totals = new ComplianceReport.Totals();
        int users = ComplianceReport.MAX_KEYS + 500;
        for (int i = 0; i < users; i++) {
            totals.add(new ComplianceReport.Row("id-" + i, "u" + i, MEETS, "dept-" + i, List.of("/staff")));
        }
        totals.add(new ComplianceReport.Row("x", "x", MISSES, "dept-1", List.of()));
        assertThat(totals.departments()).isEqualTo(ComplianceReport.MAX_KEYS + 1);
        assertThat(totals.department(ComplianceReport.OTHER)[0]).isEqualTo(500);
        assertThat(totals.department("dept-1")).containsExactly(1, 1, 0);
        assertThat(totals.group("/staff")[0]).isEqualTo(users);
        assertThat(totals.users()).isEqualTo(users + 1L);
    }

    @Test
    void four_times_the_old_cap_of_users_stream_through_without_the_report_holding_them() throws IOException {
        int total = 200_000;
        int pageSize = 500;
        AtomicLong bytes = new AtomicLong();
        AtomicLong bytesWhenLastPageWasRead = new AtomicLong(-1);
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.addAndGet(len);
            }
        };
        IntFunction<ComplianceReport.Row> row = ComplianceReportTest::user;
        ComplianceReport.Pages pages = (first, max) -> {
            if (first >= total) {
                bytesWhenLastPageWasRead.set(bytes.get());
                return new ComplianceReport.Page(List.of(), 0);
            }
            List<ComplianceReport.Row> rows = new ArrayList<>(max);
            for (int i = first; i < Math.min(total, first + max); i++) {
                rows.add(row.apply(i));
            }
            return new ComplianceReport.Page(rows, rows.size());
        };
        ComplianceReport.Totals totals = ComplianceReport.write(pages, null, pageSize,
                ComplianceReport.json(counting, "department"));
        assertThat(totals.users()).isEqualTo(total);
        assertThat(totals.groups()).isEqualTo(2);
        // Nearly all of the output had left before the last page was read: rows are not kept for the end.
        assertThat(bytesWhenLastPageWasRead.get()).isGreaterThan(bytes.get() * 99 / 100);
    }
}
