package io.governedrecovery.it.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.governedrecovery.it.reliability.FuzzInputs.InputClass;
import io.governedrecovery.it.reliability.FuzzInputs.Value;

/**
 * The fuzz engine: sends generated hostile inputs to the targets ({@link FuzzTargets}) from several workers, and checks
 * every answer against the suite's promises: no 5xx of ours (a 5xx of Keycloak's own is named and counted apart), no
 * change of state (the account an input could touch is read before and after it), no secret or stack trace in an
 * answer, and no hostile markup or template echoed unescaped. Input number {@code i} of seed {@code s} is always the
 * same target, field, class and value, so any finding can be replayed ({@code suite.fuzz.replay=i,j}).
 */
public final class Fuzzer {

    /** How a run is shaped: system properties {@code <prefix>.inputs|seed|threads|replay}. */
    public record Settings(String prefix, long inputs, long seed, int threads, List<Long> replay, int samples) {

        public static Settings fromProperties(String prefix, long inputs, int threads) {
            String seed = System.getProperty(prefix + ".seed");
            String replay = System.getProperty(prefix + ".replay", "").trim();
            return new Settings(prefix, Long.getLong(prefix + ".inputs", inputs),
                    seed == null || seed.isBlank() ? new SplittableRandom().nextLong() & 0xFFFF_FFFFL
                            : Long.parseLong(seed.trim()),
                    Integer.getInteger(prefix + ".threads", threads),
                    replay.isEmpty() ? List.of() : Arrays.stream(replay.split(",")).map(String::trim)
                            .map(Long::parseLong).toList(),
                    Integer.getInteger(prefix + ".samples", 0));
        }
    }

    // ---- the model targets use ----

    /** Where a fuzzed field sits in a request. */
    enum Slot { FORM, FLOW, QUERY, PATH, JSON, BODY, HEADER }

    /** A field of a target: its legitimate ({@code base}) value, and the classes of input it gets. */
    record Field(String name, Slot slot, String base, String kind, List<InputClass> classes) {
    }

    /** One generated input: the target, the field, the class, the value (for value classes) and its random. */
    static final class Input {
        final long index;
        final FuzzTargets.Target target;
        final Field field;
        final InputClass cls;
        final Value value;
        final SplittableRandom random;

        Input(long index, FuzzTargets.Target target, Field field, InputClass cls, Value value, SplittableRandom random) {
            this.index = index;
            this.target = target;
            this.field = field;
            this.cls = cls;
            this.value = value;
            this.random = random;
        }

        String shown() {
            return "#" + index + " " + target.name + " / " + field.name() + " / " + cls.name().toLowerCase(Locale.ROOT)
                    + (value == null ? "" : " / " + value.shown());
        }
    }

    /** An HTTP request as sent; {@code sent} are the values it carries (an echo of them is not a leak). */
    static final class Request {
        final String method;
        final String url;
        final Map<String, String> headers;
        final byte[] body;
        final List<String> sent;

        Request(String method, String url, Map<String, String> headers, byte[] body, List<String> sent) {
            this.method = method;
            this.url = url;
            this.headers = headers;
            this.body = body;
            this.sent = sent;
        }

        String contentType() {
            return headers.getOrDefault("Content-Type", "");
        }

        String bodyText() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }

        /** Whether any part of the request (URL, body, a sent value) contains {@code text}. */
        boolean carries(String text) {
            if (url.contains(text) || bodyText().contains(text)) {
                return true;
            }
            for (String v : sent) {
                if (v != null && v.contains(text)) {
                    return true;
                }
            }
            for (String h : headers.values()) {
                if (h.contains(text)) {
                    return true;
                }
            }
            return false;
        }

