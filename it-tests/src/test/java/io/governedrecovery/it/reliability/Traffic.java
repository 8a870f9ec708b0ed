package io.governedrecovery.it.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Virtual users walking Keycloak's own pages with plain HTTP: the governed reset (name, a code by email, a code from
 * the authenticator app, the new password), Keycloak's stock reset (name, the emailed link, the new password) and the sign-in
 * page, in a governed and a stock realm on the same nodes, interleaved, so that both see the same machine. Each
 * virtual user has its own client address (X-Forwarded-For) and its own accounts, sticks to one node (a sticky load
 * balancer), and records the time of every page by flow and step, every completed flow, and every error by kind.
 */
final class Traffic implements AutoCloseable {

    static final String GOVERNED = "governed";
    static final String STOCK = "stock";
    static final String METHODS_FORM = "governed-recovery-methods-form";
    static final String CODE_FORM = "governed-recovery-code-form";
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    private static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{6,10})(?![0-9])");
    private static final Duration MESSAGE_WAIT = Duration.ofSeconds(90);
    /**
     * How long a virtual user waits for a page, as a browser would (Chromium gives up after 300 s): a saturated server
     * shows as long page times in the report, not as flows the load generator abandoned.
     */
    static final Duration PAGE_TIMEOUT = Duration.ofSeconds(Long.getLong("suite.page-timeout-seconds", 120));

    /** One account of a virtual user: its realm kind, name, addresses and current password. */
    static final class Account {
        final String kind;
        final String name;
        final String phone;
        final String totpSecret;
        volatile String password = "Initial-password-1";
        private long lastTotpStep = -1;

        Account(String kind, String name, String phone) {
            this.kind = kind;
            this.name = name;
            this.phone = phone;
            this.totpSecret = GOVERNED.equals(kind) ? "load-secret-" + name : null;
        }

        String email() {
            return name + "@example.test";
        }
    }

    /** Every time a page took, by "kind/step", in nanoseconds. */
    static final class Samples {
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long[] values() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    private final List<KeycloakServer> nodes;
    private final Map<String, String> realms;
    private final MailCatcher mail;
    private final SmsGatewayStub sms;
    private final Map<String, Samples> pages = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> completed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorExamples = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<String>> inbox = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread postman;
    private volatile boolean paused;

    /**
     * Traffic to {@code nodes} for the realms named by kind ({@link #GOVERNED}, {@link #STOCK}); codes and links are
     * read from {@code mail} and {@code sms} as they arrive.
     */
    Traffic(List<KeycloakServer> nodes, Map<String, String> realms, MailCatcher mail, SmsGatewayStub sms) {
        this.nodes = nodes;
        this.realms = realms;
        this.mail = mail;
        this.sms = sms;
        this.postman = new Thread(this::deliver, "traffic-postman");
        postman.setDaemon(true);
        postman.start();
    }

    private final Map<Integer, List<Account>> accountsByUser = new ConcurrentHashMap<>();

    /** The accounts of virtual user {@code vu} (kept across runs, with their current passwords). */
    List<Account> accountsOf(int vu, int perUser) {
        return accountsByUser.computeIfAbsent(vu, k -> accounts(k, perUser));
    }

    /** The accounts of virtual user {@code vu}: {@code perUser} in each realm kind, named after the user. */
    static List<Account> accounts(int vu, int perUser) {
        List<Account> accounts = new ArrayList<>();
        for (String kind : List.of(GOVERNED, STOCK)) {
            for (int i = 0; i < perUser; i++) {
                accounts.add(new Account(kind, kind.charAt(0) + "u" + vu + "x" + i,
                        String.format("+49151%04d%03d", vu, i)));
            }
        }
        return accounts;
    }

    /**
     * Runs {@code users} virtual users until {@code until}: each repeats a reset and a sign-in, alternating realm kind
     * and accounts, with {@code think} between pages; when {@code pacing} is not zero, each starts a flow only every
     * {@code pacing} (a steady rate of users / pacing flows per second).
     */
    void run(int users, int accountsPerUser, Instant until, Duration think, Duration pacing) {
        ExecutorService pool = Executors.newFixedThreadPool(users, r -> {
            Thread t = new Thread(r, "traffic-vu");
            t.setDaemon(true);
            return t;
        });
        for (int vu = 0; vu < users; vu++) {
            int id = vu;
            pool.execute(() -> virtualUser(id, accountsOf(id, accountsPerUser), until, think, pacing));
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(Duration.between(Instant.now(), until).toSeconds() + 300, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                error("harness", "virtual users still busy five minutes after the end", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    /**
     * An authenticator code of {@code account}, never one of a period it used before. Keycloak checks these codes
     * against the real time (its TimeBasedOTP reads the system clock, not the offset tests give its Time), so a shifted
     * server clock changes nothing here.
     */
    private String totp(Account account) {
        synchronized (account) {
            long step;
            while ((step = System.currentTimeMillis() / 1000 / 30) <= account.lastTotpStep) {
                sleep(Duration.ofMillis(500));
            }
            account.lastTotpStep = step;
            return io.governedrecovery.it.harness.Totp.code(account.totpSecret,
                    Instant.now());
        }
    }

    /** Holds every virtual user at its next flow (for a clock change), until {@link #resume()}. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    private final LongAdder busy = new LongAdder();

    /** Virtual users in the middle of a flow now. */
    long busy() {
        return busy.sum();
    }

    private void virtualUser(int vu, List<Account> accounts, Instant until, Duration think, Duration pacing) {
        String ip = "10." + (vu / 250 + 1) + "." + (vu % 250 + 1) + ".7";
        KeycloakServer node = nodes.get(vu % nodes.size());
        int round = 0;
        while (Instant.now().isBefore(until)) {
            while (paused && Instant.now().isBefore(until)) {
                sleep(Duration.ofMillis(100));
            }
            Instant start = Instant.now();
            Account account = accounts.get(round % accounts.size());
            boolean reset = (round / accounts.size()) % 2 == 0;
            TestRealm realm = TestRealm.existing(node, realms.get(account.kind));
            busy.increment();
            try {
                if (reset && GOVERNED.equals(account.kind)) {
                    governedReset(realm, account, ip, think);
                } else if (reset) {
                    stockReset(realm, account, ip, think);
                } else {
                    signIn(realm, account, ip, think);
                }
                completed.computeIfAbsent(account.kind + "/" + (reset ? "reset" : "sign-in"), k -> new LongAdder())
                        .increment();
            } catch (FlowError e) {
                error(account.kind + "/" + e.step, e.getMessage(), e.page);
            } catch (RuntimeException | AssertionError e) {
                error(account.kind + "/" + (reset ? "reset" : "sign-in"), e.toString(), null);
            } finally {
                busy.decrement();
            }
            round++;
            if (!pacing.isZero()) {
                Duration left = pacing.minus(Duration.between(start, Instant.now()));
                if (!left.isNegative() && Instant.now().plus(left).isBefore(until)) {
                    sleep(left);
                }
            }
        }
    }

    private void governedReset(TestRealm realm, Account account, String ip, Duration think) {
        FlowClient client = new FlowClient().timeout(PAGE_TIMEOUT).header("X-Forwarded-For", ip);
        FlowClient.Page login = page(GOVERNED, "sign-in page", () -> client.get(realm.signInUrl()), think);
        FlowClient.Page reset = page(GOVERNED, "reset page", () -> client.get(
                login.link("/login-actions/reset-credentials")), think);
        FlowClient.Page methods = page(GOVERNED, "submit name", () -> client.requestReset(reset, account.name), think);
        expect(methods, METHODS_FORM, "submit name");
        FlowClient.Page afterEmail = proveCode(client, methods, "email-code", account.email(), think);
        expect(afterEmail, METHODS_FORM, "verify code");
        FlowClient.Page newPassword = proveApp(client, afterEmail, account, think);
        expect(newPassword, NEW_PASSWORD_FORM, "verify code");
        String password = nextPassword(account);
        FlowClient.Page done = page(GOVERNED, "set password", () -> client.post(
                newPassword.formAction(NEW_PASSWORD_FORM), Map.of("password-new", password,
                        "password-confirm", password)), Duration.ZERO);
        finished(done, "set password");
        account.password = password;
    }

    private FlowClient.Page proveCode(FlowClient client, FlowClient.Page methods, String method, String address,
                                      Duration think) {
        clear(address);
        FlowClient.Page codePage = page(GOVERNED, "choose method", () -> client.post(methods.formAction(METHODS_FORM),
                Map.of("action", "select", "method", method)), Duration.ZERO);
        expect(codePage, CODE_FORM, "choose method");
        String code = code(address);
        sleep(think);
        return page(GOVERNED, "verify code", () -> client.postFollowing(codePage.formAction(CODE_FORM),
                Map.of("action", "verify", "code", code)), think);
    }

    private FlowClient.Page proveApp(FlowClient client, FlowClient.Page methods, Account account, Duration think) {
        FlowClient.Page codePage = page(GOVERNED, "choose method", () -> client.post(methods.formAction(METHODS_FORM),
                Map.of("action", "select", "method", "totp")), think);
        expect(codePage, CODE_FORM, "choose method");
        String code = totp(account);
        return page(GOVERNED, "verify code", () -> client.postFollowing(codePage.formAction(CODE_FORM),
                Map.of("action", "verify", "code", code)), think);
    }

    private void stockReset(TestRealm realm, Account account, String ip, Duration think) {
        FlowClient client = new FlowClient().timeout(PAGE_TIMEOUT).header("X-Forwarded-For", ip);
        FlowClient.Page login = page(STOCK, "sign-in page", () -> client.get(realm.signInUrl()), think);
        FlowClient.Page reset = page(STOCK, "reset page", () -> client.get(
                login.link("/login-actions/reset-credentials")), think);
        clear(account.email());
        FlowClient.Page sent = page(STOCK, "submit name", () -> client.postFollowing(
                reset.formAction("kc-reset-password-form"), Map.of("username", account.name)), think);
        if (sent.status() >= 400) {
            throw new FlowError("submit name", "answered " + sent.status(), sent);
        }
        String link = link(account.email());
        FlowClient.Page newPassword = page(STOCK, "open emailed link", () -> client.get(link), think);
        expect(newPassword, NEW_PASSWORD_FORM, "open emailed link");
        String password = nextPassword(account);
        FlowClient.Page done = page(STOCK, "set password", () -> client.post(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", password, "password-confirm", password)), Duration.ZERO);
        finished(done, "set password");
        account.password = password;
    }

    private void signIn(TestRealm realm, Account account, String ip, Duration think) {
        FlowClient client = new FlowClient().timeout(PAGE_TIMEOUT).header("X-Forwarded-For", ip);
        FlowClient.Page login = page(account.kind, "sign-in page", () -> client.get(realm.signInUrl()), think);
        FlowClient.Page password = page(account.kind, "sign in", () -> client.post(login.formAction("kc-form-login"),
                Map.of("username", account.name, "password", account.password)), Duration.ZERO);
        FlowClient.Page after = password;
        if (account.totpSecret != null) {
            expect(password, "kc-otp-login-form", "sign in");
            sleep(think);
            String code = totp(account);
            after = page(account.kind, "sign in: app code", () -> client.post(password.formAction("kc-otp-login-form"),
                    Map.of("otp", code)), Duration.ZERO);
        }
        String location = client.lastLocation();
        if (after.status() != 302 || location == null || !location.contains("code=")) {
            throw new FlowError("sign in", "no authorization code (status " + after.status() + ")", after);
        }
    }

    private static String nextPassword(Account account) {
        return "Load-" + account.name + "-" + Long.toString(System.nanoTime(), 36) + "-9a";
    }

    private FlowClient.Page page(String kind, String step, Supplier<FlowClient.Page> request, Duration think) {
        FlowClient.Page page;
        try {
            page = request.get();
        } catch (AssertionError e) {
            throw new FlowError(step, e.getMessage().lines().findFirst().orElse("?"), null);
        }
        pages.computeIfAbsent(kind + "/" + step, k -> new Samples()).add(page.took().toNanos());
        if (page.status() >= 500) {
            throw new FlowError(step, "answered " + page.status(), page);
        }
        sleep(think);
        return page;
    }

    private static void expect(FlowClient.Page page, String form, String step) {
        if (!page.has("id=\"" + form + "\"")) {
            throw new FlowError(step, "expected the form " + form + " (status " + page.status() + ")", page);
        }
    }

    private static void finished(FlowClient.Page done, String step) {
        if (done.status() >= 400 || done.has("id=\"" + NEW_PASSWORD_FORM + "\"")) {
            throw new FlowError(step, "the new password was not taken (status " + done.status() + ")", done);
        }
    }

    // --- messages ---------------------------------------------------------------------------------------------------

    private void deliver() {
        java.util.Set<String> seenMails = new java.util.HashSet<>();
        int texts = 0;
        while (running.get()) {
            try {
                for (MailCatcher.Mail m : mail.unseen(seenMails)) {
                    box(m.to()).add(m.text().isEmpty() ? m.html() : m.text());
                }
                List<SmsGatewayStub.Sms> all = sms.all();
                for (SmsGatewayStub.Sms s : all.subList(Math.min(texts, all.size()), all.size())) {
                    box(s.to()).add(s.text());
                }
                texts = all.size();
            } catch (RuntimeException e) {
                error("harness", "reading messages: " + e, null);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private BlockingQueue<String> box(String address) {
        return inbox.computeIfAbsent(address.toLowerCase(java.util.Locale.ROOT), k -> new LinkedBlockingQueue<>());
    }

    private void clear(String address) {
        box(address).clear();
    }

    /** The next one-time code that arrives at {@code address} (notices without a code are skipped). */
    private String code(String address) {
        return next(address, CODE, "a code");
    }

    private String link(String address) {
        return next(address, Pattern.compile("(https?://\\S*/login-actions/action-token\\S*?)(?=[\\s\"'<>]|$)"),
                "the reset link").replace("&amp;", "&");
    }

    private String next(String address, Pattern wanted, String what) {
        Instant deadline = Instant.now().plus(MESSAGE_WAIT);
        try {
            while (Instant.now().isBefore(deadline)) {
                String text = box(address).poll(500, TimeUnit.MILLISECONDS);
                if (text != null) {
                    Matcher m = wanted.matcher(text);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new FlowError("message", what + " did not arrive at " + address + " within "
                + MESSAGE_WAIT.toSeconds() + " s", null);
    }

    // --- results ----------------------------------------------------------------------------------------------------

    private void error(String where, String message, FlowClient.Page page) {
        String kind = where + ": " + message.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")
                .replaceAll("\\+49151[0-9]+|[a-z]u[0-9]+x[0-9]+", "<account>");
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (page != null) {
            errorExamples.putIfAbsent(kind, visibleText(page.body()));
        }
    }

    /** What a person sees of a page: its text without markup, scripts and styles, whitespace collapsed. */
    static String visibleText(String html) {
        String text = html.replaceAll("(?is)<(script|style|head)[^>]*>.*?</\\1>", " ")
                .replaceAll("(?s)<[^>]+>", " ").replaceAll("&[a-z#0-9]+;", " ").replaceAll("\\s+", " ").trim();
        return text.length() > 800 ? text.substring(0, 800) + "..." : text;
    }

    Map<String, long[]> pageTimes() {
        Map<String, long[]> out = new TreeMap<>();
        pages.forEach((k, v) -> out.put(k, v.values()));
        return out;
    }

    Map<String, Long> completed() {
        Map<String, Long> out = new TreeMap<>();
        completed.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<String, String> errorExamples() {
        return Map.copyOf(errorExamples);
    }

    /** Forgets what was measured so far (after a warm-up). */
    void resetFigures() {
        pages.clear();
        completed.clear();
        errors.clear();
        errorExamples.clear();
    }

    @Override
    public void close() {
        running.set(false);
        postman.interrupt();
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A flow that did not go as a user's would: the step, why, and the page seen. */
    static final class FlowError extends RuntimeException {
        final String step;
        final transient FlowClient.Page page;

        FlowError(String step, String message, FlowClient.Page page) {
            super(message, null, false, false);
            this.step = step;
            this.page = page;
        }
    }
}
