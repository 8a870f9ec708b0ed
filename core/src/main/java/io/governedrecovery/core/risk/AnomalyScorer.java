package io.governedrecovery.core.risk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;

/**
 * Scores recovery signals with sliding windows in bounded memory and raises {@link Finding}s:
 * <ul>
 *   <li>{@code failed-resets}: failed reset tries per account, per typed name that matched no account, and per source
 *       address (default 5 in 10 minutes); any failed try at a break-glass account's reset at once (critical);</li>
 *   <li>{@code ip-many-accounts}: one source address touching many accounts (10 in 10 minutes);</li>
 *   <li>{@code department-spike}: resets in a department far above its own hourly baseline;</li>
 *   <li>{@code new-subnet}: a reset or sign-in from a subnet the account was not seen from;</li>
 *   <li>{@code reset-after-method-change}: a reset soon after a recovery method changed;</li>
 *   <li>{@code privileged-reset}: any reset of a privileged account;</li>
 *   <li>{@code break-glass-use}: any sign-in of a break-glass account;</li>
 *   <li>{@code send-volume}: unusually many codes sent to an account or asked from an address;</li>
 *   <li>{@code waiting-recoveries}: waiting-period recoveries started from one address, or for one department, three
 *       or more in 24 hours.</li>
 * </ul>
 * {@link #observe} is called by one thread; {@link #risk} may be called by any thread at any time.
 */
public final class AnomalyScorer {

    public static final String FAILED_RESETS = "failed-resets";
    public static final String IP_MANY_ACCOUNTS = "ip-many-accounts";
    public static final String DEPARTMENT_SPIKE = "department-spike";
    public static final String NEW_SUBNET = "new-subnet";
    public static final String RESET_AFTER_METHOD_CHANGE = "reset-after-method-change";
    public static final String PRIVILEGED_RESET = "privileged-reset";
    public static final String BREAK_GLASS_USE = "break-glass-use";
    public static final String SEND_VOLUME = "send-volume";
    /** The owner reported a change as not theirs: critical, whatever else is known. */
    public static final String OWNER_REPORT = "owner-report";
    /** Waiting-period recoveries started from one address or for one department: {@value #WAITS_PER_DAY} in 24 h. */
    public static final String WAITING_RECOVERIES = "waiting-recoveries";
    static final int WAITS_PER_DAY = 3;
    /** A new-subnet finding's evidence: what the account did from there ({@link #ON_SIGN_IN} or a reset), and for a
     * sign-in, to which application. */
    public static final String EVIDENCE_ON = "on";
    public static final String EVIDENCE_CLIENT = "client";
    public static final String ON_SIGN_IN = "sign-in";
    public static final String ON_RESET = "reset";
    public static final List<String> RULES = List.of(FAILED_RESETS, IP_MANY_ACCOUNTS, DEPARTMENT_SPIKE, NEW_SUBNET,
            RESET_AFTER_METHOD_CHANGE, PRIVILEGED_RESET, BREAK_GLASS_USE, SEND_VOLUME, OWNER_REPORT, WAITING_RECOVERIES);

    private static final long HOUR = 3_600_000L;
    private static final int MAX_DEPARTMENTS = 10_000;
    /** Hourly baseline smoothing: about one week of memory. */
    private static final double BASELINE_ALPHA = 2.0 / (24 * 7 + 1);

