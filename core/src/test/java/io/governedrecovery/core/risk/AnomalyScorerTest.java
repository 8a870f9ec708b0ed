package io.governedrecovery.core.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.governedrecovery.core.event.RecoveryEvent;

class AnomalyScorerTest {

    private static final long T0 = 1_800_000_000_000L; // a fixed instant, aligned to nothing in particular
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    private final List<Finding> raised = new ArrayList<>();
    private final AnomalyScorer scorer = new AnomalyScorer(ScorerSettings.DEFAULTS, raised::add);

    private static RecoveryEvent event(String type, long time, String userId, String ip, String... details) {
        Map<String, String> d = new HashMap<>();
        for (int i = 0; i < details.length; i += 2) {
            d.put(details[i], details[i + 1]);
        }
        return new RecoveryEvent(UUID.randomUUID().toString(), time, RecoveryEvent.Kind.USER, type, "realm-1", "r",
                "account-console", userId, ip, type.endsWith("_ERROR") ? "x" : null, d);
    }

    private void feed(RecoveryEvent e) {
        Signal s = SignalMapper.map(e);
        if (s != null) {
            scorer.observe(s, e);
        }
    }

    private List<Finding> ofRule(String rule) {
        return raised.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    private void failedReset(long time, String user, String ip) {
        feed(event("RESET_PASSWORD_ERROR", time, user, ip, "gr_step", "verify", "gr_method", "totp"));
    }

    @Test
    void five_failed_resets_in_ten_minutes_raise_one_finding_with_evidence() {
        for (int i = 0; i < 4; i++) {
            failedReset(T0 + i * MINUTE, "u1", "10.0.0.1");
        }
        assertThat(ofRule(AnomalyScorer.FAILED_RESETS)).isEmpty();
        failedReset(T0 + 5 * MINUTE, "u1", "10.0.0.1");
        failedReset(T0 + 6 * MINUTE, "u1", "10.0.0.1");

        List<Finding> found = ofRule(AnomalyScorer.FAILED_RESETS);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).userId()).isEqualTo("u1");
        assertThat(found.get(0).evidence()).containsEntry("failures", "5").containsEntry("threshold", "5")
                .containsEntry("window_minutes", "10");
        assertThat(found.get(0).severityId()).isEqualTo(3);
    }

    @Test
    void failures_at_names_that_match_no_account_count_per_name_and_per_address() {
        // Five wrong codes over three typed names (pseudonyms) from one address: no name reaches five, the address does.
        String[] names = {"h:aaaa", "h:bbbb", "h:cccc", "h:aaaa", "h:bbbb"};
        for (int i = 0; i < names.length; i++) {
            feed(event("RESET_PASSWORD_ERROR", T0 + i * MINUTE, null, "198.51.100.7", "gr_step", "verify",
                    "username", names[i]));
        }
        List<Finding> found = ofRule(AnomalyScorer.FAILED_RESETS);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).subject()).isEqualTo(Finding.SUBJECT_ADDRESS);
        assertThat(found.get(0).ipAddress()).isEqualTo("198.51.100.7");
        assertThat(found.get(0).userId()).isNull();
        assertThat(found.get(0).username()).isNull();
        assertThat(found.get(0).evidence()).containsEntry("per", "address").containsEntry("failures", "5");
        assertThat(scorer.risk(0, Hashing.scoped("realm-1", "198.51.100.7"), T0 + 6 * MINUTE).level())
                .as("a finding to see, not a reason to make that office's resets harder").isEqualTo(Risk.Level.NORMAL);

        // Five more at one name from five addresses: the name's own finding, which says it is a name.
        for (int i = 0; i < 5; i++) {
            feed(event("RESET_PASSWORD_ERROR", T0 + (5 + i) * 10_000, null, "192.0.2." + i, "gr_step", "verify",
                    "username", "h:dddd"));
        }
        Finding name = ofRule(AnomalyScorer.FAILED_RESETS).stream()
                .filter(f -> Finding.SUBJECT_NAME.equals(f.subject())).findFirst().orElseThrow();
        assertThat(name.username()).isEqualTo("h:dddd");
        assertThat(name.userId()).isNull();
    }

    @Test
    void an_account_finding_names_the_account_and_its_username() {
        for (int i = 0; i < 5; i++) {
            feed(event("RESET_PASSWORD_ERROR", T0 + i * MINUTE, "u9", "10.0.0.9", "gr_step", "verify",
                    "username", "pat"));
        }
        List<Finding> found = ofRule(AnomalyScorer.FAILED_RESETS);
        assertThat(found).hasSize(1).allSatisfy(f -> {
            assertThat(f.subject()).isEqualTo(Finding.SUBJECT_ACCOUNT);
            assertThat(f.userId()).isEqualTo("u9");
            assertThat(f.username()).isEqualTo("pat");
        });
    }

    @Test
    void one_wrong_code_at_a_break_glass_accounts_reset_is_a_critical_finding_of_that_account() {
        feed(event("RESET_PASSWORD_ERROR", T0, "glass-1", "10.0.0.10", "gr_step", "verify", "gr_tier", "break-glass"));
        feed(event("RESET_PASSWORD_ERROR", T0 + MINUTE, "glass-1", "10.0.0.10", "gr_step", "verify",
                "gr_tier", "break-glass"));
        List<Finding> found = ofRule(AnomalyScorer.FAILED_RESETS);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).userId()).isEqualTo("glass-1");
        assertThat(found.get(0).severityId()).as("critical").isEqualTo(5);
        assertThat(found.get(0).evidence()).containsEntry("tier", "break-glass");
    }

    @Test
    void failures_spread_beyond_the_window_do_not_add_up() {
        for (int i = 0; i < 10; i++) {
            failedReset(T0 + i * 3 * MINUTE, "u2", "10.0.0.2");
        }
        assertThat(ofRule(AnomalyScorer.FAILED_RESETS)).isEmpty();
    }

    @Test
    void two_scorers_seeing_the_same_events_derive_the_same_finding_id() {
        List<Finding> other = new ArrayList<>();
        AnomalyScorer second = new AnomalyScorer(ScorerSettings.DEFAULTS, other::add);
        for (int i = 0; i < 5; i++) {
            RecoveryEvent e = event("RESET_PASSWORD_ERROR", T0 + i * MINUTE, "u3", "10.0.0.3", "gr_step", "verify");
            scorer.observe(SignalMapper.map(e), e);
            second.observe(SignalMapper.map(e), e);
        }
        assertThat(ofRule(AnomalyScorer.FAILED_RESETS)).hasSize(1);
        assertThat(other).extracting(Finding::id).containsExactly(ofRule(AnomalyScorer.FAILED_RESETS).get(0).id());
    }

    @Test
    void one_address_across_ten_accounts_raises_ip_many_accounts_once() {
        for (int i = 0; i < 12; i++) {
            feed(event("LOGIN_ERROR", T0 + i * 1000, "user-" + i, "203.0.113.9"));
        }
        List<Finding> found = ofRule(AnomalyScorer.IP_MANY_ACCOUNTS);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).ipAddress()).isEqualTo("203.0.113.9");
        assertThat(scorer.risk(0, Hashing.scoped("realm-1", "203.0.113.9"), T0 + 20_000).level())
                .isEqualTo(Risk.Level.ELEVATED);
    }

    @Test
    void a_department_wave_far_above_its_baseline_raises_a_spike() {
        // A quiet baseline: one reset an hour for a day.
        for (int h = 0; h < 24; h++) {
            feed(event("RESET_PASSWORD", T0 + h * 3_600_000L, "s-" + h, "10.1.0.1", "gr_step", "identify",
                    "gr_department", "Finance"));
        }
        assertThat(ofRule(AnomalyScorer.DEPARTMENT_SPIKE)).isEmpty();
        long wave = T0 + 25 * 3_600_000L;
        for (int i = 0; i < 6; i++) {
            feed(event("RESET_PASSWORD", wave + i * MINUTE, "w-" + i, "10.1.0." + i, "gr_step", "identify",
                    "gr_department", "Finance"));
        }
        List<Finding> found = ofRule(AnomalyScorer.DEPARTMENT_SPIKE);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).department()).isEqualTo("Finance");
        assertThat(found.get(0).evidence()).containsEntry("resets_this_hour", "5");
    }

    @Test
    void a_reset_right_after_a_phone_change_is_flagged_and_raises_the_account_risk_to_high() {
        feed(event("UPDATE_PROFILE", T0, "u4", "10.0.0.4", "gr_method_change", "true"));
        feed(event("RESET_PASSWORD", T0 + 5 * MINUTE, "u4", "10.0.0.4", "gr_step", "identify"));

        assertThat(ofRule(AnomalyScorer.RESET_AFTER_METHOD_CHANGE)).hasSize(1);
        Risk risk = scorer.risk(Hashing.scoped("realm-1", "user:u4"), 0, T0 + 6 * MINUTE);
        assertThat(risk.level()).isEqualTo(Risk.Level.HIGH);
        assertThat(risk.reasons()).containsExactly(AnomalyScorer.RESET_AFTER_METHOD_CHANGE);
        assertThat(scorer.risk(Hashing.scoped("realm-1", "user:u4"), 0, T0 + 70 * MINUTE))
                .as("risk fades after its time to live").isEqualTo(Risk.NONE);
    }

    @Test
    void a_reset_long_after_a_method_change_is_not_flagged() {
        feed(event("UPDATE_TOTP", T0, "u5", "10.0.0.5"));
        feed(event("RESET_PASSWORD", T0 + Duration.ofHours(73).toMillis(), "u5", "10.0.0.5", "gr_step", "identify"));
        assertThat(ofRule(AnomalyScorer.RESET_AFTER_METHOD_CHANGE)).isEmpty();
    }

    @Test
    void a_password_change_is_not_a_method_change() {
        feed(event("UPDATE_CREDENTIAL", T0, "u6", "10.0.0.6", "credential_type", "password"));
        feed(event("RESET_PASSWORD", T0 + MINUTE, "u6", "10.0.0.6", "gr_step", "identify"));
        assertThat(ofRule(AnomalyScorer.RESET_AFTER_METHOD_CHANGE)).isEmpty();
    }

    @Test
    void privileged_resets_and_break_glass_sign_ins_are_always_findings() {
        feed(event("RESET_PASSWORD", T0, "admin-1", "10.0.0.7", "gr_step", "identify", "gr_tier", "privileged"));
        feed(event("LOGIN", T0, "bg-1", "10.0.0.8", "gr_tier", "break-glass"));
        assertThat(ofRule(AnomalyScorer.PRIVILEGED_RESET)).hasSize(1);
        assertThat(ofRule(AnomalyScorer.BREAK_GLASS_USE)).hasSize(1);
        assertThat(ofRule(AnomalyScorer.BREAK_GLASS_USE).get(0).severityId()).isEqualTo(5);
    }

    @Test
    void a_refused_reset_of_a_break_glass_account_is_a_finding_too() {
        feed(event("RESET_PASSWORD_ERROR", T0, "bg-2", "10.0.0.9", "gr_step", "identify", "gr_tier", "break-glass"));
        assertThat(ofRule(AnomalyScorer.PRIVILEGED_RESET)).hasSize(1);
        assertThat(ofRule(AnomalyScorer.PRIVILEGED_RESET).get(0).score()).isEqualTo(95);
    }

    @Test
    void privileged_resets_and_break_glass_sign_ins_do_not_raise_the_account_risk() {
        feed(event("RESET_PASSWORD", T0, "admin-2", "10.0.0.7", "gr_step", "identify", "gr_tier", "privileged"));
        feed(event("LOGIN", T0, "bg-3", "10.0.0.8", "gr_tier", "break-glass"));
        assertThat(ofRule(AnomalyScorer.PRIVILEGED_RESET)).hasSize(1);
        for (String user : List.of("admin-2", "bg-3")) {
            Signal s = SignalMapper.map(event("RESET_PASSWORD", T0 + MINUTE, user, "10.0.0.9", "gr_step", "identify"));
            assertThat(scorer.risk(s.subject(), 0, T0 + MINUTE).level()).as(user).isEqualTo(Risk.Level.NORMAL);
        }
    }

    @Test
    void a_sign_in_from_a_new_subnet_after_some_history_is_noted() {
        for (int i = 0; i < 3; i++) {
            feed(event("LOGIN", T0 + i * MINUTE, "u7", "192.0.2." + (10 + i)));
        }
        assertThat(ofRule(AnomalyScorer.NEW_SUBNET)).isEmpty();
        feed(event("LOGIN", T0 + 10 * MINUTE, "u7", "198.51.100.4"));
        assertThat(ofRule(AnomalyScorer.NEW_SUBNET)).hasSize(1);
        assertThat(ofRule(AnomalyScorer.NEW_SUBNET).get(0).evidence()).containsEntry("subnet", "198.51.100.0/24");
    }

    @Test
    void a_new_subnet_finding_says_whether_it_was_a_sign_in_and_to_which_application() {
        for (int i = 0; i < 3; i++) {
            feed(event("LOGIN", T0 + i * MINUTE, "u17", "192.0.2." + (10 + i)));
        }
        feed(event("LOGIN", T0 + 10 * MINUTE, "u17", "198.51.100.4"));
        feed(event("RESET_PASSWORD", T0 + 20 * MINUTE, "u17", "203.0.113.9", "gr_step", "identify"));
        List<Finding> found = ofRule(AnomalyScorer.NEW_SUBNET);
        assertThat(found).hasSize(2);
        assertThat(found.get(0).id()).as("two networks in one hour are two findings").isNotEqualTo(found.get(1).id());
        assertThat(found.get(0).evidence()).containsEntry(AnomalyScorer.EVIDENCE_ON, AnomalyScorer.ON_SIGN_IN)
                .containsEntry(AnomalyScorer.EVIDENCE_CLIENT, "account-console");
        assertThat(found.get(1).evidence()).containsEntry(AnomalyScorer.EVIDENCE_ON, AnomalyScorer.ON_RESET)
                .doesNotContainKey(AnomalyScorer.EVIDENCE_CLIENT);
    }

    @Test
    void an_owners_report_is_a_critical_finding_that_leaves_the_risk_to_the_freeze() {
        feed(event("EXECUTE_ACTION_TOKEN", T0, "u18", "10.0.0.18", "gr_step", "not_me", "gr_reported",
                "password-reset", "gr_outcome", "frozen"));
        feed(event("EXECUTE_ACTION_TOKEN", T0 + MINUTE, "u18", "10.0.0.18", "action", "reset-credentials"));
        List<Finding> found = ofRule(AnomalyScorer.OWNER_REPORT);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).severityId()).isEqualTo(5);
        assertThat(found.get(0).evidence()).containsEntry("reported", "password-reset");
        Signal s = SignalMapper.map(event("RESET_PASSWORD", T0 + 2 * MINUTE, "u18", "10.0.0.18", "gr_step",
                "identify"));
        assertThat(scorer.risk(s.subject(), 0, T0 + 2 * MINUTE).level()).isEqualTo(Risk.Level.NORMAL);
    }

    @Test
    void three_waiting_recoveries_from_one_address_or_department_in_a_day_raise_one_finding_each() {
        feed(event("RESET_PASSWORD", T0, "w1", "10.0.9.1", "gr_step", "waiting", "gr_outcome", "started",
                "gr_department", "sales"));
        feed(event("RESET_PASSWORD", T0 + HOUR, "w2", "10.0.9.1", "gr_step", "waiting", "gr_outcome", "started",
                "gr_department", "sales"));
        feed(event("RESET_PASSWORD", T0 + 2 * HOUR, "w3", "10.0.9.2", "gr_step", "waiting", "gr_outcome", "ended",
                "gr_department", "sales"));
        assertThat(ofRule(AnomalyScorer.WAITING_RECOVERIES)).as("two starts and an end: nothing yet").isEmpty();
        feed(event("RESET_PASSWORD", T0 + 3 * HOUR, "w3", "10.0.9.1", "gr_step", "waiting", "gr_outcome", "started",
                "gr_department", "sales"));
        feed(event("RESET_PASSWORD", T0 + 4 * HOUR, "w4", "10.0.9.1", "gr_step", "waiting", "gr_outcome", "started",
                "gr_department", "sales"));
        List<Finding> found = ofRule(AnomalyScorer.WAITING_RECOVERIES);
        assertThat(found).extracting(Finding::subject).containsExactlyInAnyOrder(Finding.SUBJECT_ADDRESS,
                Finding.SUBJECT_DEPARTMENT);
        assertThat(found).as("the fourth start raises nothing more").allSatisfy(f -> assertThat(f.evidence())
                .containsEntry("waits", "3"));
        // The address now counts as risky: its next wait is not offered (elevated risk).
        Signal next = SignalMapper.map(event("RESET_PASSWORD", T0 + 3 * HOUR + MINUTE, "w5", "10.0.9.1", "gr_step",
                "identify"));
        assertThat(scorer.risk(next.subject(), next.ip(), T0 + 3 * HOUR + MINUTE).level()).isNotEqualTo(Risk.Level.NORMAL);
    }

    @Test
    void many_codes_to_one_account_raise_send_volume() {
        for (int i = 0; i < 10; i++) {
            feed(event("RESET_PASSWORD", T0 + i * MINUTE, "u8", "10.0.0." + i, "gr_step", "challenge",
                    "gr_method", "email-code"));
        }
        assertThat(ofRule(AnomalyScorer.SEND_VOLUME)).hasSize(1);
    }

    @Test
    void memory_stays_bounded_when_more_keys_arrive_than_allowed() {
        ScorerSettings small = new ScorerSettings(5, Duration.ofMinutes(10), 10, Duration.ofMinutes(10), 5, 3.0, 3,
                Duration.ofHours(72), 10, 30, Duration.ofMinutes(60), 40, 80, 1000);
        AnomalyScorer bounded = new AnomalyScorer(small, f -> { });
        long bytesAtTheBound = 0;
        for (int i = 0; i < 10_000; i++) {
            RecoveryEvent e = event("RESET_PASSWORD_ERROR", T0, "many-" + i, null, "gr_step", "verify");
            bounded.observe(SignalMapper.map(e), e);
            if (i == 999) {
                bytesAtTheBound = bounded.tableBytes();
            }
        }
        assertThat(bounded.tableBytes()).as("no growth past the key limit").isEqualTo(bytesAtTheBound);
        assertThat(bounded.evictedKeys()).as("each key past the limit made room by evicting one").isEqualTo(9_000);
    }

    @Test
    void junk_keys_at_the_limit_do_not_blind_the_scorer_to_a_new_account() {
        ScorerSettings small = new ScorerSettings(5, Duration.ofMinutes(10), 10, Duration.ofMinutes(10), 5, 3.0, 3,
                Duration.ofHours(72), 10, 30, Duration.ofMinutes(60), 40, 80, 16);
        List<Finding> found = new ArrayList<>();
        AnomalyScorer bounded = new AnomalyScorer(small, found::add);
        for (int i = 0; i < 1_000; i++) {
            // Typed names that match no account, all inside the window: the table is full of live keys.
            RecoveryEvent junk = event("RESET_PASSWORD_ERROR", T0 + i, null, "10.9.0.1", "gr_step", "verify",
                    "username", "typo-" + i);
            bounded.observe(SignalMapper.map(junk), junk);
        }
        for (int i = 0; i < 5; i++) {
            RecoveryEvent real = event("RESET_PASSWORD_ERROR", T0 + 2_000 + i, "victim", "10.9.0.2", "gr_step",
                    "verify");
            bounded.observe(SignalMapper.map(real), real);
        }
        assertThat(found).filteredOn(f -> f.rule().equals(AnomalyScorer.FAILED_RESETS) && "victim".equals(f.userId()))
                .hasSize(1);
    }

    @Test
    void nodes_seeded_with_the_same_history_compute_the_same_department_baseline() {
        long dept = Hashing.scoped("realm-1", "Payroll");
        Map<List<Long>, Integer> shared = new HashMap<>();
        AnomalyScorer first = new AnomalyScorer(ScorerSettings.DEFAULTS, f -> { }, 64,
                (d, hour, resets) -> shared.merge(List.of(d, hour), resets, Math::max));
        long start = AnomalyScorer.hourOf(T0);
        for (int h = 0; h < 24 * 7; h++) {
            for (int n = 0; n < 1 + h % 3; n++) {
                RecoveryEvent e = event("RESET_PASSWORD", (start + h) * 3_600_000L + n * MINUTE, "p" + n, "10.1.0.1",
                        "gr_step", "identify", "gr_department", "Payroll");
                first.observe(SignalMapper.map(e), e);
            }
        }
        // A node that starts now reads the shared history of finished hours instead of replaying a week of events.
        AnomalyScorer second = new AnomalyScorer(ScorerSettings.DEFAULTS, f -> { });
        shared.entrySet().stream().filter(e -> e.getKey().get(1) < start + 24 * 7)
                .sorted(java.util.Comparator.comparing(e -> e.getKey().get(1)))
                .forEach(e -> second.seedDepartmentHour(e.getKey().get(0), e.getKey().get(1), e.getValue()));
        RecoveryEvent next = event("RESET_PASSWORD", (start + 24 * 7) * 3_600_000L, "p9", "10.1.0.1", "gr_step",
                "identify", "gr_department", "Payroll");
        first.observe(SignalMapper.map(next), next);
        second.observe(SignalMapper.map(next), next);
        assertThat(second.departmentBaseline(dept)).isPositive().isEqualTo(first.departmentBaseline(dept));
    }

    @Test
    void everySpellingOfOneNetworkIsOneSubnet() {
        assertThat(AnomalyScorer.subnetOf("203.0.113.7")).isEqualTo("203.0.113.0/24");
        assertThat(AnomalyScorer.subnetOf("2001:db8::1")).isEqualTo("2001:db8:0::/48")
                .isEqualTo(AnomalyScorer.subnetOf("2001:DB8:0:0:1::5"))
                .isEqualTo(AnomalyScorer.subnetOf("2001:0db8:0000:ffff:0:0:0:1"))
                .isEqualTo(AnomalyScorer.subnetOf("2001:db8::1%eth0"));
        assertThat(AnomalyScorer.subnetOf("2001:db8:1::1")).isNotEqualTo(AnomalyScorer.subnetOf("2001:db8::1"));
        assertThat(AnomalyScorer.subnetOf("::1")).isEqualTo("0:0:0::/48");
        assertThat(AnomalyScorer.subnetOf("")).isEmpty();
        assertThat(AnomalyScorer.subnetOf(null)).isEmpty();
    }

    /** The admin event of a triage, as the admin API records it. */
    private static RecoveryEvent triage(long time, String verdict, String rule, String account, String address) {
        Map<String, String> d = new HashMap<>();
        d.put("gr_verdict", verdict);
        d.put("gr_rule", rule);
        if (account != null) {
            d.put("gr_subject_account", account);
        }
        if (address != null) {
            d.put("gr_subject_address", address);
        }
        return new RecoveryEvent(UUID.randomUUID().toString(), time, RecoveryEvent.Kind.ADMIN,
                "ACTION_GOVERNED_RECOVERY_FINDING", "realm-1", "r", "governed-recovery-console", null, "192.0.2.200",
                null, d);
    }

    @Test
    void a_false_positive_takes_its_rule_out_of_the_account_risk_and_leaves_other_rules() {
        long account = Hashing.scoped("realm-1", "user:u9");
        feed(event("UPDATE_PROFILE", T0, "u9", "10.0.0.9", "gr_method_change", "true"));
        feed(event("RESET_PASSWORD", T0 + MINUTE, "u9", "10.0.0.9", "gr_step", "identify"));
        for (int i = 0; i < 5; i++) {
            failedReset(T0 + (2 + i) * MINUTE, "u9", "10.0.0.9");
        }
        assertThat(scorer.risk(account, 0, T0 + 8 * MINUTE).reasons())
                .containsExactly(AnomalyScorer.RESET_AFTER_METHOD_CHANGE, AnomalyScorer.FAILED_RESETS);

        feed(triage(T0 + 9 * MINUTE, "false_positive", AnomalyScorer.RESET_AFTER_METHOD_CHANGE, "user:u9", null));
        Risk left = scorer.risk(account, 0, T0 + 10 * MINUTE);
        assertThat(left.reasons()).containsExactly(AnomalyScorer.FAILED_RESETS);
        assertThat(left.score()).isEqualTo(60);

        feed(triage(T0 + 11 * MINUTE, "false_positive", AnomalyScorer.FAILED_RESETS, "user:u9", null));
        assertThat(scorer.risk(account, 0, T0 + 12 * MINUTE)).isEqualTo(Risk.NONE);
        // Further failures in the same window raise nothing again: the finding was judged already.
        failedReset(T0 + 13 * MINUTE, "u9", "10.0.0.9");
        assertThat(scorer.risk(account, 0, T0 + 14 * MINUTE)).isEqualTo(Risk.NONE);
    }

    @Test
    void a_confirmed_finding_and_a_false_positive_of_another_subject_change_nothing() {
        long address = Hashing.scoped("realm-1", "203.0.113.20");
        for (int i = 0; i < 12; i++) {
            feed(event("LOGIN_ERROR", T0 + i * 1000, "spray-" + i, "203.0.113.20"));
        }
        assertThat(scorer.risk(0, address, T0 + 20_000).level()).isEqualTo(Risk.Level.ELEVATED);

        feed(triage(T0 + 30_000, "confirmed", AnomalyScorer.IP_MANY_ACCOUNTS, null, "203.0.113.20"));
        feed(triage(T0 + 31_000, "false_positive", AnomalyScorer.IP_MANY_ACCOUNTS, null, "203.0.113.21"));
        feed(triage(T0 + 32_000, "false_positive", AnomalyScorer.FAILED_RESETS, null, "203.0.113.20"));
        assertThat(scorer.risk(0, address, T0 + 40_000).level()).isEqualTo(Risk.Level.ELEVATED);

        feed(triage(T0 + 50_000, "false_positive", AnomalyScorer.IP_MANY_ACCOUNTS, null, "203.0.113.20"));
        assertThat(scorer.risk(0, address, T0 + 60_000)).isEqualTo(Risk.NONE);
    }

    @Test
    void a_record_without_the_details_its_step_usually_has_maps_without_failing() {
        // Set.of(...).contains(null) throws: a challenge step without a method must not stop the scorer.
        assertThat(SignalMapper.map(event("RESET_PASSWORD", T0, "u1", "10.0.0.1", "gr_step", "challenge"))).isNull();
        assertThat(SignalMapper.map(event("RESET_PASSWORD", T0, "u1", "10.0.0.1"))).isNull();
    }
}
