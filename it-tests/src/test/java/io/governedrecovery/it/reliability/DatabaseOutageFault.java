package io.governedrecovery.it.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.keycloak.representations.idm.UserRepresentation;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Cluster;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * PostgreSQL stops under two nodes while users are in the middle of governed resets (a name submitted, a code sent, a
 * code being verified at that very moment, a new password being set) and of a verified email change, and while new
 * users keep arriving; it comes back after the outage. Every answer during the outage is recorded and must be a clear
 * page; afterwards every account is either fully changed (password with its finish event, sessions ended and notice;
 * address with its change time, event and notices) or not at all, no code is accepted twice, new resets work end to
 * end on both nodes, and every committed event reaches every sink.
 */
final class DatabaseOutageFault {

    static final String OLD_PASSWORD = "Old-password-1";
    static final String NEW_PASSWORD = "New-password-2";
    private static final String CONTACT_SUBJECT = "A recovery contact of your account changed";
    static final Set<String> EXPORTED_TYPES = Set.of("RESET_PASSWORD", "RESET_PASSWORD_ERROR", "SEND_RESET_PASSWORD",
            "SEND_RESET_PASSWORD_ERROR", "LOGIN_ERROR", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR",
            "UPDATE_PROFILE", "UPDATE_EMAIL", "REMOVE_CREDENTIAL", "UPDATE_CREDENTIAL", "UPDATE_PASSWORD");

    /** One person in the middle of a flow when the database goes away. */
    private final class Walker {
        final String name;
        final String secret;
        final int node;
        final String stage;
        String id;
        final FlowClient client;
        FlowClient.Page before;
        /** The password credential before the outage (its id and date): changed when it differs afterwards. */
        String passwordBefore;
        String code;
        String offlineToken;
        FlowClient.Page during;
        int accepted;

        Walker(String name, int node, String stage) {
            this.name = name;
            this.secret = name + "-secret";
            this.node = node;
            this.stage = stage;
            this.client = browser(clientAddress(name));
        }

        TestRealm realm() {
            return cluster.realm(node, realmName);
        }

        String address() {
            return name + "@example.test";
        }
    }

    private final Cluster cluster;
    private final String realmName;
    private final Duration outage;
    private final MailCatcher mail;
    private final PageCatalog pages = new PageCatalog();
    private final PageCatalog recovering = new PageCatalog();
    /** When PostgreSQL answered again (null during the outage). */
    private volatile Instant dbBack;

    DatabaseOutageFault(Cluster cluster, String realmName, Duration outage) {
        this.cluster = cluster;
        this.realmName = realmName;
        this.outage = outage;
        this.mail = cluster.mail();
    }