    private final ScorerSettings settings;
    private final Consumer<Finding> findings;
    private final SlidingCounterTable failedByAccount;
    private final SlidingCounterTable failedByAddress;
    private final DistinctTable accountsByAddress;
    private final SlidingCounterTable sendsByAccount;
    private final SlidingCounterTable sendsByAddress;
    private final SlidingCounterTable waitsByAddress;
    private final SlidingCounterTable waitsByDepartment;
    private final SmallTables.Subnets subnets;
    private final SmallTables.LastChange methodChanges;
    /** Per department (hash), its current hour and baseline; the least recently active departments go first. */
    private final Map<Long, DepartmentHour> departments = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DepartmentHour> eldest) {
            return size() > MAX_DEPARTMENTS;
        }
    };
    private final DepartmentCounts departmentCounts;
    private final Map<Long, Mark> accountRisk = new ConcurrentHashMap<>();
    private final Map<Long, Mark> addressRisk = new ConcurrentHashMap<>();
    private long observed;

    /**
     * Where the scorer reports each department's hourly reset count as it grows, so a shared store can keep the
     * history its baseline is computed from (see {@link #seedDepartmentHour}).
     */
    @FunctionalInterface
    public interface DepartmentCounts {
        DepartmentCounts NONE = (department, hour, resets) -> { };

        void counted(long department, long hour, int resets);
    }

    public AnomalyScorer(ScorerSettings settings, Consumer<Finding> findings) {
        this(settings, findings, 1024, DepartmentCounts.NONE);
    }

    /** @param expectedKeys initial size of each table (they grow up to the settings' bound) */
    public AnomalyScorer(ScorerSettings settings, Consumer<Finding> findings, int expectedKeys) {
        this(settings, findings, expectedKeys, DepartmentCounts.NONE);
    }

    public AnomalyScorer(ScorerSettings settings, Consumer<Finding> findings, int expectedKeys,
                         DepartmentCounts departmentCounts) {
        this.settings = settings;
        this.findings = findings;
        this.departmentCounts = departmentCounts;
        int max = settings.maxKeysPerTable();
        failedByAccount = new SlidingCounterTable(settings.failedResetWindow().toMillis(), 10, expectedKeys, max);
        failedByAddress = new SlidingCounterTable(settings.failedResetWindow().toMillis(), 10, expectedKeys, max);
        accountsByAddress = new DistinctTable(settings.ipWindow().toMillis(), settings.ipAccounts(), expectedKeys, max);
        sendsByAccount = new SlidingCounterTable(HOUR, 12, expectedKeys, max);
        sendsByAddress = new SlidingCounterTable(HOUR, 12, expectedKeys, max);
        waitsByAddress = new SlidingCounterTable(24 * HOUR, 24, expectedKeys, max);
        waitsByDepartment = new SlidingCounterTable(24 * HOUR, 24, 64, Math.min(max, MAX_DEPARTMENTS));
        subnets = new SmallTables.Subnets(30L * 24 * HOUR, expectedKeys, max);
        methodChanges = new SmallTables.LastChange(settings.methodChangeWindow().toMillis(), expectedKeys, max);
    }

    /** Scores one signal; {@code source} supplies names for the evidence when a finding is raised. */
    public void observe(Signal s, RecoveryEvent source) {
        observed++;
        switch (s.kind()) {
            case RESET_FAILED -> {
                long windowMillis = settings.failedResetWindow().toMillis();
                int failures = failedByAccount.add(s.subject(), s.time());
                boolean breakGlass = s.tier() == Signal.BREAK_GLASS;
                if ((failures >= settings.failedResets() || breakGlass) && s.subject() != 0
                        && failedByAccount.fireOnce(s.subject(), window(s.time(), windowMillis))) {
                    // A break-glass account is never reset by self-service: one wrong code at its reset is an attack.
                    raiseForAccount(FAILED_RESETS, breakGlass ? 95 : 60, s, source, windowMillis,
                            breakGlass ? Map.of("failures", Integer.toString(failures), "threshold", "1",
                                    "tier", tierName(s.tier()))
                                    : Map.of("failures", Integer.toString(failures), "threshold",
                                    Integer.toString(settings.failedResets())));
                }
                if (s.ip() != 0) {
                    // The same tries seen from their source: spread over several names, they still add up here (tries
                    // at one name only are that name's finding, not a second one).
                    int fromAddress = failedByAddress.add(s.ip(), s.time());
                    if (fromAddress >= settings.failedResets() && fromAddress > failures
                            && failedByAddress.fireOnce(s.ip(), window(s.time(), windowMillis))) {
                        raiseForAddress(FAILED_RESETS, 60, s, source, windowMillis,
                                Map.of("failures", Integer.toString(fromAddress), "threshold",
                                        Integer.toString(settings.failedResets()), "per", "address"));
                    }
                }
                touchAddress(s, source);
            }
            case LOGIN_FAILED -> touchAddress(s, source);
            case RESET_STARTED -> {
                touchAddress(s, source);
                department(s, source);
                subnet(s, source);
                long changed = methodChanges.last(s.subject());
                if (changed >= 0 && s.time() - changed <= settings.methodChangeWindow().toMillis()) {
                    raiseForAccount(RESET_AFTER_METHOD_CHANGE, 80, s, source, settings.methodChangeWindow().toMillis(),
                            Map.of("method_changed_at", Long.toString(changed), "minutes_since_change",
                                    Long.toString((s.time() - changed) / 60_000)));
                }
                if (s.tier() == Signal.PRIVILEGED || s.tier() == Signal.BREAK_GLASS) {
                    raiseForAccount(PRIVILEGED_RESET, s.tier() == Signal.BREAK_GLASS ? 95 : 60, s, source, HOUR,
                            Map.of("stage", "started", "tier", tierName(s.tier())));
                }
            }
            case RESET_COMPLETED -> {
                if (s.tier() == Signal.PRIVILEGED || s.tier() == Signal.BREAK_GLASS) {
                    raiseForAccount(PRIVILEGED_RESET, 70, s, source, HOUR,
                            Map.of("stage", "completed", "tier", tierName(s.tier())));
                }
            }
            case CODE_SENT -> {
                int toAccount = sendsByAccount.add(s.subject(), s.time());
                if (toAccount >= settings.sendsPerAccount() && s.subject() != 0
                        && sendsByAccount.fireOnce(s.subject(), window(s.time(), HOUR))) {
                    raiseForAccount(SEND_VOLUME, 40, s, source, HOUR,
                            Map.of("codes", Integer.toString(toAccount), "threshold",
                                    Integer.toString(settings.sendsPerAccount()), "per", "account"));
                }
                if (s.ip() != 0) {
                    int fromAddress = sendsByAddress.add(s.ip(), s.time());
                    if (fromAddress >= settings.sendsPerAddress()
                            && sendsByAddress.fireOnce(s.ip(), window(s.time(), HOUR))) {
                        raiseForAddress(SEND_VOLUME, 40, s, source, HOUR,
                                Map.of("codes", Integer.toString(fromAddress), "threshold",
                                        Integer.toString(settings.sendsPerAddress()), "per", "address"));
                    }
                }
            }
            case METHOD_CHANGED -> methodChanges.record(s.subject(), s.time());
            case WAITING_STARTED -> waiting(s, source);
            case OWNER_REPORT -> raiseForAccount(OWNER_REPORT, 95, s, source, HOUR,
                    Map.of("reported", source.details().getOrDefault(EventDetails.REPORTED, "-")));
            case FALSE_POSITIVE -> {
                String rule = source.details().get(EventDetails.RULE);
                if (rule != null) {
                    dismiss(accountRisk, s.subject(), rule);
                    dismiss(addressRisk, s.ip(), rule);
                }
            }
            case LOGIN -> {
                subnet(s, source);
                if (s.tier() == Signal.BREAK_GLASS) {
                    raiseForAccount(BREAK_GLASS_USE, 95, s, source, 60_000L, Map.of("tier", tierName(s.tier())));
                }
            }
            default -> {
                // nothing to score
            }
        }
    }

    /**
     * Waiting-period recoveries started from one address, or for accounts of one department: a few in a day are people
     * who lost their phone; more from one place look like someone working through a list of proven mailboxes.
     */
    private void waiting(Signal s, RecoveryEvent source) {
        long day = 24 * HOUR;
        if (s.ip() != 0) {
            int fromAddress = waitsByAddress.add(s.ip(), s.time());
            if (fromAddress >= WAITS_PER_DAY && waitsByAddress.fireOnce(s.ip(), window(s.time(), day))) {
                raiseForAddress(WAITING_RECOVERIES, 60, s, source, day, Map.of("waits",
                        Integer.toString(fromAddress), "threshold", Integer.toString(WAITS_PER_DAY), "per", "address"));
            }
        }
        if (s.department() != 0) {
            int inDepartment = waitsByDepartment.add(s.department(), s.time());
            if (inDepartment >= WAITS_PER_DAY
                    && waitsByDepartment.fireOnce(s.department(), window(s.time(), day))) {
                String department = source.details().getOrDefault(EventDetails.DEPARTMENT, "");
                long w = window(s.time(), day);
                findings.accept(new Finding(findingId(WAITING_RECOVERIES, source.realmId(), "department:" + department,
                        w, ""), WAITING_RECOVERIES, Finding.SUBJECT_DEPARTMENT, 50, source.realmId(), null, null,
                        null, department, s.time(), w * day, (w + 1) * day, withWindow(Map.of("waits",
                        Integer.toString(inDepartment), "threshold", Integer.toString(WAITS_PER_DAY), "per",
                        "department"), day)));
            }
        }
    }

    /** A sign-in or reset from a subnet the account was not seen from, once the account has some history. */
    private void subnet(Signal s, RecoveryEvent source) {
        if (s.subnet() == 0 || s.subject() == 0) {
            return;
        }
        int before = subnets.observe(s.subject(), (int) (s.subnet() ^ (s.subnet() >>> 32)), s.time());
        if (before >= settings.newSubnetHistory()) {
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("sightings_before", Integer.toString(before));
            evidence.put("subnet", subnetOf(source.ipAddress()));
            evidence.put(EVIDENCE_ON, s.kind() == SignalKind.LOGIN ? ON_SIGN_IN : ON_RESET);
            if (s.kind() == SignalKind.LOGIN && source.clientId() != null) {
                evidence.put(EVIDENCE_CLIENT, source.clientId());
            }
            raiseForAccount(NEW_SUBNET, 20, s, source, HOUR, evidence);
        }
    }

    private void touchAddress(Signal s, RecoveryEvent source) {
        if (s.ip() == 0 || s.subject() == 0) {
            return;
        }
        int accounts = accountsByAddress.add(s.ip(), (int) (s.subject() ^ (s.subject() >>> 32)), s.time());
        if (accounts == settings.ipAccounts()) {
            long w = settings.ipWindow().toMillis();
            raiseForAddress(IP_MANY_ACCOUNTS, 70, s, source, w, Map.of("accounts", Integer.toString(accounts),
                    "threshold", Integer.toString(settings.ipAccounts())));
        }
    }

    private void department(Signal s, RecoveryEvent source) {
        if (s.department() == 0) {
            return;
        }
        long hour = hourOf(s.time());
        DepartmentHour d = departments.computeIfAbsent(s.department(), k -> new DepartmentHour(hour));
        d.rollTo(hour);
        if (hour < d.hour || hour <= d.closedThrough) {
            return; // a late event of an earlier hour, or of an hour whose count came from the shared history
        }
        d.count++;
        departmentCounts.counted(s.department(), hour, d.count);
        int threshold = Math.max(settings.departmentMinimum(),
                (int) Math.ceil(settings.departmentFactor() * d.baseline));
        if (d.count >= threshold && d.firedHour != hour) {
            d.firedHour = hour;
            String department = source.details().getOrDefault(EventDetails.DEPARTMENT, "");
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("resets_this_hour", Integer.toString(d.count));
            evidence.put("hourly_baseline", String.format(Locale.ROOT, "%.2f", d.baseline));
            evidence.put("factor", String.format(Locale.ROOT, "%.1f", settings.departmentFactor()));
            evidence.put("threshold", Integer.toString(threshold));
            Finding f = new Finding(findingId(DEPARTMENT_SPIKE, source.realmId(), "department:" + department, hour, ""),
                    DEPARTMENT_SPIKE, Finding.SUBJECT_DEPARTMENT, 50, source.realmId(), null, null, null, department,
                    s.time(), hour * HOUR,
                    (hour + 1) * HOUR, evidence);
            findings.accept(f);
        }
    }

    /**
     * Feeds one finished hour of a department's shared history (the resets every node counted, from the database)
     * before the scorer reads new events: call in ascending hour order per department. Events of that hour and earlier
     * are then not counted again, and every node and restart computes the same baseline from the same history.
     */
    public void seedDepartmentHour(long department, long hour, int resets) {
        DepartmentHour d = departments.computeIfAbsent(department, k -> new DepartmentHour(hour));
        if (hour < d.hour) {
            return;
        }
        d.rollTo(hour);
        d.count = Math.max(d.count, resets);
        d.closedThrough = hour;
    }

    /** The hour number of an instant (epoch milliseconds / one hour). */
    public static long hourOf(long time) {
        return Math.floorDiv(time, HOUR);
    }

    /** A department's current hourly baseline (for tests and the benchmark), or -1 when it has none. */
    public double departmentBaseline(long department) {
        DepartmentHour d = departments.get(department);
        return d == null ? -1 : d.baseline;
    }

    private void raiseForAccount(String rule, int score, Signal s, RecoveryEvent source, long windowMillis,
                                 Map<String, String> evidence) {
        String who = accountName(source);
        long w = window(s.time(), windowMillis);
        // One finding per stage of a privileged reset, and per network new to the account.
        String stage = NEW_SUBNET.equals(rule) ? evidence.getOrDefault("subnet", "")
                : evidence.getOrDefault("stage", "");
        Finding f = new Finding(findingId(rule, source.realmId(), who, w, stage), rule,
                source.userId() != null ? Finding.SUBJECT_ACCOUNT : Finding.SUBJECT_NAME, score, source.realmId(),
                source.userId(), source.details().get(EventDetails.USERNAME),
                source.ipAddress(), source.details().get(EventDetails.DEPARTMENT), s.time(), w * windowMillis,
                (w + 1) * windowMillis, withWindow(evidence, windowMillis));
        if (raisesRisk(rule)) {
            mark(accountRisk, s.subject(), score, rule, s.time());
        }
        findings.accept(f);
    }

    /**
     * Whether a rule's findings raise the account's risk. A privileged reset and a break-glass sign-in are findings
     * for the security team to see, not signs of an attack: counting them would make an administrator's second try
     * within the hour harder than the first. An owner's report freezes the account's recovery itself.
     */
    static boolean raisesRisk(String rule) {
        // An owner's report freezes the account's recovery instead; once the helpdesk lifts the freeze, the owner's
        // next reset must not be refused for the report.
        return !PRIVILEGED_RESET.equals(rule) && !BREAK_GLASS_USE.equals(rule) && !OWNER_REPORT.equals(rule);
    }

    private void raiseForAddress(String rule, int score, Signal s, RecoveryEvent source, long windowMillis,
                                 Map<String, String> evidence) {
        long w = window(s.time(), windowMillis);
        Finding f = new Finding(findingId(rule, source.realmId(), "address:" + source.ipAddress(), w, ""), rule,
                Finding.SUBJECT_ADDRESS, score, source.realmId(), null, null, source.ipAddress(), null, s.time(), w * windowMillis,
                (w + 1) * windowMillis, withWindow(evidence, windowMillis));
        if (!FAILED_RESETS.equals(rule)) {
            // Failed tries from one address are for the security team to see; they do not make every reset from
            // that address (an office behind one NAT) harder. An address across many accounts does.
            mark(addressRisk, s.ip(), score, rule, s.time());
        }
        findings.accept(f);
    }

    private static Map<String, String> withWindow(Map<String, String> evidence, long windowMillis) {
        Map<String, String> all = new LinkedHashMap<>(evidence);
        all.put("window_minutes", Long.toString(windowMillis / 60_000));
        return all;
    }

    private void mark(Map<Long, Mark> marks, long key, int score, String rule, long time) {
        if (key == 0) {
            return;
        }
        long until = time + settings.riskTtl().toMillis();
        marks.merge(key, new Mark(List.of(new RuleMark(rule, score, until))), Mark::combine);
    }

    /** A rule's findings about {@code key} were judged false positives: that rule no longer adds to its risk. */
    private static void dismiss(Map<Long, Mark> marks, long key, String rule) {
        if (key != 0) {
            marks.computeIfPresent(key, (k, m) -> m.without(rule));
        }
    }

    /** The current risk of an account and an address (hashes as in {@link Signal}); any thread. */
    public Risk risk(long account, long address, long now) {
        int score = 0;
        List<String> reasons = new ArrayList<>();
        for (Mark m : new Mark[] {account == 0 ? null : accountRisk.get(account),
                address == 0 ? null : addressRisk.get(address)}) {
            if (m == null) {
                continue;
            }
            for (RuleMark r : m.rules()) {
                if (r.until() > now) {
                    score = Math.max(score, r.score());
                    if (!reasons.contains(r.rule())) {
                        reasons.add(r.rule());
                    }
                }
            }
        }
        if (score == 0) {
            return Risk.NONE;
        }
        Risk.Level level = score >= settings.highScore() ? Risk.Level.HIGH
                : score >= settings.elevatedScore() ? Risk.Level.ELEVATED : Risk.Level.NORMAL;
        return new Risk(level, score, reasons);
    }

    /** Drops expired risk marks; call now and then (the tables clean themselves when full). */
    public void expireRisk(long now) {
        for (Map<Long, Mark> marks : List.of(accountRisk, addressRisk)) {
            marks.replaceAll((k, m) -> m.until() <= now ? m : m.expired(now));
            marks.values().removeIf(m -> m.until() <= now);
        }
    }

    public long observed() {
        return observed;
    }

    /** Approximate bytes of all per-key tables, and the keys they hold, for the memory benchmark. */
    public long tableBytes() {
        return failedByAccount.bytes() + failedByAddress.bytes() + accountsByAddress.bytes() + sendsByAccount.bytes() + sendsByAddress.bytes()
                + subnets.bytes() + methodChanges.bytes();
    }

    public long trackedKeys() {
        return (long) failedByAccount.size() + failedByAddress.size() + accountsByAddress.size() + sendsByAccount.size()
                + sendsByAddress.size() + subnets.size() + methodChanges.size();
    }

    /** Keys evicted (least recently used first) to make room for new ones, since the scorer was made. */
    public long evictedKeys() {
        return failedByAccount.evicted() + failedByAddress.evicted() + accountsByAddress.evicted() + sendsByAccount.evicted()
                + sendsByAddress.evicted() + subnets.evicted() + methodChanges.evicted();
    }

    private static long window(long time, long windowMillis) {
        return time / windowMillis;
    }

    static String accountName(RecoveryEvent source) {
        if (source.userId() != null) {
            return "user:" + source.userId();
        }
        String typed = source.details().get(EventDetails.USERNAME);
        return "name:" + (typed == null ? "" : typed.toLowerCase(Locale.ROOT));
    }

    static String findingId(String rule, String realmId, String subject, long window, String stage) {
        long h = Hashing.hash64(rule + '|' + realmId + '|' + subject + '|' + window + '|' + stage);
        return "gr-" + rule + "-" + Long.toHexString(h);
    }

    private static String tierName(int tier) {
        return tier == Signal.BREAK_GLASS ? EventDetails.TIER_BREAK_GLASS
                : tier == Signal.PRIVILEGED ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD;
    }

    /**
     * The /24 (IPv4) or /48 (IPv6) of an address, as canonical text ("2001:db8:0::/48"), so every spelling of one
     * IPv6 network ("2001:db8::1", "2001:DB8:0:0:1::5") names the same subnet; "" when unknown. Pure text work: never
     * a name lookup.
     */
    public static String subnetOf(String ip) {
        if (ip == null || ip.isBlank()) {
            return "";
        }
        String address = ip.trim();
        if (address.indexOf(':') >= 0) {
            int zone = address.indexOf('%');
            if (zone >= 0) {
                address = address.substring(0, zone);
            }
            int gap = address.indexOf("::");
            String[] head = gap < 0 ? address.split(":") : groups(address.substring(0, gap));
            int[] first = new int[3];
            for (int i = 0; i < 3 && i < head.length; i++) {
                try {
                    first[i] = Integer.parseInt(head[i], 16) & 0xffff;
                } catch (NumberFormatException notHex) {
                    return address;
                }
            }
            return Integer.toHexString(first[0]) + ":" + Integer.toHexString(first[1]) + ":"
                    + Integer.toHexString(first[2]) + "::/48";
        }
        int last = address.lastIndexOf('.');
        return last > 0 ? address.substring(0, last) + ".0/24" : address;
    }

    private static String[] groups(String part) {
        return part.isEmpty() ? new String[0] : part.split(":");
    }

    /** What one rule adds to a subject's risk: its highest score, until when. */
    private record RuleMark(String rule, int score, long until) {
    }

    /** A subject's risk, rule by rule (in the order the rules first fired), so one rule can be dismissed alone. */
    private record Mark(List<RuleMark> rules) {
        long until() {
            long until = Long.MIN_VALUE;
            for (RuleMark r : rules) {
                until = Math.max(until, r.until());
            }
            return until;
        }

        Mark combine(Mark other) {
            List<RuleMark> all = new ArrayList<>(rules);
            for (RuleMark o : other.rules()) {
                int at = indexOf(all, o.rule());
                if (at < 0) {
                    all.add(o);
                } else {
                    RuleMark r = all.get(at);
                    all.set(at, new RuleMark(r.rule(), Math.max(r.score(), o.score()), Math.max(r.until(), o.until())));
                }
            }
            return new Mark(List.copyOf(all));
        }

        /** This mark without {@code rule}; null (the entry goes) when nothing is left. */
        Mark without(String rule) {
            List<RuleMark> left = rules.stream().filter(r -> !r.rule().equals(rule)).toList();
            return left.isEmpty() ? null : new Mark(left);
        }

        Mark expired(long now) {
            List<RuleMark> left = rules.stream().filter(r -> r.until() > now).toList();
            return left.size() == rules.size() ? this : new Mark(left);
        }

        private static int indexOf(List<RuleMark> marks, String rule) {
            for (int i = 0; i < marks.size(); i++) {
                if (marks.get(i).rule().equals(rule)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class DepartmentHour {
        long hour;
        int count;
        double baseline;
        long firedHour = Long.MIN_VALUE;
        long closedThrough = Long.MIN_VALUE;

        DepartmentHour(long hour) {
            this.hour = hour;
        }

        void rollTo(long newHour) {
            if (newHour <= hour) {
                return;
            }
            long missed = Math.min(newHour - hour, 24L * 30);
            baseline = BASELINE_ALPHA * count + (1 - BASELINE_ALPHA) * baseline;
            for (long i = 1; i < missed; i++) {
                baseline = (1 - BASELINE_ALPHA) * baseline;
            }
            count = 0;
            hour = newHour;
        }
    }
}