        String shown() {
            String u = url.length() > 160 ? url.substring(0, 160) + "... (" + url.length() + " chars)" : url;
            String b = body == null ? "" : " body " + FuzzInputs.shown(bodyText()).replace("\\u", "\\\\u");
            return method + " " + u + b;
        }
    }

    /** One answer: status (-1 when none came), content type, body, and why none came. */
    record Answer(int status, String contentType, String body, String error) {
    }

    /** What a target prepared for one input: the request, how to send it, whose state it could touch. */
    static final class Shot {
        final Request request;
        final List<String> touched;
        final boolean approvals;
        final Sender sender;
        final Settler settler;

        Shot(Request request, List<String> touched, boolean approvals, Sender sender, Settler settler) {
            this.request = request;
            this.touched = touched;
            this.approvals = approvals;
            this.sender = sender;
            this.settler = settler;
        }
    }

    interface Sender {
        List<Answer> send(Request request);
    }

    interface Settler {
        void settle(List<Answer> answers);
    }

    /** An input that was not sent: its page could not be reached, or it would have been a legitimate request. */
    static final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean legitimate;

        Skip(String why, boolean legitimate) {
            super(why, null, false, false);
            this.legitimate = legitimate;
        }
    }

    // ---- results ----

    /** Counts of one row of the report (a target or an input class). */
    static final class Counts {
        final LongAdder tried = new LongAdder();
        final LongAdder s2 = new LongAdder();
        final LongAdder s3 = new LongAdder();
        final LongAdder s4 = new LongAdder();
        final LongAdder s5 = new LongAdder();
        final LongAdder none = new LongAdder();
        final LongAdder ours5 = new LongAdder();
        final LongAdder keycloak5 = new LongAdder();
        final LongAdder stateChanges = new LongAdder();
        final LongAdder leaks = new LongAdder();
        final LongAdder injections = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder legitimate = new LongAdder();
        final LongAdder prepareNanos = new LongAdder();
        final LongAdder sendNanos = new LongAdder();
        final LongAdder checkNanos = new LongAdder();
        final LongAdder stateNanos = new LongAdder();

        List<String> cells() {
            return List.of(tried.toString(), s2.toString(), s3.toString(), s4.toString(), s5.toString(),
                    none.toString(), ours5.toString(), keycloak5.toString(), stateChanges.toString(), leaks.toString(),
                    injections.toString());
        }
    }

    /** A finding: what it is, the input that caused it and the evidence. */
    record Finding(String kind, String input, String request, String evidence) {
    }

    /** A 5xx Keycloak itself answers, named, with the input shapes that met it. */
    record KeycloakOwn(String id, String description, LongAdder count, Set<String> examples) {
    }

    static final Map<Slot, String> SLOT_NAMES = Map.of(Slot.FORM, "form", Slot.FLOW, "Keycloak's flow parameters",
            Slot.QUERY, "query", Slot.PATH, "path", Slot.JSON, "JSON body fields", Slot.BODY, "whole body",
            Slot.HEADER, "header");

    public static final List<String> COLUMNS = List.of("inputs tried", "2xx", "3xx", "4xx", "5xx", "no answer",
            "5xx ours", "5xx Keycloak's", "state changes", "leaks", "unescaped echoes");

    final FuzzFixture fixture;
    final Settings settings;
    final List<FuzzTargets.Target> targets;
    private final double totalWeight;
    final Map<String, Counts> byTarget = new ConcurrentHashMap<>();
    final Map<InputClass, Counts> byClass = new ConcurrentHashMap<>();
    final Counts total = new Counts();
    final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
    final Map<String, KeycloakOwn> keycloakOwn = new ConcurrentHashMap<>();
    /** 6 to 10 digit numbers answers held that their requests did not carry: compared with the sent codes at the end. */
    private final Map<String, String> digitTokens = new ConcurrentHashMap<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    final Map<String, Donor> donors = new ConcurrentHashMap<>();
    /** Why inputs got no answer, and why pages could not be reached (for the run's printout). */
    final Map<String, NoAnswer> noAnswer = new ConcurrentHashMap<>();

    /** Inputs that got no HTTP answer for one reason, with a few of them. */
    record NoAnswer(LongAdder count, Set<String> examples) {
    }
    final Map<String, Long> skips = new ConcurrentHashMap<>();
    /** Every kc_locale value sent (decoded): Keycloak stores them as a signed-in user's language. */
    final Set<String> kcLocales = ConcurrentHashMap.newKeySet();
    /** The language attributes Keycloak stored from them (not our state changes; named in the report). */
    final Set<String> keycloakLocaleChanges = ConcurrentHashMap.newKeySet();
    static final String LOCALE_STATE = "not a 5xx but a state change of Keycloak's own: on the pages of a signed-in "
            + "user (the contact-change and campaign pages are required actions after the sign-in) Keycloak's own "
            + "required action update_user_locale (UpdateUserLocaleAction.evaluateTriggers) stores the kc_locale "
            + "query parameter, as it is and unchecked, as that user's own locale attribute, exactly as on Keycloak's "
            + "own required-action pages (it is how a person's language choice is kept); counted per change here, "
            + "not as ours; nothing else of the account changes";

    /** Answers by status, per target (printed). */
    final Map<String, Map<Integer, Long>> statuses = new ConcurrentHashMap<>();
    /** How many inputs per target to print with their answers ({@code <prefix>.samples}). */
    private final int samplesPerTarget;
    /** Requests the suite sent to Keycloak's own sign-in form to tell a 5xx of Keycloak's from ours. */
    final LongAdder controls = new LongAdder();

    /** Inputs the suite itself failed on (its own bug, or a server it could not read): reported, and they fail it. */
    final Map<String, Long> suiteErrors = new ConcurrentHashMap<>();
    /** HTTP/1.1, as browsers and reverse proxies talk to Keycloak over plain http (no h2c upgrade). */
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final LogWatch log;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong triedTotal = new AtomicLong();
    Duration took = Duration.ZERO;
    StateSnapshot before;
    StateSnapshot after;
    Map<String, List<String>> stateDifferences = Map.of();
    List<LogWatch.Entry> loggedOfOurs = List.of();
    List<String> loggedSignatures = List.of();
    int uncaughtLogged;
    int codesChecked;

    /** A page another worker is on: its form address and browser, for "another user's flow" inputs. */
    record Donor(String lane, String user, String action, String authSession) {
    }

    public Fuzzer(FuzzFixture fixture, Settings settings) {
        this.fixture = fixture;
        this.settings = settings;
        this.targets = FuzzTargets.all(fixture);
        this.totalWeight = targets.stream().mapToDouble(t -> t.weight).sum();
        this.log = new LogWatch(fixture.server.logFile());
        this.samplesPerTarget = settings.samples();
        for (FuzzTargets.Target t : targets) {
            byTarget.put(t.name, new Counts());
        }
        for (InputClass c : InputClass.values()) {
            byClass.put(c, new Counts());
        }
    }

    // ---- generation ----

    /** Input number {@code index}: a pure function of the seed and the index. */
    Input input(long index) {
        SplittableRandom r = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L);
        double at = r.nextDouble() * totalWeight;
        FuzzTargets.Target target = targets.get(targets.size() - 1);
        for (FuzzTargets.Target t : targets) {
            at -= t.weight;
            if (at < 0) {
                target = t;
                break;
            }
        }
        Field field = target.pickField(r);
        InputClass cls = field.classes().get(r.nextInt(field.classes().size()));
        Value value = FuzzInputs.VALUE_CLASSES.contains(cls) && field.slot() != Slot.BODY
                && field.slot() != Slot.JSON && field.slot() != Slot.HEADER
                ? FuzzInputs.value(cls, r, field.base()) : null;
        return new Input(index, target, field, cls, value, r.split());
    }

    // ---- running ----

    /** Runs the inputs (or the replayed ones), then the whole-realm comparison and the log and code checks. */
    public Fuzzer run() {
        secrets.putAll(fixture.secrets());
        long s0 = System.nanoTime();
        before = StateSnapshot.take(fixture);
        System.out.printf(Locale.ROOT, "fuzz: whole-realm snapshot in %.1f s%n", (System.nanoTime() - s0) / 1e9);
        long logStart = log.mark();
        Instant start = Instant.now();
        if (!settings.replay().isEmpty()) {
            Worker worker = new Worker(0);
            for (long index : settings.replay()) {
                Input in = input(index);
                System.out.println("replaying " + in.shown());
                one(worker, in, true);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < settings.threads(); w++) {
                Worker worker = new Worker(w);
                running.add(pool.submit(() -> {
                    while (triedTotal.get() < settings.inputs()) {
                        Input in = input(next.getAndIncrement());
                        try {
                            one(worker, in, false);
                        } catch (RuntimeException | AssertionError broken) {
                            // A fault of the suite itself (or a server it cannot read): named, and the run goes on.
                            suiteErrors.merge(in.target.name + ": " + abbreviated(broken.toString()), 1L, Long::sum);
                            if (suiteErrors.values().stream().mapToLong(Long::longValue).sum() > 200) {
                                throw broken;
                            }
                            worker.lanes.remove(in.target.name);
                        }
                    }
                    return null;
                }));
            }
            pool.shutdown();
            try {
                for (Future<?> f : running) {
                    f.get();
                }
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                pool.shutdownNow();
                throw new IllegalStateException("a fuzz worker failed: " + e, e);
            }
        }
        took = Duration.between(start, Instant.now());
        printCosts();
        after = StateSnapshot.take(fixture);
        stateDifferences = before.differences(after, fixture, System.currentTimeMillis(), kcLocales,
                d -> keycloakLocaleChanges.add(d));
        stateDifferences.forEach((owner, list) -> list.forEach(d -> findings.add(new Finding("state change",
                "whole-realm comparison (" + owner + ")", "-", d))));
        checkSentCodes();
        List<LogWatch.Entry> entries = log.since(logStart);
        loggedOfOurs = entries.stream().filter(e -> e.stack() && e.text().contains("io.governedrecovery")).toList();
        uncaughtLogged = (int) entries.stream().filter(e -> e.text().contains("Uncaught server error")).count();
        Set<String> signatures = new LinkedHashSet<>();
        for (LogWatch.Entry e : entries) {
            if (e.stack()) {
                signatures.add(e.signature());
            }
        }
        loggedSignatures = List.copyOf(signatures);
        for (LogWatch.Entry e : loggedOfOurs) {
            findings.add(new Finding("exception of ours in the server log", "-", "-", e.head(1500)));
        }
        return this;
    }

    /** A worker's own browsers (lanes), one per page target, and what it last read of its accounts. */
    final class Worker {
        final int number;
        final Map<String, FuzzTargets.Lane> lanes = new LinkedHashMap<>();
        final Map<String, StateSnapshot.UserState> known = new LinkedHashMap<>();
        /** The approvals this worker last saw waiting. */
        Map<String, StateSnapshot.Pending> pending;

        Worker(int number) {
            this.number = number;
        }

        Fuzzer fuzzer() {
            return Fuzzer.this;
        }
    }

    private void one(Worker worker, Input in, boolean verbose) {
        Counts t = byTarget.get(in.target.name);
        Counts c = byClass.get(in.cls);
        Shot shot;
        long t0 = System.nanoTime();
        try {
            shot = in.target.prepare(worker, in);
        } catch (Skip skip) {
            for (Counts r : List.of(t, c, total)) {
                (skip.legitimate ? r.legitimate : r.skipped).increment();
                r.prepareNanos.add(System.nanoTime() - t0);
            }
            if (!skip.legitimate) {
                skips.merge(in.target.name + ": " + abbreviated(skip.getMessage()).replaceAll("[0-9a-f-]{36}", "<id>"),
                        1L, Long::sum);
            }
            if (verbose) {
                System.out.println("  skipped: " + skip.getMessage());
            }
            return;
        }
        long t1 = System.nanoTime();
        long s0 = System.nanoTime();
        Map<String, StateSnapshot.UserState> states = new LinkedHashMap<>();
        for (String name : shot.touched) {
            StateSnapshot.UserState known = worker.known.get(name);
            states.put(name, known != null ? known : StateSnapshot.user(fixture.realm, fixture.id(name), false));
        }
        Map<String, StateSnapshot.Pending> pendingBefore = !shot.approvals ? Map.of()
                : worker.pending != null ? worker.pending : StateSnapshot.pending(fixture);

        String locale = kcLocale(shot.request.url);
        if (locale != null) {
            kcLocales.add(locale);
        }
        long logMark = log.mark();
        long t2 = System.nanoTime();
        long stateTime = t2 - s0;
        List<Answer> answers = shot.sender.send(shot.request);
        long t3 = System.nanoTime();
        triedTotal.incrementAndGet();
        for (Answer a : answers) {
            if (a.status() < 0) {
                String reason = abbreviated(String.valueOf(a.error())).replaceAll("/127\\.0\\.0\\.1:\\d+", "")
                        .replaceAll("^HTTP exchange failed: ", "");
                noAnswer.computeIfAbsent(reason, k -> new NoAnswer(new LongAdder(), ConcurrentHashMap.newKeySet()));
                NoAnswer n = noAnswer.get(reason);
                n.count().increment();
                if (n.examples().size() < 6) {
                    n.examples().add(in.target.name + " / " + in.field.name() + " / " + in.cls.name()
                            .toLowerCase(Locale.ROOT) + " (#" + in.index + ", " + shot.request.shown().length() + " "
                            + "chars shown; body " + (shot.request.body == null ? 0 : shot.request.body.length)
                            + " bytes, URL " + shot.request.url.length() + " chars)");
                }
            }
        }

        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, StateSnapshot.UserState> e : states.entrySet()) {
            StateSnapshot.UserState now = StateSnapshot.user(fixture.realm, e.getValue().id(), false);
            changes.addAll(StateSnapshot.differences(e.getValue(), now, fixture.user(e.getKey()).allowances(),
                    kcLocales, keycloakLocaleChanges::add));
            worker.known.put(e.getKey(), now);
        }
        if (shot.approvals) {
            Map<String, StateSnapshot.Pending> pendingAfter = StateSnapshot.pending(fixture);
            worker.pending = pendingAfter;
            for (StateSnapshot.Pending p : pendingBefore.values()) {
                if (!pendingAfter.containsKey(p.id()) && p.expiresAt() > System.currentTimeMillis()) {
                    changes.add("the approval request of " + p.username() + " no longer waits");
                }
            }
        }
        stateTime += System.nanoTime() - t3;
        shot.settler.settle(answers);

        List<Counts> rows = List.of(t, c, total);
        rows.forEach(r -> r.tried.increment());
        int worst = worst(answers);
        for (Counts r : rows) {
            (worst < 0 ? r.none : worst >= 500 ? r.s5 : worst >= 400 ? r.s4 : worst >= 300 ? r.s3 : r.s2).increment();
        }
        String shownInput = in.shown();
        String shownRequest = shot.request.shown();
        for (Answer a : answers) {
            if (a.status() >= 500) {
                String stack = log.stackSince(logMark);
                String own = keycloaksOwn(in, shot.request, stack);
                if (own != null) {
                    rows.forEach(r -> r.keycloak5.increment());
                } else {
                    rows.forEach(r -> r.ours5.increment());
                    findings.add(new Finding("5xx", shownInput, shownRequest, a.status() + " " + abbreviated(a.body())
                            + (stack.isEmpty() ? "" : "\n    log: " + stack.replace("\n", "\n    "))));
                }
            }
        }
        if (!changes.isEmpty()) {
            rows.forEach(r -> r.stateChanges.increment());
            findings.add(new Finding("state change", shownInput, shownRequest, String.join("; ", changes)));
        }
        for (Answer a : answers) {
            for (String leak : leaks(shot.request, a)) {
                rows.forEach(r -> r.leaks.increment());
                findings.add(new Finding("leak", shownInput, shownRequest, leak));
            }
            for (String echo : injections(shot.request, a)) {
                rows.forEach(r -> r.injections.increment());
                findings.add(new Finding("unescaped echo", shownInput, shownRequest, echo));
            }
        }
        if (samplesPerTarget > 0) {
            long n = t.tried.sum();
            if (n <= samplesPerTarget) {
                StringBuilder line = new StringBuilder("sample " + shownInput + "\n  " + shownRequest);
                for (Answer a : answers) {
                    line.append("\n  -> ").append(a.status()).append(' ').append(a.error() != null ? a.error()
                            : abbreviated(page(a.body())));
                }
                System.out.println(line);
            }
        }
        for (Answer a : answers) {
            statuses.computeIfAbsent(in.target.name, k -> new ConcurrentHashMap<>()).merge(a.status(), 1L, Long::sum);
        }
        if (verbose) {
            for (Answer a : answers) {
                System.out.println("  " + shot.request.shown() + "\n  -> " + a.status() + " " + abbreviated(a.body()));
                String body = a.body() == null ? "" : a.body();
                for (String value : shot.request.sent) {
                    // Where the answer shows what was sent (or its start): how it was escaped.
                    String probe = value == null || value.length() < 4 ? null : value.substring(0, Math.min(12,
                            value.length()));
                    for (String form : probe == null ? List.<String>of() : List.of(probe, probe.replace("&", "&amp;")
                            .replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"))) {
                        int at = body.indexOf(form);
                        if (at >= 0) {
                            System.out.println("  shown as: ..." + body.substring(Math.max(0, at - 150),
                                    Math.min(body.length(), at + 250)).replaceAll("\\s+", " ") + "...");
                            break;
                        }
                    }
                }
            }
        }
        long t4 = System.nanoTime();
        for (Counts r : List.of(t, c, total)) {
            r.prepareNanos.add(t1 - t0);
            r.sendNanos.add(t3 - t2);
            r.checkNanos.add((t2 - t1) + (t4 - t3));
            r.stateNanos.add(stateTime);
        }
        long done = total.tried.sum();
        if (done % 500 == 0) {
            System.out.printf(Locale.ROOT, "fuzz: %d inputs, %d findings%n", done, findings.size());
        }
    }

    static int worst(List<Answer> answers) {
        int worst = Integer.MIN_VALUE;
        boolean none = false;
        for (Answer a : answers) {
            if (a.status() >= 500) {
                return a.status();
            }
            none |= a.status() < 0;
        }
        if (none) {
            return -1;
        }
        return answers.isEmpty() ? -1 : answers.get(answers.size() - 1).status();
    }

    /** The part of an HTML page a person reads: the main section, else everything after the body tag. */
    static String page(String body) {
        if (body == null) {
            return "";
        }
        int main = body.indexOf("<main");
        int from = main >= 0 ? main : Math.max(0, body.indexOf("<body"));
        return body.substring(from).replaceAll("<[^>]+>", " ");
    }

    static String abbreviated(String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    // ---- checks ----

    private static final List<Pattern> STACK = List.of(Pattern.compile("Exception"), Pattern.compile("\tat "),
            Pattern.compile("Caused by: "), Pattern.compile("org\\.keycloak\\."),
            Pattern.compile("\\bat [a-z][a-z0-9_]*(\\.[A-Za-z_$][\\w$]*)+\\([\\w$]+\\.java:\\d+\\)"),
            Pattern.compile("io\\.governedrecovery\\."));
    private static final Pattern DIGITS = Pattern.compile("(?<![0-9])([0-9]{6,10})(?![0-9])");

    /** Stack traces and secrets in an answer (not counting what the request itself carried). */
    List<String> leaks(Request request, Answer answer) {
        List<String> out = new ArrayList<>();
        String body = answer.body();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (Pattern p : STACK) {
            Matcher m = p.matcher(body);
            if (m.find() && !request.carries(m.group())) {
                out.add("stack trace or class name '" + m.group() + "' in the answer: ..."
                        + abbreviated(body.substring(Math.max(0, m.start() - 120), Math.min(body.length(), m.end()
                        + 120))) + "...");
            }
        }
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            if (body.contains(s.getKey()) && !request.carries(s.getKey())) {
                out.add(s.getValue() + " in the answer");
            }
        }
        Matcher d = DIGITS.matcher(body);
        while (d.find()) {
            if (!request.carries(d.group(1)) && digitTokens.size() < 2_000_000) {
                digitTokens.putIfAbsent(d.group(1), request.shown());
            }
        }
        return out;
    }

    /** Hostile markup or a template expression that came back live. */
    List<String> injections(Request request, Answer answer) {
        List<String> out = new ArrayList<>();
        String body = answer.body();
        if (body == null) {
            return out;
        }
        boolean html = answer.contentType() == null || answer.contentType().contains("html");
        if (html) {
            for (String marker : FuzzInputs.UNESCAPED_MARKERS) {
                int at = body.indexOf(marker);
                if (at >= 0) {
                    out.add("unescaped '" + marker + "' in an HTML answer: ..." + body.substring(Math.max(0, at - 200),
                            Math.min(body.length(), at + marker.length() + 100)).replaceAll("\\s+", " ") + "...");
                }
            }
        }
        if (body.contains(FuzzInputs.EVALUATED_MARKER) && !request.carries(FuzzInputs.EVALUATED_MARKER)) {
            out.add("an expression was evaluated (" + FuzzInputs.EVALUATED_MARKER + " in the answer)");
        }
        if (answer.contentType() != null && answer.contentType().contains("text/csv")) {
            for (String line : body.split("\r\n")) {
                for (String cell : csvCells(line)) {
                    if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
                        out.add("a CSV cell a spreadsheet runs as a formula: " + FuzzInputs.shown(cell));
                    }
                }
            }
        }
        return out;
    }

    static List<String> csvCells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** Every code mailed or texted during the run, looked for among the numbers answers held. */
    private void checkSentCodes() {
        Set<String> codes = fixture.sentCodes();
        codesChecked = codes.size();
        for (String code : codes) {
            String where = digitTokens.get(code);
            if (where != null) {
                findings.add(new Finding("leak", "-", where, "a code sent by mail or text message (" + code
                        + ") appeared in an answer to a request that did not carry it"));
                total.leaks.increment();
            }
        }
    }

    // ---- 5xx: ours or Keycloak's own ----

    /**
     * The named Keycloak behaviour a 5xx is, or null when it is ours. A 5xx counts as Keycloak's only when the same
     * request shape gets it from Keycloak's own sign-in page too (a control request, sent now) and no frame of ours is
     * in the server's log for it.
     */
    private String keycloaksOwn(Input in, Request request, String stack) {
        if (stack.contains("io.governedrecovery")) {
            return null;
        }
        String type = request.contentType();
        if (type.startsWith("application/x-www-form-urlencoded") && BROKEN_ESCAPE.matcher(request.bodyText()).find()) {
            int control = controlOnSignInPage(request.bodyText(), "");
            if (control >= 500 && stack.contains("FormEncodedDataDefinition")) {
                return own("KC-FORM-ESCAPE", "a form body with a broken percent-escape (such as %zz or a lone %): "
                        + "Keycloak's HTTP layer (RESTEasy's form reader, on every form of Keycloak's pages, its own "
                        + "sign-in page included) fails with a 500 before any authenticator, ours or Keycloak's, runs; "
                        + "nothing changes (README, Known limitations)", in);
            }
        }
        String locale = kcLocale(request.url);
        if (locale != null && locale.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)
                && stack.contains("KEYCLOAK_LOCALE")) {
            int control = controlOnSignInPage("username=x&password=y", "&kc_locale="
                    + FuzzTargets.enc(locale));
            if (control >= 500) {
                return own("KC-LOCALE-HEADER", "a kc_locale query parameter with a character no HTTP header may hold "
                        + "(a line break, another control character, DEL): Keycloak copies it, as it is, into its "
                        + "KEYCLOAK_LOCALE cookie (LocaleUtil.processLocaleParam and DefaultLocaleUpdaterProvider, on "
                        + "every page under /login-actions, its own sign-in page included) and its HTTP server (Vert.x) "
                        + "refuses the header with a 500; nothing changes (the locale written for a signed-in user is "
                        + "rolled back with the request)", in);
            }
        }
        return null;
    }

    /** The kc_locale parameter of a URL, decoded, or null. */
    static String kcLocale(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        String value = FuzzTargets.valueOf(FuzzTargets.parseQuery(url.substring(q + 1)), "kc_locale");
        return value == null ? null : FuzzTargets.decode(value);
    }

    static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private String own(String id, String description, Input in) {
        KeycloakOwn k = keycloakOwn.computeIfAbsent(id, x -> new KeycloakOwn(id, description, new LongAdder(),
                ConcurrentHashMap.newKeySet()));
        k.count().increment();
        if (k.examples().size() < 8) {
            k.examples().add(in.target.name + " / " + in.field.name() + " = " + (in.value == null ? in.cls.name()
                    : in.value.shown()));
        }
        return id;
    }

    /**
     * The status Keycloak's own sign-in form answers to {@code body}, posted as a browser would, with
     * {@code extraQuery} added to the form's address.
     */
    private int controlOnSignInPage(String body, String extraQuery) {
        controls.increment();
        io.governedrecovery.it.harness.FlowClient browser = io.governedrecovery.it.harness.FlowClient.http1();
        io.governedrecovery.it.harness.FlowClient.Page login = browser.get(fixture.realm.signInUrl());
        try {
            return browser.postRaw(login.formAction("kc-form-login") + extraQuery,
                    "application/x-www-form-urlencoded", body).status();
        } catch (AssertionError noAnswer) {
            return -1;
        }
    }

    // ---- sending ----

    /** Sends a request with the suite's plain HTTP client (API targets: no cookies). */
    List<Answer> sendPlain(Request request) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(request.url)).timeout(Duration.ofSeconds(60))
                    .method(request.method, request.body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body));
            request.headers.forEach(b::header);
        } catch (IllegalArgumentException unsendable) {
            return List.of(new Answer(-1, null, null, "not sendable by an HTTP client: " + unsendable.getMessage()));
        }
        try {
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException first) {
                // Once more on a fresh connection: a kept-alive one the server had just closed looks the same.
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            }
            return List.of(new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                    null));
        } catch (IOException e) {
            return List.of(new Answer(-1, null, null, e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    long tried() {
        return total.tried.sum();
    }

    /** Where the run's time went, per target, and why inputs got no answer or were skipped (printed, not reported). */
    void printCosts() {
        StringBuilder out = new StringBuilder("fuzz: time per target (s: walking/preparing, sending, checking "
                + "(state reads of it))\n");
        for (FuzzTargets.Target t : targets) {
            Counts k = byTarget.get(t.name);
            out.append(String.format(Locale.ROOT, "  %-60s %6d tried %5d skipped %8.1f %8.1f %8.1f (%.1f)%n", t.name,
                    k.tried.sum(), k.skipped.sum(), k.prepareNanos.sum() / 1e9, k.sendNanos.sum() / 1e9,
                    k.checkNanos.sum() / 1e9, k.stateNanos.sum() / 1e9));
        }
        out.append("fuzz: statuses per target\n");
        for (FuzzTargets.Target t : targets) {
            out.append("  ").append(t.name).append(": ").append(new java.util.TreeMap<>(statuses.getOrDefault(t.name,
                    Map.of()))).append('\n');
        }
        out.append("fuzz: no answer\n");
        noAnswer.forEach((k, v) -> out.append("  ").append(v.count()).append(" x ").append(k).append(' ')
                .append(v.examples()).append('\n'));
        out.append("fuzz: legitimate requests not sent, per target\n");
        for (FuzzTargets.Target t : targets) {
            long n = byTarget.get(t.name).legitimate.sum();
            if (n > 0) {
                out.append("  ").append(n).append(" x ").append(t.name).append('\n');
            }
        }
        out.append("fuzz: errors of the suite itself\n");
        suiteErrors.forEach((k, v) -> out.append("  ").append(v).append(" x ").append(k).append('\n'));
        out.append("fuzz: skipped\n");
        skips.forEach((k, v) -> out.append("  ").append(v).append(" x ").append(k).append('\n'));
        System.out.println(out);
    }

    // ---- the report and the promises ----

    long ours5xx() {
        return total.ours5.sum();
    }

    long stateChanges() {
        return total.stateChanges.sum() + stateDifferences.values().stream().mapToLong(List::size).sum();
    }

    long leakCount() {
        return total.leaks.sum();
    }

    /** Writes the run's figures into {@code report}: promises, per target, per input class, Keycloak's own 5xx. */
    public void report(SuiteReport report) {
        long tried = tried();
        double seconds = Math.max(1, took.toMillis() / 1000.0);
        String p = settings.prefix();
        report.paragraph(String.format(Locale.ROOT, "Seed **%d** (the same inputs again: `-D" + p + ".seed=%d`; one "
                + "input again, with its request and answer printed: add `-D" + p + ".replay=<input number>`). "
                + "%d inputs tried by %d workers in %s (%.1f inputs/s, setup "
                + "walks included); %d not sent because the page could not be reached, %d because they would have been "
                + "legitimate requests (a matching new password, a real approval key with approve, \"cancel\" on the "
                + "waiting page...). The machine was shared with other people's Keycloak servers and builds: times are "
                + "not a benchmark.", settings.seed(), settings.seed(), tried, settings.threads(),
                SuiteReport.minutes(took), tried / seconds, total.skipped.sum(), total.legitimate.sum()));
        report.heading("Promises");
        long kc = total.keycloak5.sum();
        report.table(List.of("promise", "result"), List.of(
                List.of("no 5xx of ours", ours5xx() + " (" + kc + " 5xx of Keycloak's own, named below)"),
                List.of("no state change", stateChanges() + " (each input: the account it could touch read before "
                        + "and after; the whole realm: " + before.accounts() + " accounts, " + before.credentials()
                        + " credentials, " + before.approvals() + " pending approvals compared before and after the "
                        + "run)"),
                List.of("no secret or stack trace in an answer", leakCount() + " (stack-trace text and class names, "
                        + "passwords, app seeds, recovery codes, passes, approval keys, the SMS and webhook secrets; and "
                        + codesChecked + " codes sent by mail or text message during the run, looked for in every "
                        + "answer)"),
                List.of("no hostile markup, template or formula echoed live", total.injections.sum()
                        + " (unescaped HTML/JS payloads in HTML answers, evaluated template expressions, CSV cells a "
                        + "spreadsheet runs)"),
                List.of("no exception of ours in the server log", loggedOfOurs.size() + " (log entries with a stack "
                        + "trace through io.governedrecovery during the run)")));
        List<String> columns = new ArrayList<>(List.of("target"));
        columns.addAll(COLUMNS);
        List<List<String>> rows = new ArrayList<>();
        for (FuzzTargets.Target t : targets) {
            List<String> row = new ArrayList<>(List.of(t.name.replace("|", "\\|")));
            row.addAll(byTarget.get(t.name).cells());
            rows.add(row);
        }
        List<String> sum = new ArrayList<>(List.of("**all**"));
        sum.addAll(total.cells());
        rows.add(sum);
        report.heading("Per target");
        report.paragraph("Each target's fields are listed in `FuzzTargets`. Page targets are walked to in a worker's "
                + "own browser and get a third of their inputs in Keycloak's flow parameters of the page's form address "
                + "(`session_code`, `execution`, `client_id`, `tab_id`, `client_data`, `auth_session_id`, and `key` on "
                + "the reset pages); a status is the worst of the answer and the page a redirect led to.");
        report.table(columns, rows);
        List<String> classColumns = new ArrayList<>(List.of("input class"));
        classColumns.addAll(COLUMNS);
        List<List<String>> classRows = new ArrayList<>();
        for (InputClass c : InputClass.values()) {
            List<String> row = new ArrayList<>(List.of(c.label()));
            row.addAll(byClass.get(c).cells());
            classRows.add(row);
        }
        report.heading("Per input class");
        report.table(classColumns, classRows);
        report.heading("Keycloak's own 5xx and state changes");
        if (keycloakOwn.isEmpty() && keycloakLocaleChanges.isEmpty()) {
            report.paragraph("None.");
        } else {
            report.paragraph("A 5xx counts as Keycloak's only when the same request shape, sent at once to Keycloak's "
                    + "own sign-in form, gets a 5xx too, and no frame of ours is in the server log for it; any other "
                    + "5xx counts as ours.");
            List<List<String>> own = new ArrayList<>();
            for (KeycloakOwn k : new java.util.TreeMap<>(keycloakOwn).values()) {
                own.add(List.of(k.id(), k.count().toString(), k.description(),
                        String.join("; ", new java.util.TreeSet<>(k.examples())).replace("|", "\\|")));
            }
            if (!keycloakLocaleChanges.isEmpty()) {
                List<String> seen = new ArrayList<>(new java.util.TreeSet<>(keycloakLocaleChanges));
                own.add(List.of("KC-USER-LOCALE", Integer.toString(seen.size()), LOCALE_STATE,
                        cell(String.join("; ", seen.subList(0, Math.min(8, seen.size()))))));
            }
            report.table(List.of("id", "count", "what it is, and why it is Keycloak's", "inputs that met it"), own);
        }
        report.heading("Inputs without an answer");
        if (noAnswer.isEmpty()) {
            report.paragraph("None: every input got an HTTP answer.");
        } else {
            report.paragraph("The connection ended without an HTTP status, also when the request was sent a "
                    + "second time (counted as \"no answer\" above, not as "
                    + "a 5xx): Keycloak's HTTP server (Vert.x) closed the connection before any of Keycloak's or our "
                    + "code ran. The sizes of the requests are given:");
            List<List<String>> closed = new ArrayList<>();
            noAnswer.forEach((reason, n) -> closed.add(List.of(cell(reason), n.count().toString(),
                    cell(String.join("; ", new java.util.TreeSet<>(n.examples()))))));
            report.table(List.of("what the client saw", "inputs", "examples"), closed);
        }
        report.heading("Server log");
        report.paragraph(uncaughtLogged + " \"Uncaught server error\" entries (" + controls.sum() + " of the requests "
                + "behind them were the suite's control requests to Keycloak's own sign-in form); "
                + loggedSignatures.size()
                + " distinct stack traces logged during the run, " + loggedOfOurs.size() + " through our code"
                + (loggedSignatures.isEmpty() ? "." : ":"));
        if (!loggedSignatures.isEmpty()) {
            List<List<String>> logRows = new ArrayList<>();
            for (String sig : loggedSignatures.subList(0, Math.min(30, loggedSignatures.size()))) {
                logRows.add(List.of("`" + sig.replace("|", "/").replace("`", "'") + "`"));
            }
            report.table(List.of("logger / exception / first frame"), logRows);
        }
        report.heading("Targets and their fields");
        List<List<String>> fieldRows = new ArrayList<>();
        for (FuzzTargets.Target t : targets) {
            Map<Slot, List<String>> bySlot = new java.util.EnumMap<>(Slot.class);
            for (Field f : t.fields) {
                bySlot.computeIfAbsent(f.slot(), k -> new ArrayList<>()).add("`" + f.name() + "`");
            }
            List<String> parts = new ArrayList<>();
            bySlot.forEach((slot, names) -> parts.add(SLOT_NAMES.get(slot) + ": " + String.join(", ", names)));
            fieldRows.add(List.of(t.name.replace("|", "\\|"), String.join("; ", parts)));
        }
        report.table(List.of("target", "fields fuzzed"), fieldRows);
        report.heading("Findings of this run");
        if (findings.isEmpty()) {
            report.paragraph("None.");
        } else {
            List<List<String>> f = new ArrayList<>();
            synchronized (findings) {
                for (Finding x : findings.subList(0, Math.min(60, findings.size()))) {
                    f.add(List.of(x.kind(), cell(x.input()), cell(x.request()), cell(x.evidence())));
                }
            }
            report.table(List.of("kind", "input", "request", "evidence"), f);
        }
    }

    private static String cell(String text) {
        String flat = text.replace("\n", " ").replace("|", "\\|");
        return flat.length() > 700 ? flat.substring(0, 700) + "..." : flat;
    }

    /** Fails when the run broke a promise, naming the first findings. */
    public void assertPromises() {
        StringBuilder why = new StringBuilder();
        if (ours5xx() > 0) {
            why.append(ours5xx()).append(" 5xx of ours; ");
        }
        if (stateChanges() > 0) {
            why.append(stateChanges()).append(" state changes; ");
        }
        if (leakCount() > 0) {
            why.append(leakCount()).append(" leaks; ");
        }
        if (total.injections.sum() > 0) {
            why.append(total.injections.sum()).append(" unescaped echoes; ");
        }
        if (!loggedOfOurs.isEmpty()) {
            why.append(loggedOfOurs.size()).append(" exceptions of ours in the server log; ");
        }
        if (!suiteErrors.isEmpty()) {
            why.append(suiteErrors.size()).append(" kinds of errors of the suite itself ").append(suiteErrors.keySet())
                    .append("; ");
        }
        if (settings.replay().isEmpty() && tried() < settings.inputs()) {
            why.append("only ").append(tried()).append(" of ").append(settings.inputs()).append(" inputs tried; ");
        }
        if (!why.isEmpty()) {
            StringBuilder first = new StringBuilder();
            synchronized (findings) {
                for (Finding x : findings.subList(0, Math.min(15, findings.size()))) {
                    first.append("\n- ").append(x.kind()).append(": ").append(x.input()).append("\n  ")
                            .append(x.request()).append("\n  ").append(x.evidence());
                }
            }
            throw new AssertionError("The fuzz suite (seed " + settings.seed() + ") found: " + why + first);
        }
    }

    // ---- the server log ----

    /** Reads Keycloak's log as it grows: entries (a line with a time stamp and what follows it) since a mark. */
    static final class LogWatch {

        private static final Pattern STAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        private final Path file;

        LogWatch(Path file) {
            this.file = file;
        }

        long mark() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }

        /** The stack traces logged since {@code mark} (the server logs a 5xx's as it answers), or "". */
        String stackSince(long mark) {
            StringBuilder out = new StringBuilder();
            for (Entry e : read(mark, mark())) {
                if (e.stack() && out.length() < 4000) {
                    out.append(e.head(1500)).append('\n');
                }
            }
            return out.toString();
        }

        List<Entry> since(long offset) {
            return read(offset, mark());
        }

        private List<Entry> read(long from, long to) {
            List<Entry> entries = new ArrayList<>();
            if (to <= from) {
                return entries;
            }
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                f.seek(from);
                bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 16, to - from)];
                f.readFully(bytes);
            } catch (IOException e) {
                return entries;
            }
            StringBuilder current = null;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (STAMP.matcher(line).find()) {
                    if (current != null) {
                        entries.add(new Entry(current.toString()));
                    }
                    current = new StringBuilder(line);
                } else if (current != null) {
                    current.append('\n').append(line);
                }
            }
            if (current != null) {
                entries.add(new Entry(current.toString()));
            }
            return entries;
        }

        record Entry(String text) {

            boolean stack() {
                return text.contains("\n\tat ") || text.contains("\nCaused by: ");
            }

            String head(int max) {
                return text.length() > max ? text.substring(0, max) + "..." : text;
            }

            /** The logger and the exception: the first line without its time, and the first "Caused by". */
            String signature() {
                String first = text.split("\n", 2)[0].replaceFirst("^\\S+ \\S+ ", "");
                first = first.replaceAll("\\(executor-thread-\\d+\\)", "(executor-thread)");
                String[] lines = text.split("\n");
                String exception = "";
                for (String line : lines) {
                    if (!line.startsWith("\tat ") && !line.equals(lines[0]) && !line.isBlank()) {
                        exception = line.trim();
                        break;
                    }
                }
                String frame = "";
                for (String line : lines) {
                    if (line.startsWith("\tat ")) {
                        frame = line.trim();
                        break;
                    }
                }
                return abbreviated(first) + " | " + abbreviated(exception) + " | " + frame;
            }
        }
    }

    static <K extends Enum<K>, V> Map<K, V> enumMap(Class<K> type) {
        return new EnumMap<>(type);
    }
}