    FaultRow run() throws Exception {
        FaultRow row = new FaultRow("PostgreSQL stopped " + outage.toSeconds() + " s during resets");
        Instant start = Instant.now().minusSeconds(2);
        Walker named = new Walker("db-named", 0, "name submitted");
        Walker sent = new Walker("db-sent", 1, "code sent");
        Walker inflight = new Walker("db-inflight", 0, "code being verified as the database stopped");
        Walker setting1 = new Walker("db-setting-a", 1, "new password being set");
        Walker setting2 = new Walker("db-setting-b", 0, "new password being set");
        Walker contact = new Walker("db-contact", 1, "new email address being confirmed");
        List<Walker> resetting = List.of(named, sent, inflight, setting1, setting2);
        List<Walker> all = List.of(named, sent, inflight, setting1, setting2, contact);
        for (Walker w : all) {
            // The realm's default roles (offline_access among them): a session and an offline session are possible.
            w.id = w.realm().user(w.name).totp(w.secret).password(OLD_PASSWORD).realmRole("default-roles-" + realmName)
                    .create();
        }

        // --- before: everyone at their step ---
        named.before = named.client.requestReset(named.client.openResetPage(named.realm()), named.name);
        for (Walker w : List.of(sent, inflight)) {
            w.before = Walks.select(w.client, w.client.requestReset(w.client.openResetPage(w.realm()), w.name),
                    "email-code");
            w.code = Walks.mailedCode(mail, w.address(), Duration.ofSeconds(60));
        }
        for (Walker w : List.of(setting1, setting2)) {
            // Signed in elsewhere (a session and an offline session) that the reset must end.
            row.check(w.realm().signIn(w.name, OLD_PASSWORD, Totp.unused(w.secret)), w.name + " could not sign in");
            w.offlineToken = w.realm().offlineRefreshToken(w.name, OLD_PASSWORD, Totp.unused(w.secret));
            w.passwordBefore = passwordCredential(w.realm(), w.id);
            FlowClient.Page methods = w.client.requestReset(w.client.openResetPage(w.realm()), w.name);
            FlowClient.Page afterEmail = Walks.verify(w.client, Walks.select(w.client, methods, "email-code"),
                    Walks.mailedCode(mail, w.address(), Duration.ofSeconds(60)));
            w.before = Walks.verify(w.client, Walks.select(w.client, afterEmail, "totp"), Totp.unused(w.secret));
            if (!w.before.has(Walks.NEW_PASSWORD_FORM)) {
                throw new AssertionError(w.name + " did not reach the new-password page before the outage: "
                        + PageCatalog.classify("", w.before).label());
            }
        }
        contact.code = startContactChange(contact, "db-contact-new@example.test");

        // --- the outage ---
        ExecutorService users = Executors.newFixedThreadPool(8);
        AtomicBoolean outageOn = new AtomicBoolean(true);
        AtomicInteger probes = new AtomicInteger();
        // The code is on its way to the server as the database stops.
        Future<?> inFlight = users.submit(() -> {
            inflight.during = outageStep(inflight.stage, () -> Walks.verify(inflight.client, inflight.before,
                    inflight.code));
        });
        Instant down = Instant.now();
        cluster.db().stop();
        Instant stopped = Instant.now();
        List<Future<?>> steps = new ArrayList<>();
        steps.add(users.submit(() -> {
            named.during = outageStep("choose email code (" + named.stage + ")",
                    () -> Walks.select(named.client, named.before, "email-code"));
        }));
        steps.add(users.submit(() -> {
            sent.during = outageStep("enter the code (" + sent.stage + ")",
                    () -> Walks.verify(sent.client, sent.before, sent.code));
        }));
        for (Walker w : List.of(setting1, setting2)) {
            steps.add(users.submit(() -> {
                w.during = outageStep("submit the new password", () -> w.client.postFollowing(
                        w.before.formAction(Walks.NEW_PASSWORD_FORM), Map.of("password-new", NEW_PASSWORD,
                                "password-confirm", NEW_PASSWORD)));
            }));
        }
        steps.add(users.submit(() -> {
            contact.during = outageStep("confirm the new email address",
                    () -> contact.client.postFollowing(contact.before.formAction(Walks.CONTACT_FORM), Map.of(
                            "stage", "confirm", "action", "verify", "code", contact.code)));
        }));
        // New people keep coming to the reset pages of both nodes.
        for (int k = 0; k < 2; k++) {
            int node = k;
            steps.add(users.submit(() -> {
                while (outageOn.get()) {
                    Instant round = Instant.now();
                    FlowClient fresh = browser("10.62." + node + "." + (1 + probes.get() % 250));
                    FlowClient.Page reset = openReset(this::outageStep, fresh, cluster.realm(node, realmName));
                    if (reset != null) {
                        outageStep("submit a name", () -> fresh.requestReset(reset, "db-probe-" + node));
                    }
                    probes.incrementAndGet();
                    // A new visitor about every second per node (real time: people, not Keycloak's clock).
                    long rest = 1000 - Duration.between(round, Instant.now()).toMillis();
                    if (rest > 0) {
                        try {
                            Thread.sleep(rest);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }));
        }
        try {
            Await.until("the database outage to last " + outage.toSeconds() + " s", outage.plusSeconds(10),
                    () -> Duration.between(stopped, Instant.now()).compareTo(outage) >= 0);
        } finally {
            outageOn.set(false);
            cluster.db().start();
            dbBack = Instant.now();
        }
        Instant up = dbBack;
        inFlight.get(90, TimeUnit.SECONDS);
        for (Future<?> f : steps) {
            f.get(90, TimeUnit.SECONDS);
        }
        users.shutdown();

        // --- recovery: the reset pages of each node work again ---
        Map<Integer, Duration> recovered = new LinkedHashMap<>();
        for (int node = 0; node < cluster.nodes().size(); node++) {
            TestRealm realm = cluster.realm(node, realmName);
            int n = node;
            Await.until("node " + (node + 1) + " to serve the reset again", Duration.ofMinutes(3), () -> {
                FlowClient fresh = browser("10.63." + n + ".1");
                FlowClient.Page reset = openReset((what, exchange) -> step(recovering, what, exchange), fresh,
                        realm);
                FlowClient.Page methods = reset == null ? null
                        : step(recovering, "submit a name", () -> fresh.requestReset(reset, "db-probe-" + n));
                return methods != null && methods.has(Walks.METHODS_FORM);
            });
            recovered.put(node, Duration.between(up, Instant.now()));
        }

        // --- each person: consistent state, then the flow goes on ---
        List<String> states = new ArrayList<>();
        int partial = 0;
        for (Walker w : List.of(setting1, setting2)) {
            String state = passwordState(w);
            states.add(w.name + " (" + w.stage + ", answered " + label(w.during) + "): " + state);
            if (state.startsWith("PARTIAL")) {
                partial++;
                row.problem(w.name + ": " + state);
            }
        }
        String contactState = contactState(contact, "db-contact-new@example.test");
        states.add(contact.name + " (" + contact.stage + ", answered " + label(contact.during) + "): " + contactState);
        if (contactState.startsWith("PARTIAL")) {
            partial++;
            row.problem(contact.name + ": " + contactState);
        }
        // The people with a code go back and send the same code again, twice: it may count once at most, and what
        // counted is recorded (a verify event), whatever the page said during the outage.
        for (Walker w : List.of(sent, inflight)) {
            boolean shownDuring = w.during != null && Walks.accepted(w.during, "email-code");
            FlowClient.Page again = Walks.verify(w.client, w.before, w.code);
            FlowClient.Page third = Walks.verify(w.client, w.before, w.code);
            long verified = w.realm().admin().getEvents(List.of("RESET_PASSWORD"), null, w.id, null, null, null, 0,
                    100).stream().filter(e -> e.getDetails() != null && "verify".equals(e.getDetails().get("gr_step"))
                    && "verified".equals(e.getDetails().get("gr_outcome"))
                    && "email-code".equals(e.getDetails().get("gr_method"))).count();
            w.accepted = (int) verified;
            row.check(verified <= 1, w.name + ": the same code was accepted " + verified + " times");
            boolean unrecorded = shownDuring && verified == 0;
            row.check(!unrecorded, w.name + ": the code was accepted during the outage without its verify event");
            if (verified > 1 || unrecorded) {
                partial++;
            }
            states.add(w.name + " (" + w.stage + ", answered " + label(w.during) + "): code accepted " + verified
                    + "× (verify events), shown accepted during the outage: " + (shownDuring ? "yes" : "no")
                    + "; the same code sent twice more after it: " + label(again) + ", then " + label(third));
        }
        states.add(named.name + " (" + named.stage + ", answered " + label(named.during) + ")");

        // Everyone finishes: where the flow still stands it goes on, otherwise the person starts over.
        int finished = 0;
        for (Walker w : resetting) {
            boolean done = finish(w, states);
            row.check(done, w.name + " could not finish a reset after the outage");
            finished += done ? 1 : 0;
        }
        if (!contactState.startsWith("changed")) {
            // The person goes back and sends the same code again; if that flow is gone, starts the change over.
            contact.client.postFollowing(contact.before.formAction(Walks.CONTACT_FORM), Map.of("stage", "confirm",
                    "action", "verify", "code", contact.code));
            if (!contactState(contact, "db-contact-new@example.test").startsWith("changed")) {
                Walker over = new Walker(contact.name, contact.node, contact.stage);
                over.id = contact.id;
                String code = startContactChange(over, "db-contact-new@example.test");
                over.client.postFollowing(over.before.formAction(Walks.CONTACT_FORM), Map.of("stage", "confirm",
                        "action", "verify", "code", code));
                states.add(contact.name + " started the change over after the outage");
            } else {
                states.add(contact.name + " confirmed with the same code after the outage");
            }
        }
        String contactAfter = contactState(contact, "db-contact-new@example.test");
        row.check(contactAfter.startsWith("changed"), "the email change could not be completed after the outage: "
                + contactAfter);

        // Each reset's consequences, all of them, after the outage.
        for (Walker w : List.of(setting1, setting2)) {
            String state = passwordState(w);
            row.check(state.startsWith("changed"), w.name + " after finishing: " + state);
        }

        // New resets end to end on both nodes.
        int fresh = 0;
        for (int node = 0; node < cluster.nodes().size(); node++) {
            String name = "db-after-" + (node + 1);
            cluster.realm(node, realmName).user(name).totp(name + "-secret").password(OLD_PASSWORD).create();
            FlowClient.Page last = Walks.fullReset(browser(clientAddress(name)), cluster.realm(node, realmName), mail,
                    name, name + "-secret", NEW_PASSWORD);
            row.check(Walks.done(last), "a new reset on node " + (node + 1) + " did not complete after the outage: "
                    + PageCatalog.classify("", last).label());
            fresh += Walks.done(last) ? 1 : 0;
        }

        // The pages: all clear; none of ours with a stack trace or blank.
        List<PageCatalog.Seen> unclear = new ArrayList<>(pages.unclear());
        unclear.addAll(recovering.unclear());
        for (PageCatalog.Seen s : unclear) {
            row.problem("unclear page: " + s.step() + " -> " + s.label());
        }

        // The events.
        String realmId = cluster.anyUp().admin().realm(realmName).toRepresentation().getId();
        Set<String> userIds = new HashSet<>();
        for (Walker w : all) {
            userIds.add(w.id);
        }
        for (int node = 0; node < cluster.nodes().size(); node++) {
            userIds.add(cluster.realm(node, realmName).userIdOf("db-after-" + (node + 1)));
        }
        Set<String> committed = committedEvents(cluster, realmId, start, userIds, EXPORTED_TYPES);
        row.committed = Integer.toString(committed.size());
        SmtpOutageFault.deliveryFigures(row, cluster.tally(), committed, m -> userIds.contains(m.userId())
                && EXPORTED_TYPES.contains(m.keycloakType()), Duration.ofMinutes(3));

        row.done = "PostgreSQL stopped (pg_ctl -m fast) " + SmtpOutageFault.seconds(Duration.between(stopped, up))
                + " under 2 nodes with 6 people mid-flow (a name submitted; a code sent; a code posted as the "
                + "database stopped; 2 new passwords being set, each with a session and an offline session; a new "
                + "email address being confirmed) and " + probes.get() + " new visitors on both nodes' reset pages; "
                + "after it everyone went on, then a new reset on each node";
        row.partial = partial + " (" + String.join("; ", states) + "); resets finished afterwards: " + finished + " of "
                + resetting.size() + ", new resets: " + fresh + " of " + cluster.nodes().size();
        row.pages = pages.all().size() + " answers during the outage: " + pages.summary() + "; slowest "
                + SmtpOutageFault.seconds(pages.slowest()) + ". Until recovery: " + recovering.summary();
        pages.byStep().forEach(line -> row.detail("during the outage, " + line));
        recovering.byStep().forEach(line -> row.detail("after PostgreSQL was back, until the pages worked, " + line));
        row.recovery = "reset pages served again " + recovered.entrySet().stream().map(e -> "node " + (e.getKey() + 1)
                + " " + SmtpOutageFault.seconds(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("")
                + " after PostgreSQL was back (stop to start took " + SmtpOutageFault.seconds(Duration.between(down,
                stopped)) + ")";
        return row;
    }

    /**
     * A client that asks for HTML as a browser does: Keycloak answers errors of its pages with its themed error page
     * then (a client that does not say what it accepts gets a JSON error instead).
     */
    static FlowClient browser(String address) {
        return new FlowClient().header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header("X-Forwarded-For", address);
    }

    /**
     * A private address of its own for each person (the nodes believe X-Forwarded-For): the anomaly scorer sees
     * different people, not one address touching every account.
     */
    static String clientAddress(String name) {
        return "10.61." + Math.floorMod(name.hashCode(), 250) + "." + (1 + Math.floorMod(name.hashCode() >> 8, 250));
    }

    private static String passwordCredential(TestRealm realm, String userId) {
        return realm.userResource(userId).credentials().stream().filter(c -> "password".equals(c.getType()))
                .map(c -> c.getId() + "@" + c.getCreatedDate()).findFirst().orElse("none");
    }

    /** The sign-in page, then "Forgot Password?": the reset page, or null (what was seen instead is recorded). */
    private static FlowClient.Page openReset(Step step, FlowClient client, TestRealm realm) {
        FlowClient.Page login = step.run("open the sign-in page", () -> client.get(realm.signInUrl()));
        if (login == null || !login.has("/login-actions/reset-credentials")) {
            return null;
        }
        FlowClient.Page reset = step.run("follow \"Forgot Password?\"", () -> client.get(login.link(
                "/login-actions/reset-credentials")));
        return reset != null && reset.has("kc-reset-password-form") ? reset : null;
    }

    /** One exchange of a person, recorded in a catalog. */
    @FunctionalInterface
    private interface Step {
        FlowClient.Page run(String what, Supplier<FlowClient.Page> exchange);
    }

    /**
     * An exchange during the outage: recorded as seen during it, or, when its answer came after PostgreSQL was back,
     * as seen until recovery.
     */
    private FlowClient.Page outageStep(String what, Supplier<FlowClient.Page> exchange) {
        PageCatalog one = new PageCatalog();
        FlowClient.Page page = step(one, what, exchange);
        (dbBack != null ? recovering : pages).add(one.all().get(0));
        return page;
    }

    /** Runs one exchange and records what the user saw; null when there was no answer. */
    private static FlowClient.Page step(PageCatalog catalog, String what, Supplier<FlowClient.Page> exchange) {
        Instant begin = Instant.now();
        try {
            FlowClient.Page page = exchange.get();
            catalog.add(what, page);
            return page;
        } catch (AssertionError | RuntimeException failed) {
            catalog.add(PageCatalog.noAnswer(what, failed, Duration.between(begin, Instant.now())));
            return null;
        }
    }

    private static String label(FlowClient.Page page) {
        return page == null ? "no answer" : PageCatalog.classify("", page).label();
    }

    /**
     * Whether a reset's consequences all hold or none: the password (its credential's date), the finish event, the
     * other sessions, the offline session and the notice.
     */
    private String passwordState(Walker w) {
        TestRealm realm = w.realm();
        boolean changed = !passwordCredential(realm, w.id).equals(w.passwordBefore);
        long finishes = realm.admin().getEvents(List.of("RESET_PASSWORD"), null, w.id, null, null, null, 0, 100)
                .stream().filter(e -> e.getDetails() != null && "finish".equals(e.getDetails().get("gr_step")))
                .count();
        int sessions = realm.userResource(w.id).getUserSessions().size();
        boolean offline = realm.refreshWorks(w.offlineToken);
        long notices;
        if (changed) {
            try {
                mail.await(w.address(), m -> Walks.NOTICE_SUBJECT.equals(m.subject()), Duration.ofSeconds(60));
            } catch (AssertionError none) {
                // counted below
            }
        }
        notices = mail.to(w.address()).stream().filter(m -> Walks.NOTICE_SUBJECT.equals(m.subject())).count();
        String facts = "password " + (changed ? "changed" : "unchanged") + ", finish events " + finishes
                + ", sessions " + sessions + ", offline session " + (offline ? "alive" : "ended") + ", notices "
                + notices;
        boolean allChanged = changed && finishes == 1 && sessions == 0 && !offline && notices == 1;
        boolean noneChanged = !changed && finishes == 0 && sessions == 1 && offline && notices == 0;
        return (allChanged ? "changed, with all its consequences (" : noneChanged ? "unchanged, nothing applied ("
                : "PARTIAL (") + facts + ")";
    }

    /** Whether an email change holds with its change time, event and notices, or not at all. */
    private String contactState(Walker w, String newAddress) {
        UserRepresentation user = w.realm().userResource(w.id).toRepresentation();
        boolean changed = newAddress.equalsIgnoreCase(user.getEmail());
        boolean changedAt = user.getAttributes() != null && user.getAttributes().containsKey(
                "governed-recovery.email-changed-at");
        long events = w.realm().admin().getEvents(List.of("UPDATE_PROFILE"), null, w.id, null, null, null, 0, 100)
                .stream().filter(e -> e.getDetails() != null && "method_change".equals(e.getDetails().get("gr_step")))
                .count();
        if (changed) {
            for (String to : List.of(w.address(), newAddress)) {
                try {
                    mail.await(to, m -> CONTACT_SUBJECT.equals(m.subject()), Duration.ofSeconds(60));
                } catch (AssertionError none) {
                    // counted below
                }
            }
        }
        long notices = mail.to(w.address()).stream().filter(m -> CONTACT_SUBJECT.equals(m.subject())).count()
                + mail.to(newAddress).stream().filter(m -> CONTACT_SUBJECT.equals(m.subject())).count();
        String facts = "address " + (changed ? "new" : "old") + ", change time " + (changedAt ? "recorded" : "absent")
                + ", change events " + events + ", notices " + notices;
        boolean allChanged = changed && changedAt && events == 1 && notices == 2;
        boolean noneChanged = !changed && !changedAt && events == 0 && notices == 0;
        return (allChanged ? "changed, with all its consequences (" : noneChanged ? "unchanged, nothing applied ("
                : "PARTIAL (") + facts + ")";
    }

    /** Signs in asking for the email change, steps up with the app and asks for {@code newAddress}: its code. */
    private String startContactChange(Walker w, String newAddress) {
        FlowClient c = w.client;
        TestRealm realm = w.realm();
        FlowClient.Page login = c.get(realm.signInUrl() + "&kc_action=governed-recovery-update-email");
        FlowClient.Page otp = c.postFollowing(login.formAction("kc-form-login"),
                Map.of("username", w.name, "password", OLD_PASSWORD));
        FlowClient.Page page = c.postFollowing(otp.formAction("kc-otp-login-form"),
                Map.of("otp", Totp.unused(w.secret)));
        page = c.postFollowing(page.formAction(Walks.CONTACT_FORM), Map.of("stage", "step-up", "method", "totp"));
        page = c.postFollowing(page.formAction(Walks.CONTACT_FORM), Map.of("stage", "step-up-code", "action", "verify",
                "code", Totp.unused(w.secret)));
        w.before = c.postFollowing(page.formAction(Walks.CONTACT_FORM), Map.of("stage", "enter", "action", "send",
                "value", newAddress));
        return Codes.in(mail.next(newAddress, Duration.ofSeconds(60)).text());
    }

    /**
     * The person finishes the reset from where the flow stands (the last page of the same tab: Keycloak shows the
     * flow's current step after a form sent again), or starts over when it does not go on; true when a reset is done.
     * Notes which in {@code states}.
     */
    private boolean finish(Walker w, List<String> states) {
        FlowClient c = w.client;
        try {
            if (w.before.has(Walks.NEW_PASSWORD_FORM) && passwordState(w).startsWith("changed")) {
                states.add(w.name + " was done already");
                return true;
            }
            FlowClient.Page page = c.lastPage();
            if (page == null || !page.has(Walks.METHODS_FORM) && !page.has(Walks.CODE_FORM)
                    && !page.has(Walks.NEW_PASSWORD_FORM)) {
                // An error page: the browser's back button, and the same form once more.
                page = w.before.has(Walks.CODE_FORM) ? Walks.verify(c, w.before, w.code)
                        : w.before.has(Walks.NEW_PASSWORD_FORM) ? Walks.setPassword(c, w.before, NEW_PASSWORD)
                        : Walks.select(c, w.before, "email-code");
            }
            for (int step = 0; step < 8 && page != null && !Walks.done(page); step++) {
                if (page.has(Walks.NEW_PASSWORD_FORM)) {
                    page = Walks.setPassword(c, page, NEW_PASSWORD);
                } else if (page.has(Walks.METHODS_FORM) && Walks.accepted(page, "email-code")) {
                    page = Walks.verify(c, Walks.select(c, page, "totp"), Totp.unused(w.secret));
                } else if (page.has(Walks.METHODS_FORM)) {
                    page = Walks.select(c, page, "email-code");
                } else if (page.has(Walks.CODE_FORM)) {
                    page = Walks.verify(c, page, Walks.mailedCode(mail, w.address(), Duration.ofSeconds(60)));
                } else {
                    break;
                }
            }
            if (page != null && Walks.done(page)) {
                states.add(w.name + " went on in the same flow and finished");
                return true;
            }
        } catch (AssertionError | RuntimeException cannotGoOn) {
            // the flow does not go on: start over below
        }
        FlowClient.Page last = Walks.fullReset(browser(clientAddress(w.name)), w.realm(), mail, w.name, w.secret,
                NEW_PASSWORD);
        states.add(w.name + " started over and " + (Walks.done(last) ? "finished" : "did NOT finish"));
        return Walks.done(last);
    }

    /** Ids of the events Keycloak committed in {@code realmId} since {@code since} about {@code userIds}. */
    static Set<String> committedEvents(Cluster cluster, String realmId, Instant since, Set<String> userIds,
                                       Set<String> types) {
        String out = cluster.db().sql("SELECT ID FROM EVENT_ENTITY WHERE REALM_ID = '" + realmId
                + "' AND EVENT_TIME >= " + since.toEpochMilli() + " AND USER_ID IN ('" + String.join("','", userIds)
                + "') AND TYPE IN ('" + String.join("','", types) + "')");
        Set<String> ids = new HashSet<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ids.add(line.trim());
            }
        }
        return ids;
    }
}
