package io.governedrecovery.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.JavaRuntimes;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.PostgresServer;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * Scale suite (issue 14): a realm of {@code suite.scale.users} users (100,000) in PostgreSQL, one Keycloak node. Users
 * are seeded with SQL straight into Keycloak's tables (after the demo realm was imported through Keycloak, so only
 * users are written by hand), in steps ({@code suite.scale.sizes}, by default a tenth, a half and all of them); at
 * each step, with Keycloak's caches cleared:
 * <ul>
 *   <li>the compliance report, downloaded whole as JSON and as CSV: its time, every user exactly once (rows equal the
 *       realm's users), the counts equal to what the seeding implies, the server's heap after a full GC after the
 *       report and in the middle of one (what the report holds while it streams), PostgreSQL statements per user;</li>
 *   <li>browser sign-ins of users the registration campaign targets (they meet their policy: the campaign checks and
 *       lets them through) with the campaign on and off; reset requests (the tier decision) of standard and
 *       privileged accounts: time, Keycloak's statements and database time, server CPU per request.</li>
 * </ul>
 * At the largest size PostgreSQL is stopped in the middle of a report: the transfer must break off (never a complete-
 * looking document, never a 500 with a stack trace), and reports must work again once it is back. Writes
 * benchmarks/scale.md, then asserts: every report complete, within {@code suite.scale.limit-millis} (10 s) at the
 * largest size in each format, the heap after it not materially above the smallest size's.
 *
 * <p>Run: {@code ./benchmarks/run scale} (add {@code -Dsuite.scale.users=20000} for a short run).
 */
class ScaleSuite {

    static final int USERS = Integer.getInteger("suite.scale.users", 100_000);
    static final List<Integer> SIZES = sizes();
    static final int SIGN_INS = Integer.getInteger("suite.scale.signins", 100);
    static final int RESETS = Integer.getInteger("suite.scale.resets", 50);
    static final Duration LIMIT = Duration.ofMillis(Long.getLong("suite.scale.limit-millis", 10_000));
    /** How far the heap after a report at the largest size may lie above the smallest's: 20 %, at least 48 MiB. */
    static final double HEAP_SLACK = 0.20;
    static final long HEAP_SLACK_MIN_MB = 48;
    /** Downloads of each format per step; the median is asserted. */
    static final int RUNS = Integer.getInteger("suite.scale.runs", 3);
    static final boolean FAULT = Boolean.parseBoolean(System.getProperty("suite.scale.fault", "true"));
    /** The report's page size (server option), or empty for the shipped default. */
    static final String PAGE_SIZE = System.getProperty("suite.scale.page-size", "");
    /** Reports the node writes at once (server option {@code compliance-concurrent-reports}). */
    static final int SLOTS = Integer.getInteger("suite.scale.slots", 4);

    static final String REALM = "scale";
    static final String PASSWORD = "Scale-password-1";
    static final String SECRET = "scale-totp-secret-0123";
    static final String CAMPAIGN = "governed-recovery-register";
    static final String CAMPAIGN_FORM = "governed-recovery-register-form";

    private static final Pattern HEAP_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private PostgresServer pg;
    private KeycloakServer node;
    private TestRealm realm;
    private String realmId;
    /** Seeded users so far (user-0000000 ... ), and the next unused one for each kind of request. */
    private int seeded;
    private int nextTargeted;
    private int nextPrivileged = 1;

    private static List<Integer> sizes() {
        String raw = System.getProperty("suite.scale.sizes", "");
        if (!raw.isBlank()) {
            return Arrays.stream(raw.split(",")).map(String::trim).map(Integer::valueOf).sorted().toList();
        }
        return List.of(USERS / 10, USERS / 2, USERS);
    }

    // --- who the seeded users are (user i) ---

    /** An authenticator app (besides the verified email everyone has): meets the standard policy. */
    static boolean otp(int i) {
        return i % 10 == 0;
    }

    /** In /recovery-pilot, the campaign's target. */
    static boolean pilot(int i) {
        return i % 4 == 0;
    }

    /** In /recovery-helpdesk: privileged (the demo realm names the group), misses the privileged policy. */
    static boolean helpdesk(int i) {
        return i % 100 == 1;
    }

    /** In /break-glass: out of scope. */
    static boolean breakGlass(int i) {
        return i % 5000 == 3;
    }

    static String username(int i) {
        return String.format(Locale.ROOT, "user-%07d", i);
    }

    @Test
    void the_compliance_report_streams_every_user_in_time_with_flat_heap_and_requests_cost_the_same() throws Exception {
        Path work = Path.of(System.getProperty("harness.work.dir", "target/harness")).resolveSibling("scale");
        KeycloakServer.deleteRecursively(work);
        Path dist = work.resolve("keycloak");
        KeycloakServer.copyDistribution(KeycloakServer.builder().build().distDir(), dist);
        List<Step> steps = new ArrayList<>();
        Fault fault = null;
        Slots slots = null;
        SuiteReport report;
        try (MailCatcher mail = MailCatcher.onFreePort()) {
            // A database server sized for a realm of this size (PostgreSQL's defaults keep 128 MB in memory).
            pg = PostgresServer.start(work, List.of("shared_preload_libraries=pg_stat_statements",
                    "pg_stat_statements.max=20000", "max_connections=200", "shared_buffers=512MB"));
            KeycloakServer.Builder builder = pg.configure(KeycloakServer.builder()).distDir(dist).keepData()
                    .workDir(work.resolve("node")).readyTimeout(Duration.ofMinutes(10))
                    .option(TestEnvironment.EVENTS_SPI + "export-dir", work.resolve("export").toString());
            if (!PAGE_SIZE.isBlank()) {
                builder.option(TestEnvironment.ADMIN_API_SPI + "compliance-page-size", PAGE_SIZE);
            }
            builder.option(TestEnvironment.ADMIN_API_SPI + "compliance-concurrent-reports", Integer.toString(SLOTS));
            node = builder.build();
            node.start();
            // Started here, so its wall time counts the whole suite.
            report = SuiteReport.start("Scale: the compliance report, the campaign check and the tier decision at "
                    + String.format(Locale.ROOT, "%,d", USERS) + " users", node.distributionVersion(),
                    "./benchmarks/run scale");
            Realms.importRealm(node, mail, Realms.DEMO, REALM, json -> Realms.withoutRateLimits(json)
                    .remove("users"));
            realm = TestRealm.existing(node, REALM);
            realm.user("seed-template").password(PASSWORD).totp(SECRET).attribute("department", "dept-0")
                    .create();
            realmId = pg.sql("SELECT id FROM realm WHERE name = '" + REALM + "'").trim();
            pg.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            for (int size : SIZES) {
                steps.add(step(size));
            }
            slots = slots();
            if (FAULT) {
                fault = fault();
            }
        } finally {
            if (node != null) {
                node.close();
            }
            if (pg != null) {
                pg.close();
            }
        }
        write(report, steps, fault, slots);

        for (Step s : steps) {
            List<Report> all = new ArrayList<>(s.jsonRuns);
            all.addAll(s.csvRuns);
            all.add(s.probed);
            for (Report r : all) {
                assertThat(r.download.complete()).as(s.size + " users, " + r.name + ": complete " + r.download)
                        .isTrue();
                assertThat(r.download.rows()).as(s.size + " users, " + r.name + ": one row per user")
                        .isEqualTo(s.users);
                assertThat(r.download.duplicates()).as(r.name + ": nobody twice").isZero();
                assertThat(r.download.statuses()).as(r.name + ": the standings the seeding implies")
                        .isEqualTo(s.expectedStatuses);
            }
            assertThat(s.json.download.fields().get("totals").path("users").asLong()).isEqualTo(s.users);
            assertThat(s.signInsOn.failures + s.signInsOff.failures + s.standardResets.failures
                    + s.privilegedResets.failures).as("every sign-in and reset request went as expected").isZero();
        }
        Step largest = steps.get(steps.size() - 1);
        Step smallest = steps.get(0);
        assertThat(largest.json.download.total()).as("JSON report of " + largest.users + " users (median of "
                + RUNS + ")").isLessThan(LIMIT);
        assertThat(largest.csv.download.total()).as("CSV report of " + largest.users + " users (median of "
                + RUNS + ")").isLessThan(LIMIT);
        assertThat(largest.heapAfterMb).as("heap after the report at " + largest.users + " users vs "
                + smallest.users).isLessThanOrEqualTo(heapBound(smallest.heapAfterMb));
        assertThat(largest.heapMidMb).as("heap in the middle of a report at " + largest.users + " users vs "
                + smallest.users).isLessThanOrEqualTo(heapBound(smallest.heapMidMb));
        assertThat(slots.held()).as("the first " + SLOTS + " reports at once start").containsOnly(200);
        assertThat(slots.refused()).as("one more at once is refused").isEqualTo(429);
        assertThat(slots.retryAfter()).as("with Retry-After: 10, as the README says").isEqualTo("10");
        assertThat(slots.heldComplete()).as("the report that held a slot throughout is whole").isTrue();
        assertThat(slots.afterwards()).as("slots are free again once the held reports end").isTrue();
        if (fault != null) {
            assertThat(fault.cut.status()).as("the answer had started").isEqualTo(200);
            assertThat(fault.cut.complete()).as("a report cut off by the outage must not look complete").isFalse();
            assertThat(fault.duringOutage.complete()).as("a report asked while the database is away must not look "
                    + "complete: " + fault.duringOutage.status() + " with " + fault.duringOutage.rows() + " rows")
                    .isFalse();
            assertThat(fault.duringOutage.errorBody()).as("no stack trace while the database is away")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(fault.duringOutage.status()).as("no 500 while the database is away").isNotEqualTo(500);
            assertThat(fault.after.complete() && fault.after.rows() == largest.users)
                    .as("whole again after the outage").isTrue();
        }
    }

    static long heapBound(long smallestMb) {
        return Math.max(Math.round(smallestMb * (1 + HEAP_SLACK)), smallestMb + HEAP_SLACK_MIN_MB);
    }

    // --- one step: seed up to size, measure ---

    record Report(String name, ComplianceDownload download, double statementsPerUser, double cpuMicrosPerUser,
                  double dbMicrosPerUser, String load) {
    }

    record Batch(String name, int n, long[] nanos, double statements, double dbMillis, double cpuMillis,
                 int failures) {
        double medianMs() {
            return SuiteReport.quantile(nanos, 0.5) / 1e6;
        }

        double p90Ms() {
            return SuiteReport.quantile(nanos, 0.9) / 1e6;
        }

        double statementsEach() {
            return statements / n;
        }

        double dbMsEach() {
            return dbMillis / n;
        }

        double cpuMsEach() {
            return cpuMillis / n;
        }

        /** Two batches of the same requests as one. */
        static Batch merge(Batch a, Batch b) {
            if (a == null) {
                return b;
            }
            long[] nanos = Arrays.copyOf(a.nanos, a.nanos.length + b.nanos.length);
            System.arraycopy(b.nanos, 0, nanos, a.nanos.length, b.nanos.length);
            return new Batch(a.name, a.n + b.n, nanos, a.statements + b.statements, a.dbMillis + b.dbMillis,
                    a.cpuMillis + b.cpuMillis, a.failures + b.failures);
        }
    }

    /** {@code json} and {@code csv}: the median of each format's runs ({@code jsonRuns}, {@code csvRuns}). */
    record Step(int size, long users, Duration seedTime, long heapBeforeMb, List<Report> jsonRuns,
                List<Report> csvRuns, Report json, Report csv, Report probed,
                long heapAfterMb, long heapMidMb, Map<String, Long> expectedStatuses, Batch signInsOn,
                Batch signInsOff, Batch standardResets, Batch privilegedResets, double backgroundPerSecond) {
    }

    /**
     * {@code SLOTS} reports at once: the statuses of the reports started while one was being read ({@code held}, the
     * first among them), of one more ({@code refused}, with its {@code retryAfter}), whether the first was whole, and
     * whether a report started again once the others ended ({@code afterwards}, within {@code freedAfter}).
     */
    record Slots(List<Integer> held, int refused, String retryAfter, String refusedBody, boolean heldComplete,
                 boolean afterwards, Duration freedAfter) {
    }

    record Fault(long cutAfterRows, ComplianceDownload cut, ComplianceDownload duringOutage,
                 ComplianceDownload after, String serverLog) {
    }

    private Step step(int size) {
        long t0 = System.nanoTime();
        seed(seeded, size);
        seeded = size;
        Duration seedTime = Duration.ofNanos(System.nanoTime() - t0);
        pg.sql("VACUUM ANALYZE");
        clearCaches();
        long users = Long.parseLong(pg.sql("SELECT count(*) FROM user_entity WHERE realm_id = '" + realmId
                + "' AND service_account_client_link IS NULL").trim());
        Map<String, Long> expected = expectedStatuses(size);
        System.out.printf("== %d users seeded in %s (%d in the realm)%n", size, seedTime, users);
        long heapBefore = heapAfterGc();

        // Each format three times, alternating (the first JSON finds every cache cold); the median counts.
        List<Report> jsonRuns = new ArrayList<>();
        List<Report> csvRuns = new ArrayList<>();
        long heapAfter = 0;
        for (int run = 0; run < RUNS; run++) {
            jsonRuns.add(report("JSON", false, users, null));
            heapAfter = Math.max(heapAfter, heapAfterGc());
            csvRuns.add(report("CSV", true, users, null));
            heapAfter = Math.max(heapAfter, heapAfterGc());
        }
        Report json = median(jsonRuns);
        Report csv = median(csvRuns);
        AtomicLong mid = new AtomicLong(-1);
        Report probed = report("JSON, heap probed mid-report", false, users, rows -> {
            if (rows == users / 2) {
                mid.set(heapAfterGc());
            }
        });
        System.out.printf("   JSON %s (first byte %s, %.2f statements/user), CSV %s (%.2f statements/user); heap "
                + "after GC: before %d MiB, after %d MiB, mid-report %d MiB%n", json.download.total(),
                json.download.firstByte(), json.statementsPerUser, csv.download.total(), csv.statementsPerUser,
                heapBefore, heapAfter, mid.get());

        // Each pair of batches runs A, B, B, A (halves), so whatever warms up or drifts meanwhile hits both alike.
        double background = background();
        Batch on = null;
        Batch off = null;
        try {
            for (boolean campaign : new boolean[] {true, false, false, true}) {
                setCampaign(campaign);
                clearCaches();
                Batch half = signIns(campaign ? "campaign on" : "campaign off", SIGN_INS / 2, background);
                if (campaign) {
                    on = Batch.merge(on, half);
                } else {
                    off = Batch.merge(off, half);
                }
            }
        } finally {
            setCampaign(true);
        }
        Batch standard = null;
        Batch privileged = null;
        for (boolean isPrivileged : new boolean[] {false, true, true, false}) {
            clearCaches();
            Batch half = resets(isPrivileged ? "privileged" : "standard", RESETS / 2, isPrivileged, background);
            if (isPrivileged) {
                privileged = Batch.merge(privileged, half);
            } else {
                standard = Batch.merge(standard, half);
            }
        }
        // The batches' user sessions would stay in memory until they expire: the next step's heap starts clean.
        RestCall.send("POST", node.baseUrl() + "/admin/realms/" + REALM + "/logout-all", node.adminToken(), null);
        for (Batch b : List.of(on, off, standard, privileged)) {
            System.out.printf("   %s: median %.1f ms, %.1f statements, %.2f ms db, %.1f ms cpu, %d failures%n",
                    b.name, b.medianMs(), b.statementsEach(), b.dbMsEach(), b.cpuMsEach(), b.failures);
        }
        return new Step(size, users, seedTime, heapBefore, jsonRuns, csvRuns, json, csv, probed, heapAfter,
                mid.get(), expected, on,
                off, standard, privileged, background);
    }

    static Report median(List<Report> runs) {
        List<Report> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparing(r -> r.download.total()));
        return sorted.get(sorted.size() / 2);
    }

    /** The statuses the seeding implies for users 0..size-1 and the template user (app and email: meets). */
    static Map<String, Long> expectedStatuses(int size) {
        long meets = 1;
        long misses = 0;
        long out = 0;
        for (int i = 0; i < size; i++) {
            if (breakGlass(i)) {
                out++;
            } else if (otp(i) && !helpdesk(i)) {
                meets++;
            } else {
                misses++;
            }
        }
        Map<String, Long> m = new java.util.TreeMap<>();
        m.put("meets", meets);
        m.put("misses", misses);
        if (out > 0) {
            m.put("not-applicable", out);
        }
        return m;
    }

    private Report report(String name, boolean csv, long users, java.util.function.LongConsumer probe) {
        double[] before = statements();
        long cpu = node.cpuTime().toNanos();
        ComplianceDownload d = ComplianceDownload.get(node.baseUrl() + "/admin/realms/" + REALM
                + "/governed-recovery/compliance" + (csv ? "?format=csv" : ""), node.adminToken(), csv, probe);
        double cpuMs = (node.cpuTime().toNanos() - cpu) / 1e6;
        double[] after = statements();
        return new Report(name, d, (after[0] - before[0]) / Math.max(1, users), cpuMs * 1000 / Math.max(1, users),
                (after[1] - before[1]) * 1000 / Math.max(1, users), load());
    }

    // --- seeding ---

    /** Users from..to-1 written straight into Keycloak's tables, as Keycloak itself would write them. */
    private void seed(int from, int to) {
        if (to <= from) {
            return;
        }
        String template = pg.sql("SELECT id FROM user_entity WHERE realm_id = '" + realmId
                + "' AND username = 'seed-template'").trim();
        String range = "generate_series(" + from + ", " + (to - 1) + ") AS i";
        String uid = "md5('scale-user-' || i)::uuid::text";
        long created = System.currentTimeMillis() - Duration.ofDays(60).toMillis();
        pg.sql("INSERT INTO user_entity (id, email, email_constraint, email_verified, enabled, federation_link, "
                + "first_name, last_name, realm_id, username, created_timestamp, service_account_client_link, "
                + "not_before) SELECT " + uid + ", 'user-' || i || '@scale.test', 'user-' || i || '@scale.test', "
                + "true, true, NULL, 'Scale', 'User ' || i, '" + realmId + "', 'user-' || lpad(i::text, 7, '0'), "
                + created + ", NULL, 0 FROM " + range);
        copyCredential(template, "password", range, uid, "true");
        copyCredential(template, "otp", range, uid, "i % 10 = 0");
        pg.sql("INSERT INTO user_attribute (name, value, user_id, id) SELECT 'department', 'dept-' || (i % 20), "
                + uid + ", md5('scale-attribute-' || i)::uuid::text FROM " + range);
        String defaultRole = pg.sql("SELECT id FROM keycloak_role WHERE realm_id = '" + realmId
                + "' AND name = 'default-roles-" + REALM + "'").trim();
        pg.sql("INSERT INTO user_role_mapping (role_id, user_id) SELECT '" + defaultRole + "', " + uid + " FROM "
                + range);
        member("/recovery-pilot", range, uid, "i % 4 = 0");
        member("/recovery-helpdesk", range, uid, "i % 100 = 1");
        member("/break-glass", range, uid, "i % 5000 = 3");
    }

    /** Copies the template user's credential of {@code type} (every column as it is) to the users {@code where}. */
    private void copyCredential(String template, String type, String range, String uid, String where) {
        List<String> columns = pg.sql("SELECT column_name FROM information_schema.columns WHERE table_name = "
                + "'credential' ORDER BY ordinal_position").lines().map(String::trim).filter(c -> !c.isEmpty())
                .toList();
        String select = String.join(", ", columns.stream().map(c -> switch (c) {
            case "id" -> "md5('scale-" + type + "-' || i)::uuid::text";
            case "user_id" -> uid;
            default -> "t." + c;
        }).toList());
        pg.sql("INSERT INTO credential (" + String.join(", ", columns) + ") SELECT " + select + " FROM " + range
                + ", credential t WHERE t.user_id = '" + template + "' AND t.type = '" + type + "' AND (" + where
                + ")");
    }

    private void member(String path, String range, String uid, String where) {
        String group = pg.sql("SELECT id FROM keycloak_group WHERE realm_id = '" + realmId + "' AND name = '"
                + path.substring(1) + "' AND (parent_group IS NULL OR parent_group = ' ')").trim();
        List<String> columns = pg.sql("SELECT column_name FROM information_schema.columns WHERE table_name = "
                + "'user_group_membership'").lines().map(String::trim).toList();
        boolean typed = columns.contains("membership_type");
        pg.sql("INSERT INTO user_group_membership (group_id, user_id" + (typed ? ", membership_type" : "")
                + ") SELECT '" + group + "', " + uid + (typed ? ", 'UNMANAGED'" : "") + " FROM " + range
                + " WHERE " + where);
    }

    private void clearCaches() {
        clearCaches(node, REALM);
    }

    /** Empties Keycloak's user and realm caches of {@code realm} (after rows were written behind its back). */
    static void clearCaches(KeycloakServer node, String realm) {
        String admin = node.baseUrl() + "/admin/realms/" + realm;
        for (String cache : List.of("clear-user-cache", "clear-realm-cache")) {
            int status = RestCall.send("POST", admin + "/" + cache, node.adminToken(), null).statusCode();
            if (status != 204) {
                throw new IllegalStateException(cache + " answered " + status);
            }
        }
    }

    // --- sign-ins and resets ---

    /** Browser sign-ins (password, then the app) of unused users the campaign targets who meet their policy. */
    private Batch signIns(String name, int n, double background) {
        List<String> users = new ArrayList<>();
        while (users.size() < n) {
            if (nextTargeted >= seeded) {
                throw new IllegalStateException("not enough unused targeted users for " + n + " sign-ins");
            }
            int i = nextTargeted++;
            if (otp(i) && pilot(i) && !helpdesk(i) && !breakGlass(i)) {
                users.add(username(i));
            }
        }
        return measure(name, users, user -> {
            FlowClient client = new FlowClient();
            FlowClient.Page login = client.get(realm.signInUrl());
            FlowClient.Page otp = client.postFollowing(login.formAction("kc-form-login"),
                    Map.of("username", user, "password", PASSWORD));
            FlowClient.Page done = client.postFollowing(otp.formAction("kc-otp-login-form"),
                    Map.of("otp", Totp.now(SECRET)));
            return done.status() < 400 && !done.has("kc-form-login") && !done.has("kc-otp-login-form")
                    && !done.has(CAMPAIGN_FORM);
        }, background);
    }

    /** Reset requests (the name entered; the tier decided; the methods page shown) of unused accounts. */
    private Batch resets(String name, int n, boolean privileged, double background) {
        List<String> users = new ArrayList<>();
        while (users.size() < n) {
            if (privileged) {
                if (nextPrivileged >= seeded) {
                    throw new IllegalStateException("not enough unused privileged users for " + n + " resets");
                }
                users.add(username(nextPrivileged));
                nextPrivileged += 100;
            } else {
                if (nextTargeted >= seeded) {
                    throw new IllegalStateException("not enough unused standard users for " + n + " resets");
                }
                int i = nextTargeted++;
                if (otp(i) && !helpdesk(i) && !breakGlass(i)) {
                    users.add(username(i));
                }
            }
        }
        return measure(name, users, user -> {
            FlowClient client = new FlowClient();
            FlowClient.Page start = client.openResetPage(realm);
            FlowClient.Page methods = client.requestReset(start, user);
            return methods.status() == 200 && methods.has("governed-recovery-methods-form");
        }, background);
    }

    /** Times each request of {@code users} and the statements, database time and server CPU of the whole batch. */
    private Batch measure(String name, List<String> users, java.util.function.Predicate<String> request,
                          double background) {
        long[] nanos = new long[users.size()];
        int failures = 0;
        double[] before = statements();
        long cpuBefore = node.cpuTime().toNanos();
        long started = System.nanoTime();
        for (int k = 0; k < users.size(); k++) {
            long t0 = System.nanoTime();
            boolean ok;
            try {
                ok = request.test(users.get(k));
            } catch (AssertionError | RuntimeException e) {
                System.out.println("   " + name + " " + users.get(k) + ": " + e.getMessage());
                ok = false;
            }
            nanos[k] = System.nanoTime() - t0;
            failures += ok ? 0 : 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMs = (node.cpuTime().toNanos() - cpuBefore) / 1e6;
        double[] after = statements();
        double statements = Math.max(0, after[0] - before[0] - background * seconds);
        return new Batch(name, users.size(), nanos, statements, after[1] - before[1], cpuMs, failures);
    }

    /** Keycloak's statements per second while nothing is asked (its background jobs, the event pipeline). */
    private double background() {
        double[] before = statements();
        long t0 = System.nanoTime();
        pause(Duration.ofSeconds(10));
        double[] after = statements();
        return (after[0] - before[0]) / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Statements PostgreSQL ran for Keycloak so far and their time in ms: all but those on Governed Recovery's own
     * tables (the event pipeline polls them on its own schedule) and this suite's queries.
     */
    private double[] statements() {
        String[] row = pg.sql("SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(total_exec_time), 0) "
                + "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'keycloak' "
                + "AND s.query NOT ILIKE '%governed_recovery_%' AND s.query NOT ILIKE '%pg_stat_statements%' "
                + "AND s.query NOT ILIKE '%information_schema%'").trim().split("\t");
        return new double[] {Double.parseDouble(row[0]), Double.parseDouble(row[1])};
    }

    private void setCampaign(boolean enabled) {
        RequiredActionProviderRepresentation action = realm.admin().flows().getRequiredAction(CAMPAIGN);
        action.setEnabled(enabled);
        realm.admin().flows().updateRequiredAction(CAMPAIGN, action);
    }

    // --- reports at once ---

    /**
     * While one JSON report is being read (its reader paused after 1,000 rows, so the server is held writing it),
     * {@code SLOTS - 1} more are started and left unread (each the size of the realm, more than the connection
     * buffers hold, so each stays in progress), then one more is asked. The unread ones are then closed, the first
     * read to its end, and a report is asked again until it starts.
     */
    private Slots slots() {
        String url = node.baseUrl() + "/admin/realms/" + REALM + "/governed-recovery/compliance";
        String token = node.adminToken();
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        List<Integer> held = new ArrayList<>();
        int[] refused = {0};
        String[] retryAfter = {""};
        String[] refusedBody = {""};
        List<java.io.InputStream> unread = new ArrayList<>();
        ComplianceDownload first = ComplianceDownload.get(url, token, false, rows -> {
            if (rows != 1_000) {
                return;
            }
            held.add(200);
            try {
                for (int i = 1; i < SLOTS; i++) {
                    java.net.http.HttpResponse<java.io.InputStream> r = http.send(java.net.http.HttpRequest
                            .newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + token).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                    held.add(r.statusCode());
                    unread.add(r.body());
                }
                java.net.http.HttpResponse<String> more = http.send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + token).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                refused[0] = more.statusCode();
                retryAfter[0] = more.headers().firstValue("Retry-After").orElse("");
                refusedBody[0] = more.body();
                for (java.io.InputStream in : unread) {
                    in.close();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.nanoTime();
        Boolean again = Await.until("a report starts once the others ended", Duration.ofMinutes(2), () -> {
            ComplianceDownload d = ComplianceDownload.get(url + "?format=csv", node.adminToken(), true, null);
            return d.status() == 429 ? null : d.complete();
        });
        Duration freed = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("   %d reports at once: held %s, one more %d (Retry-After %s), first whole %s, "
                + "a report again after %s: %s%n", SLOTS, held, refused[0], retryAfter[0], first.complete(), freed,
                again);
        return new Slots(held, refused[0], retryAfter[0], refusedBody[0], first.complete()
                && first.rows() > 1_000, again, freed);
    }

    // --- the outage in the middle of a report ---

    private Fault fault() {
        long expected = Long.parseLong(pg.sql("SELECT count(*) FROM user_entity WHERE realm_id = '" + realmId
                + "' AND service_account_client_link IS NULL").trim());
        long cutAt = expected / 3;
        int logFrom = node.log().length();
        String token = node.adminToken();
        String url = node.baseUrl() + "/admin/realms/" + REALM + "/governed-recovery/compliance?format=csv";
        ComplianceDownload cut = ComplianceDownload.get(url, token, true, rows -> {
            if (rows == cutAt) {
                pg.stop();
            }
        });
        // Asked while the database is away: its first page cannot be read.
        ComplianceDownload during = ComplianceDownload.get(url, token, true, null);
        pg.start();
        ComplianceDownload after = Await.until("a whole report after the outage", Duration.ofMinutes(3), () -> {
            ComplianceDownload d = ComplianceDownload.get(url, node.adminToken(), true, null);
            return d.complete() ? d : null;
        });
        String log = node.log().substring(logFrom);
        System.out.printf("   outage: cut after %d rows: status %d, %d rows, failure %s; asked during it: %d %s, %d rows;"
                + " after: %d rows%n", cutAt, cut.status(), cut.rows(), cut.failure(), during.status(),
                during.errorBody(), during.rows(), after.rows());
        return new Fault(cutAt, cut, during, after, log);
    }

    // --- measurements of the server ---

    /** The machine's load average over the last minute (other people's work shows here). */
    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * The server's live heap in MiB: what a full GC leaves, as {@code jcmd GC.class_histogram} counts it (it collects
     * first; G1's own "used" figure after {@code GC.run} counts whole regions and varies with their layout).
     */
    private long heapAfterGc() {
        String jcmd = JavaRuntimes.forKeycloak().resolve("bin/jcmd").toString();
        String histogram = run(List.of(jcmd, Long.toString(node.javaPid()), "GC.class_histogram"));
        Matcher m = HEAP_TOTAL.matcher(histogram);
        if (!m.find()) {
            throw new IllegalStateException("No heap total in: " + histogram.lines().limit(5).toList());
        }
        return Long.parseLong(m.group(1)) / (1024 * 1024);
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // a measuring window of the suite, not a wait for an outcome
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- the report ---

    private void write(SuiteReport report, List<Step> steps, Fault fault, Slots slots) {
        Step smallest = steps.get(0);
        Step largest = steps.get(steps.size() - 1);
        report.paragraph("One Keycloak node (start-dev, heap -Xmx1536m, the shipped settings: the report reads "
                + (PAGE_SIZE.isBlank() ? "500" : PAGE_SIZE) + " users per page) on a private PostgreSQL 15 "
                + "(shared_buffers 512 MB). The demo realm is imported through Keycloak, then "
                + "its users are written with SQL straight into Keycloak's tables: each with a password, a verified "
                + "email, a `department` (20 values) and the realm's default roles; one in 10 with an authenticator "
                + "app (they meet the standard policy), one in 4 in `/recovery-pilot` (the campaign's target), one in "
                + "100 in `/recovery-helpdesk` (privileged), one in 5,000 in `/break-glass` (out of scope). "
                + "Keycloak's user and realm caches are cleared after each step of seeding, so the first report of a "
                + "step reads every user from the database. Times depend on what else the machine (2 cores) runs: "
                + "each run's load average is given with it; statement counts do not depend on the load.");

        report.heading("Compliance report: every user, streamed");
        List<List<String>> rows = new ArrayList<>();
        for (Step s : steps) {
            for (List<Report> runs : List.of(s.jsonRuns, s.csvRuns)) {
                Report r = median(runs);
                ComplianceDownload d = r.download;
                boolean whole = runs.stream().allMatch(x -> x.download.rows() == s.users
                        && x.download.duplicates() == 0 && x.download.complete());
                rows.add(List.of(number(s.users), r.name, runs.stream().map(x -> seconds(x.download.total())
                                + " (" + x.load + ")").reduce((a, b) -> a + ", " + b).orElse(""),
                        "**" + seconds(d.total()) + "**", seconds(d.firstByte()),
                        number(d.rows()) + (whole ? " (all, once each, every run)" : " **(expected " + number(s.users)
                                + ")**"),
                        String.format(Locale.ROOT, "%.0f", r.cpuMicrosPerUser),
                        String.format(Locale.ROOT, "%.0f", r.dbMicrosPerUser),
                        String.format(Locale.ROOT, "%.3f", r.statementsPerUser),
                        String.format(Locale.ROOT, "%.1f MB", d.bytes() / 1e6), d.transferEncoding()));
            }
        }
        report.table(List.of("users", "format", "runs (machine load)", "median", "first byte", "rows",
                "server CPU µs per user", "database µs per user", "statements per user", "size", "transfer"), rows);
        report.paragraph("Each format is downloaded " + RUNS + " times per step, alternating, the first JSON right "
                + "after the seeding with Keycloak's caches cleared; the median is asserted. In brackets the machine's "
                + "load average (1 minute) when a run ended: on 2 cores, anything above 2 means the report waited for "
                + "a core. Server CPU is that of the whole Keycloak process during the run (median run), database "
                + "time PostgreSQL's execution time of its statements. "
                + "Each row's standing (tier, methods, cooldown) is decided as the campaign decides it; per page the "
                + "server sends a handful of queries (users, attributes, credentials, groups, role mappings), not a "
                + "few per user. The counts of every report equal what the seeding implies (" + statuses(largest)
                + " at " + number(largest.users) + ").");

        report.heading("Server heap after a full GC");
        rows = new ArrayList<>();
        for (Step s : steps) {
            rows.add(List.of(number(s.users), s.heapBeforeMb + " MiB", s.heapMidMb + " MiB", s.heapAfterMb
                    + " MiB"));
        }
        report.table(List.of("users", "before the reports", "in the middle of a report", "after the reports"),
                rows);
        report.paragraph("Live objects as `jcmd GC.class_histogram` counts them on Keycloak's JVM (it runs a full GC "
                + "first); \"in the middle\" is taken while a JSON report is half-way through its users (what the "
                + "report and Keycloak hold while it streams). "
                + "Bound asserted at " + number(largest.users) + " users: at most " + (int) (HEAP_SLACK * 100)
                + " % or " + HEAP_SLACK_MIN_MB + " MiB above the " + number(smallest.users) + "-user figures ("
                + heapBound(smallest.heapAfterMb) + " MiB after, " + heapBound(smallest.heapMidMb)
                + " MiB in the middle). A report read in fast pages does not go through Keycloak's user cache, so it "
                + "leaves it as it was.");

        report.heading("Sign-in and reset request: the campaign check and the tier decision");
        rows = new ArrayList<>();
        for (Step s : steps) {
            for (Batch b : List.of(s.signInsOn, s.signInsOff, s.standardResets, s.privilegedResets)) {
                rows.add(List.of(number(s.users), label(b), Integer.toString(b.n),
                        String.format(Locale.ROOT, "%.0f / %.0f", b.medianMs(), b.p90Ms()),
                        String.format(Locale.ROOT, "%.1f", b.statementsEach()),
                        String.format(Locale.ROOT, "%.2f", b.dbMsEach()),
                        String.format(Locale.ROOT, "%.0f", b.cpuMsEach()),
                        b.failures == 0 ? "0" : "**" + b.failures + "**"));
            }
        }
        report.table(List.of("users", "request", "n", "median / p90 ms", "Keycloak statements each",
                "database ms each", "server CPU ms each", "failed"), rows);
        report.paragraph("Each sign-in is a browser sign-in through Keycloak's pages (password, then the "
                + "authenticator app) of a different user the campaign targets who meets the policy, so the "
                + "campaign checks and lets the user through; \"campaign off\" disables the required action. Each "
                + "reset request enters a different account's name on the reset page, which decides its tier "
                + "(standard, or privileged for `/recovery-helpdesk` members) and shows the methods page. Each pair "
                + "runs in halves, A B B A, so warm-up and drift hit both alike; caches are cleared before each half, "
                + "so every user is read from the database. Statements are "
                + "PostgreSQL's count (pg_stat_statements) of all statements but those on Governed Recovery's own "
                + "tables (the event pipeline polls them on its own schedule), minus Keycloak's background rate "
                + "measured while idle; server CPU is that of the whole Keycloak process.");
        report.paragraph(costs(steps));

        report.heading("Extrapolated to 1,000,000 users");
        report.paragraph(extrapolation(steps));

        if (slots != null) {
            report.heading("Reports at once");
            report.table(List.of("what", "result"), List.of(
                    List.of(SLOTS + " JSON reports of " + number(largest.users) + " users at once (one read slowly, "
                            + (SLOTS - 1) + " left unread)", "statuses " + slots.held()),
                    List.of("one more at the same time", slots.refused() + ", Retry-After: " + slots.retryAfter()
                            + ", " + oneLine(slots.refusedBody())),
                    List.of("the report read slowly", slots.heldComplete() ? "whole" : "**not whole**"),
                    List.of("a report again, once the unread ones were closed", (slots.afterwards() ? "whole"
                            : "**not whole**") + " after " + seconds(slots.freedAfter()))));
            report.paragraph("A node writes at most `compliance-concurrent-reports` (here " + SLOTS + ", the "
                    + "default) reports at once: each reads every user the caller may view, and a caller whose "
                    + "rights are per user has each user decided by Keycloak's evaluator. A slot is held while the "
                    + "transfer lasts, however slowly the client reads, and given back when it ends, including when "
                    + "the client goes away.");
        }
        if (fault != null) {
            report.heading("PostgreSQL stopped in the middle of a report");
            report.table(List.of("what", "result"), List.of(
                    List.of("CSV report, PostgreSQL stopped after " + number(fault.cutAfterRows) + " rows",
                            fault.cut.status() + ", " + number(fault.cut.rows()) + " rows received, then "
                                    + (fault.cut.failure() != null ? "the transfer broke off (`"
                                    + fault.cut.failure().getMessage() + "`)" : "**it ended as if complete**")),
                    List.of("report asked while PostgreSQL is down", fault.duringOutage.status() + " "
                            + oneLine(fault.duringOutage.errorBody())
                            + (fault.duringOutage.complete() ? " **(a complete-looking report)**" : "")),
                    List.of("report once PostgreSQL is back", fault.after.status() + ", "
                            + number(fault.after.rows()) + " rows"),
                    List.of("server log", fault.serverLog.lines()
                            .filter(l -> l.contains("compliance report of realm")).map(l -> "`"
                                    + oneLine(l.substring(Math.max(0, l.indexOf("The compliance")))) + "`")
                            .reduce((a, b) -> a + "; " + b).orElse("**no line from the report**")
                            + "; Keycloak's \"Uncaught server error\": " + fault.serverLog.lines()
                            .filter(l -> l.contains("Uncaught server error")).count() + " times")));
            report.paragraph("A report that cannot read its users before it starts answers 503 with a JSON error; "
                    + "one that fails part-way ends its transfer without the final chunk, so no client takes it "
                    + "for a whole report, and the server log says after how many users it stopped. Keycloak "
                    + "answers a user query whose database fails with no users (its \"graceful degradation\" for "
                    + "a directory that is down): the report checks that the database answers before it takes an "
                    + "empty page for the end. The transfer is cut by letting the failure leave the writer, so "
                    + "Keycloak logs it once more as an \"Uncaught server error\" with its stack trace; the client, "
                    + "whose answer had already begun, sees no error page.");
        }
        report.heading("Verdict");
        List<List<String>> verdict = new ArrayList<>();
        boolean complete = steps.stream().allMatch(s -> java.util.stream.Stream.concat(java.util.stream.Stream.concat(
                        s.jsonRuns.stream(), s.csvRuns.stream()), java.util.stream.Stream.of(s.probed))
                .allMatch(r -> r.download.complete() && r.download.rows() == s.users && r.download.duplicates() == 0
                        && r.download.statuses().equals(s.expectedStatuses)));
        verdict.add(List.of("every report complete: one row per user, standings as seeded", complete ? "yes" : "**no**"));
        verdict.add(List.of("JSON within " + seconds(LIMIT) + " at " + number(largest.users) + " users",
                seconds(largest.json.download.total()) + (largest.json.download.total().compareTo(LIMIT) < 0
                        ? " (yes)" : " **(no)**")));
        verdict.add(List.of("CSV within " + seconds(LIMIT) + " at " + number(largest.users) + " users",
                seconds(largest.csv.download.total()) + (largest.csv.download.total().compareTo(LIMIT) < 0
                        ? " (yes)" : " **(no)**")));
        verdict.add(List.of("heap after the report at " + number(largest.users) + " not above "
                + heapBound(smallest.heapAfterMb) + " MiB", largest.heapAfterMb + " MiB"
                + (largest.heapAfterMb <= heapBound(smallest.heapAfterMb) ? " (yes)" : " **(no)**")));
        verdict.add(List.of("heap in the middle of a report at " + number(largest.users) + " not above "
                + heapBound(smallest.heapMidMb) + " MiB", largest.heapMidMb + " MiB"
                + (largest.heapMidMb <= heapBound(smallest.heapMidMb) ? " (yes)" : " **(no)**")));
        if (slots != null) {
            boolean ok = slots.held().stream().allMatch(st -> st == 200) && slots.refused() == 429
                    && slots.heldComplete() && slots.afterwards();
            verdict.add(List.of(SLOTS + " reports at once, one more refused with 429, free again after",
                    ok ? "yes" : "**no**"));
        }
        if (fault != null) {
            boolean ok = fault.cut.status() == 200 && !fault.cut.complete() && !fault.duringOutage.complete()
                    && fault.duringOutage.status() != 500 && fault.after.complete();
            verdict.add(List.of("database outage: no complete-looking report, no 500, whole again after",
                    ok ? "yes" : "**no**"));
        }
        report.table(List.of("promise", "measured"), verdict);
        report.write(Path.of(System.getProperty("suite.report.dir", "../benchmarks")).resolve("scale.md"));
    }

    private static String label(Batch b) {
        return switch (b.name) {
            case "campaign on" -> "sign-in, campaign on (checks, lets through)";
            case "campaign off" -> "sign-in, campaign off";
            case "standard" -> "reset request, standard account";
            default -> "reset request, privileged account";
        };
    }

    /** The campaign check (on minus off) and the tier decision (privileged minus standard), per size. */
    private static String costs(List<Step> steps) {
        StringBuilder text = new StringBuilder();
        for (Step s : steps) {
            text.append(String.format(Locale.ROOT, "At %s users the campaign check adds %+.1f statements, "
                            + "%+.0f ms of server CPU and %+.0f ms (median) to a sign-in; a privileged account's reset "
                            + "request costs %+.1f statements and %+.0f ms of server CPU against a standard one's. ",
                    number(s.users), s.signInsOn.statementsEach() - s.signInsOff.statementsEach(),
                    s.signInsOn.cpuMsEach() - s.signInsOff.cpuMsEach(),
                    s.signInsOn.medianMs() - s.signInsOff.medianMs(),
                    s.privilegedResets.statementsEach() - s.standardResets.statementsEach(),
                    s.privilegedResets.cpuMsEach() - s.standardResets.cpuMsEach()));
        }
        text.append("The campaign's check reads what the sign-in has already loaded (the user's groups, credentials "
                + "and roles), so it adds next to no statements; its CPU difference is within the run-to-run "
                + "noise. None of these requests reads more than one account: their statements are index lookups "
                + "by user, whose cost grows with the logarithm of the realm's size, not with it.");
        return text.toString();
    }

    /** A least-squares line through each format's report times, read at 1,000,000 users. */
    private static String extrapolation(List<Step> steps) {
        StringBuilder text = new StringBuilder();
        for (String format : List.of("JSON", "CSV")) {
            double[] x = steps.stream().mapToDouble(s -> s.users).toArray();
            double[] y = steps.stream().mapToDouble(s -> (format.equals("JSON") ? s.json : s.csv).download.total()
                    .toNanos() / 1e9).toArray();
            double[] line = SuiteReport.fit(x, y);
            Report largest = format.equals("JSON") ? steps.get(steps.size() - 1).json : steps.get(steps.size() - 1).csv;
            text.append(String.format(Locale.ROOT, "%s report: %.1f µs per user (slope of a line through the "
                    + "%d sizes; the server's CPU: %.0f µs per user at the largest), so about %.0f s for 1,000,000 "
                    + "users on this machine. ", format, line[1] * 1e6, x.length, largest.cpuMicrosPerUser,
                    line[0] + line[1] * 1_000_000));
        }
        Step largest = steps.get(steps.size() - 1);
        text.append(String.format(Locale.ROOT, "The heap does not grow with the number of users (above), so "
                + "1,000,000 users need no more memory than %s. Statements per user stay at %.3f (a handful per "
                + "page of 500), so about %,.0f statements for 1,000,000 users. A sign-in's campaign check and a "
                + "reset request's tier decision do not depend on the realm's size: at 1,000,000 users they cost "
                + "what they cost at %s (%.1f and %.1f statements per request), one more level of each B-tree "
                + "index at most.", number(largest.users), largest.json.statementsPerUser,
                largest.json.statementsPerUser * 1_000_000, number(largest.users),
                largest.signInsOn.statementsEach(), largest.standardResets.statementsEach()));
        return text.toString();
    }

    private static String statuses(Step s) {
        return s.expectedStatuses.entrySet().stream().map(e -> number(e.getValue()) + " " + e.getKey())
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    private static String oneLine(String text) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }
}
