package io.governedrecovery.it.reliability;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.NewUser;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;
import io.governedrecovery.it.harness.WebhookReceiver;

/**
 * The realm the fuzz suite attacks and everything it needs there: the accounts each target walks with (one set per
 * worker, so workers never share a mailbox, an app or a failure budget), temporary access passes, a privileged reset
 * left waiting for approval (the "anchor" whose approval links and id the approval targets fuzz), the tokens of the
 * callers, and every secret that must never appear in an answer. Also the walks that bring a browser to a page.
 */
public final class FuzzFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "Fz-password-1";
    private static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{6,10})(?![0-9])");

    /** Setup changes a fuzz input never makes but the walk to a page does: tolerated for that account only. */
    public enum Allowance {
        /** The lost-device page comes only after a new password: the walk sets one each time. */
        PASSWORD,
        /** A privileged reset is walked with a recovery code each time: the codes' count goes down. */
        RECOVERY_CODES,
        /** A reset that reaches the new password counts a use of the (reusable) pass it proved. */
        PASS_USES
    }

    /** An account of the fixture and what it was made with. */
    public record FuzzUser(String name, String id, String owner, String email, String phone, String totpSecret,
                           List<String> recoveryCodes, Set<Allowance> allowances) {
    }

    final TestEnvironment env;
    final TestRealm realm;
    final KeycloakServer server;
    final MailCatcher mail;
    final SmsGatewayStub sms;
    final int workers;
    final Map<String, FuzzUser> users = new LinkedHashMap<>();
    /** Temporary access passes by account name (reusable ones, for walks). */
    final Map<String, String> passes = new ConcurrentHashMap<>();
    /** Pass ids by account name: the standard account's active pass, the privileged account's pending one. */
    final Map<String, String> passIds = new ConcurrentHashMap<>();
    /** Next unused recovery code per account (codes are used in order). */
    private final Map<String, Integer> nextRecoveryCode = new ConcurrentHashMap<>();
    /** Every approval link key mailed so far (keys decide: a legitimate decision never counts as fuzz). */
    final Set<String> approvalKeys = ConcurrentHashMap.newKeySet();
    String anchorApprovalId;
    /** A request denied during the setup, and the keys its approvers were mailed. */
    String deniedApprovalId;
    final Set<String> decidedKeys = ConcurrentHashMap.newKeySet();
    String anchorKey1;
    String anchorKey2;
    /** The key of fz-notme's "This was not me" link (from the notice of a pass issued to it): a POST would report. */
    String notMeKey;
    private FlowClient anchorBrowser;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Integer> approverMails = new LinkedHashMap<>();

    private FuzzFixture(TestEnvironment env, TestRealm realm, int workers) {
        this.env = env;
        this.realm = realm;
        this.server = env.server();
        this.mail = env.mail();
        this.sms = env.sms();
        this.workers = workers;
    }

    /**
     * Imports realm {@code name} (the demo realm without its users, rate limits out of the way, and the settings
     * below) and creates everything for {@code workers} workers. Close it to delete the realm.
     */
    public static FuzzFixture create(TestEnvironment env, String name, int workers) {
        long t0 = System.nanoTime();
        Realms.deleteIfPresent(env.server(), name);
        Realms.importRealm(env.server(), env.mail(), Realms.DEMO, name, FuzzFixture::configure);
        FuzzFixture f = new FuzzFixture(env, TestRealm.existing(env.server(), name), workers);
        long t1 = System.nanoTime();
        f.createUsers();
        long t2 = System.nanoTime();
        f.issuePasses();
        long t3 = System.nanoTime();
        f.startAnchor();
        f.startNotMe();
        long t4 = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "fuzz fixture: realm %.1f s, %d accounts %.1f s, passes %.1f s, "
                + "anchor approval %.1f s%n", (t1 - t0) / 1e9, f.users.size(), (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                (t4 - t3) / 1e9);
        return f;
    }

    /** The realm file's changes: what differs from the demo realm, and why. */
    private static void configure(ObjectNode json) {
        json.remove("users");
        // Every request comes from 127.0.0.1 and walks the same names again and again.
        Realms.withoutRateLimits(json);
        // Wrong codes are the suite's daily bread: a method pauses after 20 failures a minute per name and address
        // (instead of 5 an hour), so pages stay reachable while the paused path is still walked now and then.
        for (String alias : List.of("governed-recovery-policy", "governed-recovery-privileged-policy")) {
            Realms.config(json, alias).put("failure-budget", "20").put("failure-budget-total", "1000")
                    .put("failure-window-minutes", "1");
        }
        // Thousands of resets from one address make the risk scorer call every reset high risk: the risk policy
        // would then send every walk to the helpdesk (it is tested in RiskPolicyIT; the scorer still runs here).
        Realms.config(json, "governed-recovery-controls").put("risk-policy", "false");
        // The anchor approval waits for the whole run (a request expires after this many minutes at most).
        Realms.config(json, "governed-recovery-approval").put("approval-minutes", "1440");
    }

    /** Deletes the realm. */
    @Override
    public void close() {
        realm.close();
    }

    private void createUsers() {
        List<NewUser> list = new ArrayList<>();
        Set<Allowance> none = EnumSet.noneOf(Allowance.class);
        // Shared accounts (names the request page and the admin endpoints use).
        add(list, "fz-std", "shared", phone(), "fz-std-secret", codes("FZSTD", 12), u -> { }, none);
        add(list, "fz-priv", "shared", null, "fz-priv-secret", List.of(), u -> u.group("/realm-admins"), none);
        add(list, "fz-off", "shared", null, "fz-off-secret", List.of(), NewUser::disabled, none);
        add(list, "fz-bg", "shared", null, null, List.of(), u -> u.group("/break-glass"), none);
        add(list, "fz-dept", "shared", null, null, List.of(),
                u -> u.attribute("department", "=HYPERLINK(\"http://evil.example\",\"x\")"), none);
        add(list, "fz-pass-std", "admin API", null, null, List.of(), u -> { }, none);
        add(list, "fz-pass-priv", "admin API", null, null, List.of(), u -> u.group("/realm-admins"), none);
        add(list, "fz-pass-off", "admin API", null, null, List.of(), NewUser::disabled, none);
        add(list, "fz-desk-1", "shared", null, null, List.of(), u -> u.group("/recovery-helpdesk"), none);
        add(list, "fz-desk-2", "shared", null, null, List.of(), u -> u.group("/recovery-helpdesk"), none);
        add(list, "fz-appr-1", "approval", null, null, List.of(), u -> u.group("/recovery-approvers"), none);
        add(list, "fz-appr-2", "approval", null, null, List.of(), u -> u.group("/recovery-approvers"), none);
        add(list, "fz-plain", "approval", null, null, List.of(), u -> { }, none);
        add(list, "fz-notme", "owner report", null, null, List.of(), u -> { }, none);
        add(list, "fz-anchor", "approval", null, null, codes("FZANC", 12), u -> u.group("/realm-admins"),
                EnumSet.of(Allowance.RECOVERY_CODES));
        add(list, "fz-denied", "approval", null, null, codes("FZDEN", 12), u -> u.group("/realm-admins"),
                EnumSet.of(Allowance.RECOVERY_CODES));
        for (int w = 0; w < workers; w++) {
            add(list, "fz-rs-" + w, "reset", phone(), "fz-rs-" + w + "-secret", codes("FZRS" + w, 12), u -> { },
                    none);
            add(list, "fz-np-" + w, "reset: new password", phone(), "fz-np-" + w + "-secret", List.of(), u -> { },
                    none);
            add(list, "fz-lost-" + w, "reset: lost device", null, "fz-lost-" + w + "-secret", List.of(), u -> { },
                    EnumSet.of(Allowance.PASSWORD, Allowance.PASS_USES));
            add(list, "fz-wait-" + w, "approval", null, null, codes("FZW" + w, 120), u -> u.group("/realm-admins"),
                    EnumSet.of(Allowance.RECOVERY_CODES));
            add(list, "fz-camp-" + w, "campaign", null, null, List.of(),
                    u -> u.group("/recovery-pilot").requiredAction("governed-recovery-register"), none);
            for (String stage : List.of("step-up", "step-up-code", "enter", "confirm")) {
                add(list, "fz-cp-" + stage + "-" + w, "contact change (phone)", phone(), null, List.of(), u -> { },
                        none);
                add(list, "fz-ce-" + stage + "-" + w, "contact change (email)", phone(), null, List.of(), u -> { },
                        none);
            }
        }
        Map<String, String> ids = NewUser.createAll(realm, list);
        Map<String, FuzzUser> made = new LinkedHashMap<>();
        for (FuzzUser u : users.values()) {
            made.put(u.name(), new FuzzUser(u.name(), ids.get(u.name()), u.owner(), u.email(), u.phone(),
                    u.totpSecret(), u.recoveryCodes(), u.allowances()));
        }
        users.clear();
        users.putAll(made);
    }

    private int phones;

    /** A unique confirmed phone number per account. */
    private String phone() {
        phones++;
        return String.format("+49152%07d", phones);
    }

    private static List<String> codes(String prefix, int count) {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            codes.add(String.format("%s%07d", prefix, i + 1).toUpperCase(java.util.Locale.ROOT));
        }
        return List.copyOf(codes);
    }

    private void add(List<NewUser> list, String name, String owner, String phone, String totp, List<String> codes,
                     java.util.function.Consumer<NewUser> extra, Set<Allowance> allowances) {
        NewUser user = realm.user(name).password(PASSWORD);
        if (phone != null) {
            user.phone(phone);
        }
        if (totp != null) {
            user.totp(totp);
        }
        if (!codes.isEmpty()) {
            user.recoveryCodes(codes.toArray(String[]::new));
        }
        extra.accept(user);
        list.add(user);
        users.put(name, new FuzzUser(name, null, owner, user.emailAddress(), phone, totp, codes, allowances));
    }

    private void issuePasses() {
        String desk1 = token("fz-desk-1");
        String desk2 = token("fz-desk-2");
        String body = "{\"evidence\":\"in-person\",\"ticket\":\"FUZZ-SETUP\",\"lifetimeMinutes\":480,\"oneTime\":false}";
        for (int w = 0; w < workers; w++) {
            for (String name : List.of("fz-np-" + w, "fz-lost-" + w)) {
                passes.put(name, field(issue(name, desk1, body, 201), "pass"));
            }
            String pending = field(issue("fz-wait-" + w, desk1, body, 202), "id");
            passes.put("fz-wait-" + w, field(approvePass("fz-wait-" + w, pending, desk2), "pass"));
        }
        for (String name : List.of("fz-anchor", "fz-denied")) {
            String pending = field(issue(name, desk1, body, 202), "id");
            passes.put(name, field(approvePass(name, pending, desk2), "pass"));
        }
        // The admin targets' passes: an active one of a standard account, a pending one of a privileged account
        // (issued by the caller the fuzz suite uses, so it cannot approve it: a second person must).
        String active = issue("fz-pass-std", server.adminToken(),
                "{\"evidence\":\"callback\",\"ticket\":\"FUZZ-STD\",\"lifetimeMinutes\":480}", 201);
        passIds.put("fz-pass-std", field(active, "id"));
        passes.put("fz-pass-std", field(active, "pass"));
        passIds.put("fz-pass-priv", field(issue("fz-pass-priv", server.adminToken(),
                "{\"evidence\":\"manager\",\"ticket\":\"FUZZ-PRIV\",\"lifetimeMinutes\":480}", 202), "id"));
    }

    private String issue(String user, String token, String body, int expected) {
        HttpResponse<String> answer = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + id(user)
                + "/temporary-access-passes", token, body);
        if (answer.statusCode() != expected) {
            throw new AssertionError("pass for " + user + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    private String approvePass(String user, String passId, String token) {
        HttpResponse<String> answer = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + id(user)
                + "/temporary-access-passes/" + passId + "/approval", token, null);
        if (answer.statusCode() != 200) {
            throw new AssertionError("approval of the pass of " + user + ": " + answer.statusCode() + " "
                    + answer.body());
        }
        return answer.body();
    }

    static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** A notice to fz-notme (a pass the helpdesk issued): its "This was not me" link is what the owner targets fuzz. */
    private void startNotMe() {
        issue("fz-notme", server.adminToken(), "{\"evidence\":\"callback\",\"ticket\":\"FUZZ-NOTME\","
                + "\"lifetimeMinutes\":480}", 201);
        notMeKey = keyOf(mail.await("fz-notme@example.test", m -> m.subject().contains("temporary access pass"))
                .linkContaining("/governed-recovery/not-me?key="));
    }

    /** A privileged reset walked to the waiting page and left there: the approval the link and API targets fuzz. */
    private void startAnchor() {
        anchorBrowser = FlowClient.http1();
        anchorApprovalId = waitingApproval(anchorBrowser, "fz-anchor");
        anchorKey1 = keyOf(approvalLink("fz-appr-1@example.test", "fz-anchor"));
        anchorKey2 = keyOf(approvalLink("fz-appr-2@example.test", "fz-anchor"));
        // A request already decided (denied): its keys and id, sent with a real decision, must get "decided".
        deniedApprovalId = waitingApproval(FlowClient.http1(), "fz-denied");
        String link = approvalLink("fz-appr-2@example.test", "fz-denied");
        decidedKeys.add(keyOf(link));
        decidedKeys.add(keyOf(approvalLink("fz-appr-1@example.test", "fz-denied")));
        FlowClient approver = FlowClient.http1();
        FlowClient.Page page = approver.get(link);
        FlowClient.Page denied = approver.post(page.formAction(Walks.DECISION_FORM), Map.of("key", keyOf(link),
                "decision", "deny"));
        if (denied.status() != 200) {
            throw new AssertionError("the approver could not deny fz-denied's request: " + denied.status());
        }
    }

    /** Walks a privileged reset of {@code name} to the waiting page; the id of its approval request. */
    private String waitingApproval(FlowClient browser, String name) {
        FlowClient.Page waiting = walkToWaiting(browser, name);
        if (!waiting.has(Walks.WAITING_FORM)) {
            throw new AssertionError("the reset of " + name + " does not wait for approval:\n" + waiting.body());
        }
        HttpResponse<String> pending = RestCall.send("GET", approvalsUrl(), consoleToken("fz-appr-1"), null);
        try {
            for (JsonNode a : JSON.readTree(pending.body()).path("approvals")) {
                if (id(name).equals(a.path("userId").asText())) {
                    return a.path("id").asText();
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + pending.body(), e);
        }
        throw new AssertionError("no pending approval of " + name + ": " + pending.body());
    }

    String approvalLink(String approver, String requester) {
        return mail.await(approver, m -> m.subject().contains(requester))
                .linkContaining("/governed-recovery/approval");
    }

    static String keyOf(String link) {
        String query = URI.create(link).getRawQuery();
        return URLDecoder.decode(query.substring(query.indexOf("key=") + 4), StandardCharsets.UTF_8);
    }

    /** Refreshes the set of mailed approval keys from the approvers' mails that arrived since the last look. */
    synchronized Set<String> approvalKeys() {
        for (String approver : List.of("fz-appr-1@example.test", "fz-appr-2@example.test")) {
            int seen = approverMails.getOrDefault(approver, 0);
            List<MailCatcher.Mail> fresh = mail.to(approver, seen);
            for (MailCatcher.Mail m : fresh) {
                for (String link : m.links()) {
                    if (link.contains("/governed-recovery/approval?key=")) {
                        approvalKeys.add(keyOf(link));
                    }
                }
            }
            approverMails.put(approver, seen + fresh.size());
        }
        return approvalKeys;
    }

    // ---- accounts ----

    FuzzUser user(String name) {
        FuzzUser u = users.get(name);
        if (u == null) {
            throw new IllegalArgumentException("no fixture account " + name);
        }
        return u;
    }

    String id(String name) {
        return user(name).id();
    }

    Collection<FuzzUser> users() {
        return users.values();
    }

    // ---- tokens ----

    private record CachedToken(String token, Instant at) {
    }

    /** An admin-cli access token of a fixture account (direct grant), renewed every two minutes. */
    String token(String name) {
        return cached("cli:" + name, () -> realm.accessToken(name, PASSWORD, null));
    }

    /** A token of the recovery console client for a fixture account (what approvers use), renewed likewise. */
    String consoleToken(String name) {
        return cached("console:" + name, () -> realm.consoleToken(name, PASSWORD, null));
    }

    private String cached(String key, java.util.function.Supplier<String> fresh) {
        CachedToken t = tokens.get(key);
        if (t == null || t.at().isBefore(Instant.now().minusSeconds(120))) {
            t = new CachedToken(fresh.get(), Instant.now());
            tokens.put(key, t);
        }
        return t.token();
    }

    String adminToken() {
        return server.adminToken();
    }

    String adminApi() {
        return Helpdesk.adminApi(realm);
    }

    String realmUrl() {
        return server.baseUrl() + "/realms/" + realm.name();
    }

    String approvalsUrl() {
        return realmUrl() + "/governed-recovery/approvals";
    }

    // ---- walks ----

    /** The method selection page of a new reset of {@code name}. */
    FlowClient.Page methodsPage(FlowClient client, String name) {
        return client.requestReset(client.openResetPage(realm), name);
    }

    FlowClient.Page select(FlowClient client, FlowClient.Page methods, String method) {
        return client.post(methods.formAction(Walks.METHODS_FORM), Map.of("action", "select", "method", method));
    }

    /** Proves {@code method} on a methods page with the code {@code code} gives; returns the page after. */
    FlowClient.Page prove(FlowClient client, FlowClient.Page methods, String method,
                          java.util.function.Supplier<String> code) {
        FlowClient.Page codePage = select(client, methods, method);
        if (!codePage.has(Walks.CODE_FORM)) {
            return codePage;
        }
        return client.postFollowing(codePage.formAction(Walks.CODE_FORM), Map.of("action", "verify", "code", code.get()));
    }

    /**
     * How long a walk waits for a code message: one arrives within a second or two (the delivery queue sends right
     * after the commit), so a code missing after this long is not coming (a limit reached by earlier inputs) and the
     * walk is retried or the input skipped, without the minute-long waits that cost the CI part most of its time.
     */
    static final Duration CODE_WAIT = Duration.ofSeconds(Long.getLong("suite.fuzz.code-wait-seconds", 10));

    /** Proves the mailbox: picks the email code and reads the code that arrives after this call started. */
    FlowClient.Page proveEmail(FlowClient client, FlowClient.Page methods, String address) {
        int before = mail.countTo(address);
        FlowClient.Page codePage = select(client, methods, "email-code");
        if (!codePage.has(Walks.CODE_FORM)) {
            return codePage;
        }
        String code = mailedCode(address, before, "Your verification code");
        return client.postFollowing(codePage.formAction(Walks.CODE_FORM), Map.of("action", "verify", "code", code));
    }

    /** The code of the newest mail to {@code address} with {@code subject} after its first {@code before} mails. */
    String mailedCode(String address, int before, String subject) {
        return Await.until("a code mailed to " + address, CODE_WAIT, () -> {
            String found = null;
            for (MailCatcher.Mail m : mail.to(address, before)) {
                if (m.subject().equals(subject)) {
                    Matcher c = CODE.matcher(m.text());
                    if (c.find()) {
                        found = c.group(1);
                    }
                }
            }
            return found;
        });
    }

    /** The code of the newest text message to {@code number} after the first {@code before} ones to it. */
    String textedCode(String number, int before) {
        return Await.until("a code texted to " + number, CODE_WAIT, () -> {
            List<SmsGatewayStub.Sms> all = sms.to(number);
            String found = null;
            for (SmsGatewayStub.Sms s : all.subList(Math.min(before, all.size()), all.size())) {
                if (s.text().contains("your code")) {
                    Matcher c = CODE.matcher(s.text().substring(s.text().indexOf("your code")));
                    if (c.find()) {
                        found = c.group(1);
                    }
                }
            }
            return found;
        });
    }

    /**
     * The next unused recovery code of an account. Codes are used in order; the credential's count (read back) says
     * which is next, so a walk that failed after its code was taken does not put the next walk out of step.
     */
    String nextRecoveryCode(String name) {
        FuzzUser u = user(name);
        int total = u.recoveryCodes().size();
        int remaining = realm.userResource(u.id()).credentials().stream()
                .filter(c -> "recovery-authn-codes".equals(c.getType())).findFirst()
                .map(c -> remaining(c.getCredentialData())).orElse(0);
        int next = total - remaining;
        if (next >= total) {
            throw new IllegalStateException(name + " has no recovery code left");
        }
        nextRecoveryCode.put(name, next + 1);
        return u.recoveryCodes().get(next);
    }

    /** Keycloak writes "remaining" when the codes are made and "remainingCodes" once one was used. */
    private static int remaining(String credentialData) {
        try {
            JsonNode data = JSON.readTree(credentialData);
            return data.has("remainingCodes") ? data.path("remainingCodes").asInt() : data.path("remaining").asInt();
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + credentialData, e);
        }
    }

    /** A privileged reset of {@code name} with its pass and a recovery code: ends on the waiting page. */
    FlowClient.Page walkToWaiting(FlowClient client, String name) {
        FlowClient.Page methods = methodsPage(client, name);
        FlowClient.Page afterPass = prove(client, methods, "tap", () -> passes.get(name));
        if (!afterPass.has(Walks.METHODS_FORM)) {
            return afterPass;
        }
        return prove(client, afterPass, "recovery-codes", () -> nextRecoveryCode(name));
    }

    /** A standard reset of {@code name} with its mailbox and pass: ends on the new-password page. */
    FlowClient.Page walkToNewPassword(FlowClient client, String name) {
        FlowClient.Page methods = methodsPage(client, name);
        FlowClient.Page afterMail = proveEmail(client, methods, user(name).email());
        if (!afterMail.has(Walks.METHODS_FORM)) {
            return afterMail;
        }
        return prove(client, afterMail, "tap", () -> passes.get(name));
    }

    /** Signs in through the realm's sign-in page ({@code extra} added to its URL, such as kc_action=...). */
    FlowClient.Page signIn(FlowClient client, String extra, String name) {
        FlowClient.Page login = client.get(realm.signInUrl() + extra);
        return client.postFollowing(login.formAction("kc-form-login"), Map.of("username", name, "password", PASSWORD));
    }

    // ---- secrets ----

    /** Every secret the fixture made, by what it is: none may appear in an answer that was not sent it. */
    Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(PASSWORD, "a password");
        for (FuzzUser u : users.values()) {
            if (u.totpSecret() != null) {
                secrets.put(u.totpSecret(), "the authenticator-app seed of " + u.name());
                secrets.put(Totp.base32(u.totpSecret()), "the authenticator-app seed (base32) of " + u.name());
            }
            for (String c : u.recoveryCodes()) {
                secrets.put(c, "a recovery code of " + u.name());
            }
        }
        passes.forEach((name, pass) -> secrets.put(pass, "the temporary access pass of " + name));
        secrets.put("sms-gateway-test-token", "the SMS gateway's token");
        secrets.put(WebhookReceiver.SECRET, "the webhook signing secret");
        for (String key : approvalKeys()) {
            secrets.put(key, "an approval link key");
        }
        return secrets;
    }

    /** Every code sent by mail or text message during the run (checked against answers at the end). */
    Set<String> sentCodes() {
        Set<String> codes = new LinkedHashSet<>();
        for (MailCatcher.Mail m : mail.all()) {
            if (m.subject().equals("Your verification code") || m.subject().equals("Confirm your recovery contact")) {
                Matcher c = CODE.matcher(m.text());
                while (c.find()) {
                    codes.add(c.group(1));
                }
            }
        }
        for (SmsGatewayStub.Sms s : sms.all()) {
            int at = s.text().indexOf("your code");
            if (at >= 0) {
                Matcher c = CODE.matcher(s.text().substring(at));
                if (c.find()) {
                    codes.add(c.group(1));
                }
            }
        }
        return codes;
    }
}
