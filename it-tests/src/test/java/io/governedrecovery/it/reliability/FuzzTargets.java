package io.governedrecovery.it.reliability;

import static io.governedrecovery.it.reliability.Walks.CAMPAIGN_FORM;
import static io.governedrecovery.it.reliability.Walks.CODE_FORM;
import static io.governedrecovery.it.reliability.Walks.CONTACT_FORM;
import static io.governedrecovery.it.reliability.Walks.LOST_FORM;
import static io.governedrecovery.it.reliability.Walks.METHODS_FORM;
import static io.governedrecovery.it.reliability.Walks.NEW_PASSWORD_FORM;
import static io.governedrecovery.it.reliability.Walks.WAITING_FORM;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.reliability.Fuzzer.Answer;
import io.governedrecovery.it.reliability.Fuzzer.Field;
import io.governedrecovery.it.reliability.Fuzzer.Input;
import io.governedrecovery.it.reliability.Fuzzer.Request;
import io.governedrecovery.it.reliability.Fuzzer.Shot;
import io.governedrecovery.it.reliability.Fuzzer.Skip;
import io.governedrecovery.it.reliability.Fuzzer.Slot;
import io.governedrecovery.it.reliability.FuzzInputs.InputClass;
import io.governedrecovery.it.reliability.FuzzInputs.Value;

/**
 * Every page and endpoint the fuzz suite attacks, with its fields, how a browser gets to it, and which requests would
 * be legitimate (those are never sent: a legitimate approval or new password is no finding). Pages are reached by
 * walking the real flow in a worker's own browser (a "lane"); form fields and Keycloak's flow parameters of the page's
 * form address are fuzzed. Endpoints are called with the fuzzed path, query, headers or JSON body.
 */
final class FuzzTargets {

    static final String FORM_TYPE = "application/x-www-form-urlencoded";
    static final List<String> FLOW_PARAMS = List.of("session_code", "execution", "client_id", "tab_id", "client_data",
            "auth_session_id", "kc_locale");
    static final List<InputClass> FORM_CLASSES = withValues(InputClass.MISSING, InputClass.DUPLICATED);
    static final List<InputClass> FLOW_CLASSES = withValues(InputClass.MISSING, InputClass.DUPLICATED,
            InputClass.REPLAYED, InputClass.CROSS_TAB, InputClass.OTHER_USER);
    static final List<InputClass> PATH_CLASSES = withValues(InputClass.OTHER_USER);
    static final List<InputClass> JSON_CLASSES = withValues(InputClass.MISSING, InputClass.DUPLICATED);
    static final List<InputClass> BODY_CLASSES = List.of(InputClass.WRONG_TYPE, InputClass.HUGE, InputClass.EMPTY,
            InputClass.UNICODE, InputClass.DUPLICATED);
    /** Header values: no Unicode, control characters or CRLF (an HTTP client refuses to send them at all). */
    static final List<InputClass> HEADER_CLASSES = List.of(InputClass.MISSING, InputClass.EMPTY, InputClass.WRONG_TYPE,
            InputClass.HUGE, InputClass.INJECTION, InputClass.OTHER_USER);

    private static List<InputClass> withValues(InputClass... more) {
        List<InputClass> all = new ArrayList<>(FuzzInputs.VALUE_CLASSES);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    private FuzzTargets() {
    }

    // ---- targets ----

    abstract static class Target {
        final String name;
        final String group;
        final double weight;
        final List<Field> fields;

        Target(String name, String group, double weight, List<Field> fields) {
            this.name = name;
            this.group = group;
            this.weight = weight;
            this.fields = fields;
        }

        /** Flow parameters together get a third of a page's inputs, its form fields the rest. */
        Field pickField(SplittableRandom r) {
            List<Field> flow = fields.stream().filter(f -> f.slot() == Slot.FLOW).toList();
            List<Field> other = fields.stream().filter(f -> f.slot() != Slot.FLOW).toList();
            if (!flow.isEmpty() && (other.isEmpty() || r.nextInt(3) == 0)) {
                return flow.get(r.nextInt(flow.size()));
            }
            return other.get(r.nextInt(other.size()));
        }

        abstract Shot prepare(Fuzzer.Worker worker, Input in);
    }

    static Field form(String name, String base) {
        return new Field(name, Slot.FORM, base, "text", FORM_CLASSES);
    }

    static List<Field> flowFields(boolean withKey) {
        List<Field> fields = new ArrayList<>();
        for (String p : FLOW_PARAMS) {
            fields.add(new Field(p, Slot.FLOW, p.equals("kc_locale") ? "de" : null, "token",
                    p.equals("auth_session_id")
                    // The browser's session: an earlier flow's of this browser, or another person's.
                    ? withValues(InputClass.MISSING, InputClass.DUPLICATED, InputClass.REPLAYED, InputClass.OTHER_USER)
                    // The page's language (Keycloak's own parameter; our pages' texts and numbers follow it).
                    : p.equals("kc_locale") ? FORM_CLASSES : FLOW_CLASSES));
        }
        if (withKey) {
            // An action token's key (Keycloak's reset link): a real token of this realm of another kind stands for
            // "another user's".
            fields.add(new Field("key", Slot.FLOW, null, "token", withValues(InputClass.MISSING,
                    InputClass.DUPLICATED, InputClass.OTHER_USER)));
        }
        return fields;
    }

    static List<Field> concat(List<Field> a, List<Field> b) {
        List<Field> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Every target, with its share of the inputs. */
    static List<Target> all(FuzzFixture f) {
        List<Target> t = new ArrayList<>();
        t.add(new ResetRequest(f));
        t.add(new ResetMethods(f));
        t.add(new ResetHelpdesk(f));
        t.add(new ResetCode(f));
        t.add(new ResetWebAuthn(f));
        t.add(new NewPassword(f));
        t.add(new LostDevice(f));
        t.add(new ActionTokenKey(f));
        for (String kind : List.of("phone", "email")) {
            for (String stage : List.of("step-up", "step-up-code", "enter", "confirm")) {
                t.add(new ContactChange(f, kind, stage));
            }
        }
        t.add(new Campaign(f));
        t.add(new Waiting(f));
        t.add(new NotMePage(f));
        t.add(new NotMeReport(f));
        t.add(new WaitingCancel(f, "GET"));
        t.add(new WaitingCancel(f, "POST"));
        t.add(new ApprovalLinkPage(f));
        t.add(new ApprovalLinkDecision(f));
        t.add(new ApproverList(f));
        t.add(new ApproverDecision(f));
        t.add(new PassIssue(f));
        t.add(new PassList(f));
        t.add(new PassApprove(f));
        t.add(new PassRevoke(f));
        t.add(new BreakGlassList(f));
        t.add(new BreakGlassTest(f));
        t.add(new Report(f, "admin API: GET compliance", "compliance", 3, List.of(
                new Field("format", Slot.QUERY, "json", "enum", FORM_CLASSES),
                new Field("department", Slot.QUERY, "department", "text", FORM_CLASSES),
                new Field("group", Slot.QUERY, "/recovery-pilot", "text", FORM_CLASSES))));
        List<Field> eventFilters = List.of(new Field("user", Slot.QUERY, "fz-std", "text", FORM_CLASSES),
                new Field("ip", Slot.QUERY, "127.0.0.1", "text", FORM_CLASSES),
                new Field("from", Slot.QUERY, "2020-01-01T00:00:00Z", "time", FORM_CLASSES),
                new Field("to", Slot.QUERY, "2099-01-01T00:00:00Z", "time", FORM_CLASSES),
                new Field("limit", Slot.QUERY, "10", "number", FORM_CLASSES),
                new Field("format", Slot.QUERY, "json", "enum", FORM_CLASSES));
        t.add(new Report(f, "admin API: GET events", "events", 3.5, eventFilters));
        t.add(new Report(f, "admin API: GET findings", "findings", 3, concat(eventFilters,
                List.of(new Field("rule", Slot.QUERY, "failed-resets", "enum", FORM_CLASSES)))));
        t.add(new Report(f, "admin API: GET policy", "policy", 1, List.of()));
        t.add(new Report(f, "admin API: GET waiting-recoveries", "waiting-recoveries", 1, List.of()));
        return t;
    }

    // ---- lanes: a worker's browser on one page ----

    /** A worker's browser walking to one target's page, with what the flow saw so far. */
    static final class Lane {
        final String key;
        FlowClient client = FlowClient.http1();
        FlowClient.Page page;
        String user;
        int setups;
        final List<String> history = new ArrayList<>();
        /** Form addresses of this lane's earlier flows (the newest few): replayed session codes of a finished flow. */
        final List<String> earlier = new ArrayList<>();
        /** The session cookies of this lane's earlier browsers. */
        final List<String> earlierSessions = new ArrayList<>();
        String otherTab;
        final Map<String, String> data = new LinkedHashMap<>();

        Lane(String key) {
            this.key = key;
        }

        void fresh() {
            earlier.addAll(history);
            while (earlier.size() > 8) {
                earlier.remove(0);
            }
            if (client.cookie("AUTH_SESSION_ID") != null) {
                earlierSessions.add(client.cookie("AUTH_SESSION_ID"));
                if (earlierSessions.size() > 4) {
                    earlierSessions.remove(0);
                }
            }
            client = FlowClient.http1();
            page = null;
            history.clear();
            otherTab = null;
            setups++;
        }
    }

    /** A page of a flow: fuzzed form fields and flow parameters, posted to the page's form address. */
    abstract static class PageTarget extends Target {
        final FuzzFixture f;
        final String formId;

        PageTarget(FuzzFixture f, String name, String group, double weight, String formId, List<Field> fields) {
            super(name, group, weight, fields);
            this.f = f;
            this.formId = formId;
        }

        /** Walks a fresh browser of the lane to the page; the page it ended on. */
        abstract FlowClient.Page setup(Fuzzer.Worker worker, Lane lane);

        /** A cheap way back to the page from {@code answer} (a "back" button, a re-sent choice), or null. */
        FlowClient.Page recover(Lane lane, FlowClient.Page answer) {
            return null;
        }

        boolean onTarget(FlowClient.Page page) {
            return page != null && page.status() == 200 && page.has("id=\"" + formId + "\"");
        }

        /**
         * Other values a field takes in the unfuzzed part of a request: every choice the page offers (and some it
         * does not: methods the account lacks, registrations the campaign does not list), so the fuzzed field meets
         * each of them.
         */
        final Map<String, List<String>> variants = new LinkedHashMap<>();

        PageTarget variant(String field, String... values) {
            variants.put(field, java.util.Arrays.asList(values));
            return this;
        }

        /** The form a browser would post: every field's legitimate value (or one of its variants), in order. */
        List<Param> base(Lane lane, Input in) {
            List<Param> form = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(in.index * 31 + 7);
            for (Field field : fields) {
                if (field.slot() != Slot.FORM) {
                    continue;
                }
                List<String> choices = variants.get(field.name());
                String value = choices != null ? choices.get(r.nextInt(choices.size())) : field.base();
                if (value != null) {
                    form.add(new Param(field.name(), Value.of(value)));
                }
            }
            return form;
        }

        /** Whether the form (decoded, first value of each name, as the server reads it) would be a legitimate request. */
        boolean legit(Lane lane, Map<String, List<String>> form) {
            return false;
        }

        boolean approvals() {
            return false;
        }

        /** How another tab of the same browser is opened (for cross-tab inputs): a form address of it. */
        String openOtherTab(Lane lane) {
            FlowClient.Page login = lane.client.get(f.realm.signInUrl());
            return firstFormAction(login);
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            Lane lane = worker.lanes.computeIfAbsent(name, k -> new Lane(name + " #" + worker.number));
            ensure(worker, lane);
            String action = lane.page.formAction(formId);
            List<Param> form = base(lane, in);
            List<String> sent = new ArrayList<>();
            String url = action;
            if (in.field.slot() == Slot.FORM) {
                form = mutateParams(form, in, sent);
            } else {
                url = mutateUrl(action, in, worker, lane, sent);
            }
            if (legit(lane, decoded(form))) {
                throw new Skip("a legitimate request", true);
            }
            Request request = new Request("POST", url, Map.of("Content-Type", FORM_TYPE),
                    encode(form).getBytes(StandardCharsets.US_ASCII), sent);
            return new Shot(request, lane.user == null ? List.of() : List.of(lane.user), approvals(),
                    r -> inBrowser(lane, r), answers -> settle(worker, lane));
        }

        void ensure(Fuzzer.Worker worker, Lane lane) {
            if (lane.page != null && onTarget(lane.page)) {
                return;
            }
            String why = "";
            for (int attempt = 0; attempt < 3; attempt++) {
                lane.fresh();
                try {
                    FlowClient.Page page = setup(worker, lane);
                    // The walk may change the lane's own account in ways its allowances name: read it afresh.
                    if (lane.user != null) {
                        worker.known.remove(lane.user);
                    }
                    if (onTarget(page)) {
                        lane.page = page;
                        lane.history.add(page.formAction(formId));
                        donate(worker, lane);
                        return;
                    }
                    why = "the walk ended on another page: " + Fuzzer.abbreviated(page.body());
                } catch (AssertionError | RuntimeException e) {
                    why = e.toString();
                }
            }
            throw new Skip("could not reach " + name + ": " + why, false);
        }

        void settle(Fuzzer.Worker worker, Lane lane) {
            FlowClient.Page last = lane.client.lastPage();
            String action = lane.page.formAction(formId);
            if (onTarget(last)) {
                lane.history.add(action);
                lane.page = last;
            } else {
                FlowClient.Page back = null;
                try {
                    back = recover(lane, last);
                    if (!onTarget(back)) {
                        back = resync(lane, action);
                    }
                } catch (AssertionError | RuntimeException e) {
                    back = null;
                }
                lane.page = onTarget(back) ? back : null;
            }
            donate(worker, lane);
        }

        /**
         * Opens the flow's current page again, as a browser's "continue" does (the form address without its session
         * code): an input that went to another tab, or a refused one, leaves the lane's own flow where it was.
         */
        FlowClient.Page resync(Lane lane, String action) {
            URI uri = URI.create(action);
            List<String[]> keep = new ArrayList<>();
            for (String[] p : parseQuery(uri.getRawQuery())) {
                if (p[0].equals("client_id") || p[0].equals("tab_id") || p[0].equals("client_data")
                        || p[0].equals("execution") && uri.getPath().endsWith("/required-action")) {
                    keep.add(p);
                }
            }
            StringBuilder url = new StringBuilder(action.substring(0, action.indexOf('?') < 0 ? action.length()
                    : action.indexOf('?')));
            char sep = '?';
            for (String[] p : keep) {
                url.append(sep).append(p[0]).append('=').append(p[1]);
                sep = '&';
            }
            return lane.client.get(url.toString());
        }

        void donate(Fuzzer.Worker worker, Lane lane) {
            if (lane.page != null) {
                worker.fuzzer().donors.put(lane.key, new Fuzzer.Donor(lane.key, lane.user,
                        lane.page.formAction(formId), lane.client.cookie("AUTH_SESSION_ID")));
            }
        }

        String mutateUrl(String action, Input in, Fuzzer.Worker worker, Lane lane, List<String> sent) {
            String name = in.field.name();
            URI uri = URI.create(action);
            List<String[]> query = parseQuery(uri.getRawQuery());
            String real = valueOf(query, name);
            if (name.equals("auth_session_id")) {
                real = lane.client.cookie("AUTH_SESSION_ID");
            }
            SplittableRandom r = in.random;
            String replacement = null;
            switch (in.cls) {
                case MISSING -> query.removeIf(p -> p[0].equals(name));
                case DUPLICATED -> {
                    Value other = FuzzInputs.value(FuzzInputs.pick(FuzzInputs.VALUE_CLASSES, r), r, real);
                    sent.add(other.text());
                    String fuzz = inUrl(other);
                    query.removeIf(p -> p[0].equals(name));
                    // Values read from the address are encoded already; the session cookie's is not.
                    String realEnc = real == null ? fuzz : name.equals("auth_session_id") ? enc(real) : real;
                    switch (r.nextInt(3)) {
                        case 0 -> {
                            query.add(new String[] {name, fuzz});
                            query.add(new String[] {name, realEnc});
                        }
                        case 1 -> {
                            query.add(new String[] {name, realEnc});
                            query.add(new String[] {name, fuzz});
                        }
                        default -> {
                            query.add(new String[] {name, realEnc});
                            query.add(new String[] {name, realEnc});
                        }
                    }
                }
                case REPLAYED -> {
                    List<String> old0 = new ArrayList<>(lane.history);
                    old0.addAll(lane.earlier);
                    String old = old0.isEmpty() ? null : old0.get(r.nextInt(old0.size()));
                    replacement = old == null ? null : valueOf(parseQuery(URI.create(old).getRawQuery()), name);
                    if (name.equals("auth_session_id")) {
                        String cookie = lane.earlierSessions.isEmpty() ? real
                                : lane.earlierSessions.get(r.nextInt(lane.earlierSessions.size()));
                        replacement = cookie == null ? null : enc(cookie);
                    }
                }
                case CROSS_TAB -> {
                    if (lane.otherTab == null) {
                        lane.otherTab = openOtherTab(lane);
                    }
                    replacement = lane.otherTab == null ? null
                            : valueOf(parseQuery(URI.create(lane.otherTab).getRawQuery()), name);
                }
                case OTHER_USER -> {
                    if (name.equals("key")) {
                        replacement = enc(f.anchorKey1);
                        break;
                    }
                    List<Fuzzer.Donor> others = new ArrayList<>();
                    for (Fuzzer.Donor d : new TreeMap<>(worker.fuzzer().donors).values()) {
                        if (!d.lane().equals(lane.key) && d.user() != null && !d.user().equals(lane.user)) {
                            others.add(d);
                        }
                    }
                    if (!others.isEmpty()) {
                        Fuzzer.Donor d = others.get(r.nextInt(others.size()));
                        replacement = name.equals("auth_session_id") ? (d.authSession() == null ? null
                                : enc(d.authSession()))
                                : valueOf(parseQuery(URI.create(d.action()).getRawQuery()), name);
                    }
                }
                default -> {
                    sent.add(in.value.text());
                    set(query, name, inUrl(in.value));
                }
            }
            if (replacement != null) {
                sent.add(decode(replacement));
                set(query, name, replacement);
            } else if (in.cls == InputClass.REPLAYED || in.cls == InputClass.CROSS_TAB
                    || in.cls == InputClass.OTHER_USER) {
                throw new Skip("no " + in.cls + " value for " + name, false);
            }
            String base = action.contains("?") ? action.substring(0, action.indexOf('?')) : action;
            StringBuilder out = new StringBuilder(base);
            char sep = '?';
            for (String[] p : query) {
                out.append(sep).append(p[0]).append('=').append(p[1]);
                sep = '&';
            }
            return out.toString();
        }

        /** A page's answer, followed through redirects as a browser does. */
        List<Answer> inBrowser(Lane lane, Request request) {
            List<Answer> answers = new ArrayList<>();
            try {
                FlowClient.Page page;
                try {
                    page = lane.client.postRaw(request.url, request.contentType(), request.bodyText());
                } catch (AssertionError noAnswer) {
                    // Once more: a kept-alive connection the server had just closed looks the same as a refusal.
                    page = lane.client.postRaw(request.url, request.contentType(), request.bodyText());
                }
                answers.add(new Answer(page.status(), "text/html", page.body(), null));
                if (page.status() / 100 == 3 && lane.client.lastLocation() != null) {
                    String next = URI.create(request.url).resolve(lane.client.lastLocation()).toString();
                    FlowClient.Page followed = lane.client.get(next);
                    answers.add(new Answer(followed.status(), "text/html", followed.body(), null));
                }
            } catch (AssertionError | IllegalArgumentException e) {
                answers.add(new Answer(-1, null, null, e.getMessage()));
            }
            return answers;
        }
    }

    /** One form or query parameter. */
    record Param(String name, Value value) {
    }

    static List<Param> mutateParams(List<Param> base, Input in, List<String> sent) {
        String name = in.field.name();
        List<Param> form = new ArrayList<>(base);
        Value real = form.stream().filter(p -> p.name().equals(name)).map(Param::value).findFirst().orElse(null);
        SplittableRandom r = in.random;
        switch (in.cls) {
            case MISSING -> form.removeIf(p -> p.name().equals(name));
            case DUPLICATED -> {
                Value other = FuzzInputs.value(FuzzInputs.pick(FuzzInputs.VALUE_CLASSES, r), r,
                        real == null ? in.field.base() : real.text());
                sent.add(other.text());
                int at = indexOf(form, name);
                form.removeIf(p -> p.name().equals(name));
                int where = at < 0 ? form.size() : at;
                List<Param> copies = new ArrayList<>();
                switch (r.nextInt(4)) {
                    case 0 -> {
                        copies.add(new Param(name, other));
                        if (real != null) {
                            copies.add(new Param(name, real));
                        }
                    }
                    case 1 -> {
                        if (real != null) {
                            copies.add(new Param(name, real));
                        }
                        copies.add(new Param(name, other));
                    }
                    case 2 -> {
                        for (int i = 0; i < 50; i++) {
                            copies.add(new Param(name, real != null ? real : other));
                        }
                    }
                    default -> {
                        copies.add(new Param(name, other));
                        copies.add(new Param(name, other));
                    }
                }
                form.addAll(where, copies);
            }
            default -> {
                sent.add(in.value.text());
                int at = indexOf(form, name);
                if (at < 0) {
                    form.add(new Param(name, in.value));
                } else {
                    form.set(at, new Param(name, in.value));
                }
            }
        }
        return form;
    }

    private static int indexOf(List<Param> form, String name) {
        for (int i = 0; i < form.size(); i++) {
            if (form.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A form body: raw values go in as they are (broken escapes included). */
    static String encode(List<Param> form) {
        StringBuilder s = new StringBuilder();
        for (Param p : form) {
            if (!s.isEmpty()) {
                s.append('&');
            }
            s.append(enc(p.name())).append('=').append(p.value().raw() ? p.value().text() : enc(p.value().text()));
        }
        return s.toString();
    }

    /** A query string: raw values only where a URL can hold them (a URL cannot carry a broken escape). */
    static String query(List<Param> params) {
        StringBuilder s = new StringBuilder();
        for (Param p : params) {
            if (!s.isEmpty()) {
                s.append('&');
            }
            s.append(enc(p.name())).append('=').append(inUrl(p.value()));
        }
        return s.toString();
    }

    /** The form as the server reads it: decoded, every value of each name. */
    static Map<String, List<String>> decoded(List<Param> form) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Param p : form) {
            out.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.value().raw() ? decode(p.value().text())
                    : p.value().text());
        }
        return out;
    }

    static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException broken) {
            return "\uFFFF(undecodable) " + text;
        }
    }

    /** A value as it goes into a URL: encoded, or raw when it is a raw value a URL can hold at all. */
    static String inUrl(Value v) {
        if (v.raw()) {
            try {
                URI.create("http://x/?a=" + v.text());
                return v.text();
            } catch (IllegalArgumentException notForUrls) {
                return enc(v.text());
            }
        }
        return enc(v.text());
    }

    static List<String[]> parseQuery(String raw) {
        List<String[]> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.add(eq < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
        }
        return out;
    }

    static String valueOf(List<String[]> query, String name) {
        for (String[] p : query) {
            if (p[0].equals(name)) {
                return p[1];
            }
        }
        return null;
    }

    static void set(List<String[]> query, String name, String encodedValue) {
        for (String[] p : query) {
            if (p[0].equals(name)) {
                p[1] = encodedValue;
                return;
            }
        }
        query.add(new String[] {name, encodedValue});
    }

    static String firstFormAction(FlowClient.Page page) {
        java.util.regex.Matcher m = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page.body());
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }

    // ---- the reset pages ----

    /** "Forgot your password?": the name typed. */
    static final class ResetRequest extends PageTarget {
        ResetRequest(FuzzFixture f) {
            super(f, "reset: request (name)", "reset", 6, "kc-reset-password-form",
                    concat(List.of(form("username", "fz-std")), flowFields(true)));
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            lane.user = null;
            return lane.client.openResetPage(f.realm);
        }

        @Override
        List<Param> base(Lane lane, Input in) {
            // A name of every kind: standard, privileged, disabled, break-glass, unknown, an email address.
            String name = FuzzInputs.pick(List.of("fz-std", "fz-priv", "fz-off", "fz-bg", "fz-nobody",
                    "fz-std@example.test", "fz-rs-" + 0), in.random);
            lane.user = name.startsWith("fz-std") ? "fz-std" : f.users.containsKey(name) ? name : null;
            return new ArrayList<>(List.of(new Param("username", Value.of(name))));
        }

        @Override
        String openOtherTab(Lane lane) {
            return lane.client.openResetPage(f.realm).formAction(formId);
        }
    }

    /** Names the method and code pages are walked with, in turn: the lane's own account and others. */
    static String resetName(FuzzFixture f, Fuzzer.Worker worker, Lane lane) {
        List<String> names = List.of("fz-rs-" + worker.number, "fz-rs-" + worker.number, "fz-nobody-" + worker.number,
                "fz-priv", "fz-off");
        String name = names.get(lane.setups % names.size());
        lane.user = f.users.containsKey(name) ? name : null;
        return name;
    }

    /** The method selection page: action and method. */
    static final class ResetMethods extends PageTarget {
        ResetMethods(FuzzFixture f) {
            super(f, "reset: methods (action, method)", "reset", 7, METHODS_FORM,
                    concat(List.of(form("action", "select"), form("method", "totp")), flowFields(true)));
            variant("action", "select", "select", "select", "select", "back", "helpdesk", "verify", "resend");
            variant("method", "totp", "email-code", "sms-code", "recovery-codes", "tap", "webauthn");
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            return f.methodsPage(lane.client, resetName(f, worker, lane));
        }

        @Override
        FlowClient.Page recover(Lane lane, FlowClient.Page answer) {
            if (answer != null && (answer.has(CODE_FORM) || answer.has("id=\"webauth\""))) {
                String back = answer.has(CODE_FORM) ? answer.formAction(CODE_FORM)
                        : answer.formAction("governed-recovery-helpdesk-form");
                return lane.client.postFollowing(back, Map.of("action", "back"));
            }
            return null;
        }

        @Override
        String openOtherTab(Lane lane) {
            return lane.client.openResetPage(f.realm).formAction("kc-reset-password-form");
        }
    }

    /** "I cannot use any of these methods" on the method page. */
    static final class ResetHelpdesk extends PageTarget {
        ResetHelpdesk(FuzzFixture f) {
            super(f, "reset: helpdesk choice (action)", "reset", 2, "governed-recovery-helpdesk-form",
                    concat(List.of(form("action", "helpdesk")), flowFields(false)));
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            return f.methodsPage(lane.client, resetName(f, worker, lane));
        }

        @Override
        String openOtherTab(Lane lane) {
            return lane.client.openResetPage(f.realm).formAction("kc-reset-password-form");
        }
    }

    /** The code page of each method: action and code. */
    static final class ResetCode extends PageTarget {
        static final List<String> METHODS = List.of("email-code", "sms-code", "totp", "recovery-codes", "tap");

        ResetCode(FuzzFixture f) {
            super(f, "reset: code (action, code, resend)", "reset", 10, CODE_FORM,
                    concat(List.of(form("action", "verify"), form("code", "00000000")), flowFields(true)));
            variant("action", "verify", "verify", "verify", "verify", "resend", "resend", "back", "select");
            variant("code", "00000000", "12345678", "ABCD-EFGH-JKMN", "000000");
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            FlowClient.Page methods = f.methodsPage(lane.client, resetName(f, worker, lane));
            String method = METHODS.get(lane.setups % METHODS.size());
            lane.data.put("method", method);
            if (methods.has(METHODS_FORM)) {
                lane.history.add(methods.formAction(METHODS_FORM));
            }
            return f.select(lane.client, methods, method);
        }

        @Override
        FlowClient.Page recover(Lane lane, FlowClient.Page answer) {
            if (answer != null && answer.has(METHODS_FORM)) {
                return f.select(lane.client, answer, lane.data.get("method"));
            }
            return null;
        }

        @Override
        String openOtherTab(Lane lane) {
            return lane.client.openResetPage(f.realm).formAction("kc-reset-password-form");
        }
    }

    /** The passkey page: the assertion fields a browser posts. */
    static final class ResetWebAuthn extends PageTarget {
        ResetWebAuthn(FuzzFixture f) {
            super(f, "reset: passkey assertion", "reset", 3, "webauth", concat(List.of(form("action", "verify"),
                    form("clientDataJSON", "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiQUFBQSJ9"),
                    form("authenticatorData", "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAABA"),
                    form("signature", "MEUCIQCz"), form("credentialId", "AAAAAAAAAAAAAAAAAAAAAA"),
                    form("userHandle", "ZnotcnMtMA"), form("error", "")), flowFields(false)));
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            FlowClient.Page methods = f.methodsPage(lane.client, resetName(f, worker, lane));
            return f.select(lane.client, methods, "webauthn");
        }

        @Override
        FlowClient.Page recover(Lane lane, FlowClient.Page answer) {
            if (answer != null && answer.has(METHODS_FORM)) {
                return f.select(lane.client, answer, "webauthn");
            }
            return null;
        }
    }

    /** The new-password page, reached with the mailbox and a pass; the two fields never match (that would reset). */
    static final class NewPassword extends PageTarget {
        NewPassword(FuzzFixture f) {
            super(f, "reset: new password", "reset", 5, NEW_PASSWORD_FORM, concat(List.of(
                    form("username", "fz-np-0"), form("password-new", "Fz-new-password-A1"),
                    form("password-confirm", "Fz-new-password-B2")), flowFields(false)));
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            lane.user = "fz-np-" + worker.number;
            return f.walkToNewPassword(lane.client, lane.user);
        }

        @Override
        boolean legit(Lane lane, Map<String, List<String>> form) {
            String password = first(form, "password-new");
            return password != null && !password.isBlank() && password.equals(first(form, "password-confirm"));
        }
    }

    /** The lost-device offer after a new password (each walk sets a password: the account's allowance). */
    static final class LostDevice extends PageTarget {
        LostDevice(FuzzFixture f) {
            super(f, "reset: lost-device choice", "reset", 1.5, LOST_FORM, concat(List.of(
                    form("action", "continue"), form("remove", null)), flowFields(false)));
            // Never the app it offers (that is the person's legitimate choice): methods it does not offer.
            variant("remove", null, "password", "recovery-codes", "tap", "webauthn", "otp", "governed-recovery-tap",
                    "email-code");
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            lane.user = "fz-lost-" + worker.number;
            FlowClient.Page page = f.walkToNewPassword(lane.client, lane.user);
            if (!page.has(NEW_PASSWORD_FORM)) {
                return page;
            }
            String password = "Fz-lost-" + Long.toHexString(new SplittableRandom().nextLong()) + "-Aa1";
            return lane.client.postFollowing(page.formAction(NEW_PASSWORD_FORM),
                    Map.of("password-new", password, "password-confirm", password));
        }

        @Override
        boolean legit(Lane lane, Map<String, List<String>> form) {
            return form.getOrDefault("remove", List.of()).contains("totp");
        }
    }

    /** Keycloak's action-token endpoints, which our reset flow continues after: the key. */
    static final class ActionTokenKey extends Target {
        final FuzzFixture f;

        ActionTokenKey(FuzzFixture f) {
            super("reset: action-token key", "reset", 2, List.of(new Field("key", Slot.QUERY,
                    "eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJyZXNldC1jcmVkZW50aWFscyJ9.AAAA", "token",
                    withValues(InputClass.MISSING, InputClass.DUPLICATED, InputClass.OTHER_USER))));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            Lane lane = worker.lanes.computeIfAbsent(name, k -> new Lane(name + " #" + worker.number));
            if (lane.page == null) {
                lane.fresh();
                lane.page = lane.client.openResetPage(f.realm);
            }
            String reset = lane.page.formAction("kc-reset-password-form");
            List<String[]> query = parseQuery(URI.create(reset).getRawQuery());
            String path = in.random.nextBoolean() ? "/login-actions/action-token" : "/login-actions/reset-credentials";
            List<Param> params = new ArrayList<>();
            params.add(new Param("client_id", Value.raw(valueOf(query, "client_id"))));
            params.add(new Param("tab_id", Value.raw(valueOf(query, "tab_id"))));
            params.add(new Param("key", Value.of(in.field.base())));
            List<String> sent = new ArrayList<>();
            if (in.cls == InputClass.OTHER_USER) {
                // A real token, but another kind: an approval link's key of this realm.
                params.set(2, new Param("key", Value.of(f.anchorKey1)));
                sent.add(f.anchorKey1);
            } else {
                params = mutateParams(params, in, sent);
            }
            String url = f.realmUrl() + path + "?" + query(params);
            Request request = new Request("GET", url, Map.of(), null, sent);
            return new Shot(request, List.of(), false, r -> {
                try {
                    FlowClient.Page page = lane.client.get(r.url);
                    return List.of(new Answer(page.status(), "text/html", page.body(), null));
                } catch (AssertionError | IllegalArgumentException e) {
                    return List.of(new Answer(-1, null, null, e.getMessage()));
                }
            }, answers -> lane.page = null);
        }
    }

    // ---- the verified contact changes ----

    /** One stage of "change recovery phone number" or "change email address" (required actions). */
    static final class ContactChange extends PageTarget {
        final String kind;
        final String stage;

        ContactChange(FuzzFixture f, String kind, String stage) {
            super(f, "contact change (" + kind + "): " + stage, "contact change", 2, CONTACT_FORM,
                    concat(fieldsOf(kind, stage), flowFields(false)));
            this.kind = kind;
            this.stage = stage;
            if (stage.equals("step-up")) {
                // Methods the account does not have (it has only email and phone): never a way in.
                variant("method", "nope", "totp", "recovery-codes", "webauthn", "tap");
            }
        }

        static List<Field> fieldsOf(String kind, String stage) {
            return switch (stage) {
                case "step-up" -> List.of(form("stage", "step-up"), form("method", "nope"), form("action", null));
                case "step-up-code", "confirm" -> List.of(form("stage", stage), form("action", "verify"),
                        form("code", "00000000"));
                default -> List.of(form("stage", "enter"), form("action", "send"),
                        form("value", kind.equals("phone") ? "not-a-number" : "not-an-address"));
            };
        }

        String account(Fuzzer.Worker worker) {
            return "fz-c" + kind.charAt(0) + "-" + stage + "-" + worker.number;
        }

        @Override
        boolean onTarget(FlowClient.Page page) {
            return super.onTarget(page) && page.has("name=\"stage\" value=\"" + stage + "\"");
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            lane.user = account(worker);
            FuzzFixture.FuzzUser u = f.user(lane.user);
            FlowClient.Page page = f.signIn(lane.client, "&kc_action=governed-recovery-update-" + kind, lane.user);
            if (stage.equals("step-up") || !page.has(CONTACT_FORM)) {
                return page;
            }
            // Step up with a code to the current mailbox (phone change) or phone (email change).
            String method = kind.equals("phone") ? "email-code" : "sms-code";
            int mails = f.mail.countTo(u.email());
            int texts = f.sms.to(u.phone()).size();
            page = lane.client.postFollowing(page.formAction(CONTACT_FORM), Map.of("stage", "step-up", "method", method));
            if (stage.equals("step-up-code") || !page.has("value=\"step-up-code\"")) {
                return page;
            }
            String code = method.equals("email-code") ? f.mailedCode(u.email(), mails, "Confirm your recovery contact")
                    : f.textedCode(u.phone(), texts);
            page = lane.client.postFollowing(page.formAction(CONTACT_FORM), Map.of("stage", "step-up-code",
                    "action", "verify", "code", code));
            if (stage.equals("enter") || !page.has("value=\"enter\"")) {
                return page;
            }
            return sendNewValue(lane, page);
        }

        private FlowClient.Page sendNewValue(Lane lane, FlowClient.Page enter) {
            int n = Integer.parseInt(lane.data.merge("sent", "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1)));
            String value = kind.equals("phone") ? String.format("+4916%09d", (long) Math.abs(lane.key.hashCode()
                    % 10_000) * 100_000 + n % 100_000) : "fz-new-" + Math.abs(lane.key.hashCode()) + "-" + n
                    + "@example.test";
            return lane.client.postFollowing(enter.formAction(CONTACT_FORM), Map.of("stage", "enter",
                    "action", "send", "value", value));
        }

        @Override
        FlowClient.Page recover(Lane lane, FlowClient.Page answer) {
            if (stage.equals("confirm") && answer != null && answer.has("name=\"stage\" value=\"enter\"")) {
                return sendNewValue(lane, answer);
            }
            if (stage.equals("step-up-code") && answer != null && answer.has("name=\"stage\" value=\"step-up\"")) {
                return lane.client.postFollowing(answer.formAction(CONTACT_FORM), Map.of("stage", "step-up",
                        "method", kind.equals("phone") ? "email-code" : "sms-code"));
            }
            return null;
        }
    }

    // ---- the registration campaign ----

    /** The campaign page at sign-in: action. Putting it off and registering are legitimate (and change the account). */
    static final class Campaign extends PageTarget {
        Campaign(FuzzFixture f) {
            super(f, "campaign: register page (action)", "campaign", 4, CAMPAIGN_FORM,
                    concat(List.of(form("action", "nope")), flowFields(false)));
            // Registrations the campaign does not list, and "confirm" (the account meets nothing: refused).
            variant("action", "nope", "confirm", "register:UPDATE_PASSWORD", "register:delete_account",
                    "register:governed-recovery-update-phone", "register:", "register:CONFIGURE_TOTP ",
                    "register:configure_totp");
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            lane.user = "fz-camp-" + worker.number;
            return f.signIn(lane.client, "", lane.user);
        }

        @Override
        boolean legit(Lane lane, Map<String, List<String>> form) {
            String action = first(form, "action");
            return action != null && (action.equals("later")
                    || Set.of("register:CONFIGURE_TOTP", "register:webauthn-register-passwordless",
                    "register:CONFIGURE_RECOVERY_AUTHN_CODES").contains(action));
        }
    }

    // ---- approvals ----

    /** The requester's waiting page: action ("cancel" is legitimate: it ends the request). */
    static final class Waiting extends PageTarget {
        Waiting(FuzzFixture f) {
            super(f, "approval: waiting page (action)", "approval", 3, WAITING_FORM,
                    concat(List.of(form("action", "check")), flowFields(false)));
            variant("action", "check", "check", "", "approve", "deny", "select");
        }

        @Override
        FlowClient.Page setup(Fuzzer.Worker worker, Lane lane) {
            lane.user = "fz-wait-" + worker.number;
            return f.walkToWaiting(lane.client, lane.user);
        }

        @Override
        boolean legit(Lane lane, Map<String, List<String>> form) {
            return "cancel".equals(first(form, "action"));
        }

        @Override
        boolean approvals() {
            return true;
        }
    }

    /** The approver's link page (GET shows, never decides): the key. */
    static final class ApprovalLinkPage extends Target {
        final FuzzFixture f;

        ApprovalLinkPage(FuzzFixture f) {
            super("approval: link page GET (key)", "approval", 2, List.of(
                    new Field("key", Slot.QUERY, null, "token", withValues(InputClass.MISSING, InputClass.DUPLICATED,
                            InputClass.OTHER_USER)),
                    new Field("extra", Slot.QUERY, null, "text", FORM_CLASSES)));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<Param> params = new ArrayList<>(List.of(new Param("key", Value.of(f.anchorKey1))));
            List<String> sent = new ArrayList<>(List.of(f.anchorKey1));
            if (in.cls == InputClass.OTHER_USER) {
                // Another approver's key, or a key of another request.
                List<String> keys = new ArrayList<>(new java.util.TreeSet<>(f.approvalKeys()));
                String key = keys.isEmpty() ? f.anchorKey2 : keys.get(in.random.nextInt(keys.size()));
                params.set(0, new Param("key", Value.of(key)));
                sent.add(key);
            } else {
                params = mutateParams(params, in, sent);
            }
            Request request = new Request("GET", f.realmUrl() + "/governed-recovery/approval?" + query(params),
                    Map.of(), null, sent);
            return new Shot(request, List.of(), true, worker.fuzzer()::sendPlain, answers -> { });
        }
    }

    /**
     * The owner's "This was not me" key as the one parameter {@code key}, mutated by {@code in}; for
     * {@link InputClass#OTHER_USER}, a real token of this realm of another kind (an approval link's key).
     */
    static List<Param> ownerKey(FuzzFixture f, Input in, List<String> sent) {
        List<Param> params = new ArrayList<>(List.of(new Param("key", Value.of(f.notMeKey))));
        if (in.cls == InputClass.OTHER_USER) {
            params.set(0, new Param("key", Value.of(f.anchorKey1)));
            sent.add(f.anchorKey1);
            return params;
        }
        return mutateParams(params, in, sent);
    }

    /** The "This was not me" page GET (key): it shows, and never changes anything. */
    static final class NotMePage extends Target {
        final FuzzFixture f;

        NotMePage(FuzzFixture f) {
            super("owner: 'This was not me' page GET (key)", "owner", 1.5, List.of(
                    new Field("key", Slot.QUERY, null, "token", withValues(InputClass.MISSING, InputClass.DUPLICATED,
                            InputClass.OTHER_USER)),
                    new Field("extra", Slot.QUERY, null, "text", FORM_CLASSES)));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>(List.of(f.notMeKey));
            List<Param> params = ownerKey(f, in, sent);
            Request request = new Request("GET", f.realmUrl() + "/governed-recovery/not-me?" + query(params),
                    Map.of(), null, sent);
            return new Shot(request, List.of("fz-notme"), false, worker.fuzzer()::sendPlain, answers -> { });
        }
    }

    /** The "This was not me" button's POST (key): the owner's real key would report, anything else must not. */
    static final class NotMeReport extends Target {
        final FuzzFixture f;

        NotMeReport(FuzzFixture f) {
            super("owner: 'This was not me' report POST (key)", "owner", 2, List.of(
                    new Field("key", Slot.FORM, null, "token", withValues(InputClass.MISSING, InputClass.DUPLICATED,
                            InputClass.OTHER_USER)),
                    new Field("body", Slot.BODY, null, "form", BODY_CLASSES)));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<Param> form = new ArrayList<>(List.of(new Param("key", Value.of(f.notMeKey))));
            List<String> sent = new ArrayList<>(List.of(f.notMeKey));
            String type = FORM_TYPE;
            byte[] body;
            if (in.field.slot() == Slot.BODY) {
                if (in.random.nextBoolean()) {
                    type = "application/json";
                }
                body = FuzzInputs.body(in.cls, in.random, "{\"key\":\"" + f.notMeKey + "\"}");
                if (FORM_TYPE.equals(type) && formCarries(body, "key", f.notMeKey)) {
                    throw new Skip("the owner's own report", true);
                }
            } else {
                if (in.cls == InputClass.OTHER_USER) {
                    form = new ArrayList<>(List.of(new Param("key", Value.of(f.anchorKey1))));
                    sent.add(f.anchorKey1);
                } else {
                    form = mutateParams(form, in, sent);
                }
                if (f.notMeKey.equals(first(decoded(form), "key"))) {
                    throw new Skip("the owner's own report", true);
                }
                body = encode(form).getBytes(StandardCharsets.US_ASCII);
            }
            Request request = new Request("POST", f.realmUrl() + "/governed-recovery/not-me",
                    Map.of("Content-Type", type), body, sent);
            return new Shot(request, List.of("fz-notme"), false, worker.fuzzer()::sendPlain, answers -> { });
        }
    }

    /**
     * A waiting recovery's cancel link, GET (shows) and POST (cancels), fed the owner's real "This was not me" key (a
     * valid token of this realm, but of another kind) and its mutations: nothing may change, fz-notme's freeze included.
     */
    static final class WaitingCancel extends Target {
        final FuzzFixture f;
        final String method;

        WaitingCancel(FuzzFixture f, String method) {
            super("owner: waiting-period cancel link " + method + " (key)", "owner", 1, List.of(
                    new Field("key", "GET".equals(method) ? Slot.QUERY : Slot.FORM, null, "token",
                            withValues(InputClass.MISSING, InputClass.DUPLICATED, InputClass.OTHER_USER))));
            this.f = f;
            this.method = method;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>(List.of(f.notMeKey));
            List<Param> params = ownerKey(f, in, sent);
            String url = f.realmUrl() + "/governed-recovery/waiting-cancel";
            Request request = "GET".equals(method)
                    ? new Request("GET", url + "?" + query(params), Map.of(), null, sent)
                    : new Request("POST", url, Map.of("Content-Type", FORM_TYPE),
                            encode(params).getBytes(StandardCharsets.US_ASCII), sent);
            return new Shot(request, List.of("fz-notme"), false, worker.fuzzer()::sendPlain, answers -> { });
        }
    }

    /** Whether a form body has the field {@code name} with exactly {@code value} (as the server would decode it). */
    static boolean formCarries(byte[] body, String name, String value) {
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)
                        && URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).equals(value)) {
                    return true;
                }
            } catch (IllegalArgumentException undecodable) {
                // not a value the server would read as the key either
            }
        }
        return false;
    }

    /** The approver's link page POST: key and decision (a known key with approve or deny would decide). */
    static final class ApprovalLinkDecision extends Target {
        final FuzzFixture f;

        ApprovalLinkDecision(FuzzFixture f) {
            super("approval: link decision POST (key, decision)", "approval", 3, List.of(
                    new Field("key", Slot.FORM, null, "token", withValues(InputClass.MISSING, InputClass.DUPLICATED,
                            InputClass.OTHER_USER)),
                    new Field("decision", Slot.FORM, "approve", "enum", FORM_CLASSES),
                    new Field("body", Slot.BODY, null, "form", BODY_CLASSES)));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<Param> form = new ArrayList<>(List.of(new Param("key", Value.of(f.anchorKey1)),
                    new Param("decision", Value.of(in.field.name().equals("key") ? "approve" : "maybe"))));
            List<String> sent = new ArrayList<>(List.of(f.anchorKey1));
            String type = FORM_TYPE;
            byte[] body;
            if (in.field.slot() == Slot.BODY) {
                if (in.random.nextBoolean()) {
                    type = "application/json";
                }
                body = FuzzInputs.body(in.cls, in.random, "{\"key\":\"" + f.anchorKey1 + "\",\"decision\":\"maybe\"}");
            } else {
                if (in.cls == InputClass.OTHER_USER) {
                    // A key of a request already decided, with a real decision (it must say "decided"); or a real
                    // key of another waiting request, or of the other approver, with a decision that is none.
                    boolean decided = in.random.nextBoolean();
                    List<String> keys = new ArrayList<>(new java.util.TreeSet<>(decided ? f.decidedKeys
                            : f.approvalKeys()));
                    String key = keys.get(in.random.nextInt(keys.size()));
                    form = new ArrayList<>(List.of(new Param("key", Value.of(key)), new Param("decision",
                            Value.of(decided ? (in.random.nextBoolean() ? "approve" : "deny")
                                    : FuzzInputs.nearMiss("approve", in.random)))));
                    sent.add(key);
                } else {
                    form = mutateParams(form, in, sent);
                }
                Map<String, List<String>> decoded = decoded(form);
                String key = first(decoded, "key");
                String decision = first(decoded, "decision");
                if (key != null && f.approvalKeys().contains(key) && !f.decidedKeys.contains(key)
                        && ("approve".equals(decision) || "deny".equals(decision))) {
                    throw new Skip("a legitimate decision", true);
                }
                body = encode(form).getBytes(StandardCharsets.US_ASCII);
            }
            Request request = new Request("POST", f.realmUrl() + "/governed-recovery/approval",
                    Map.of("Content-Type", type), body, sent);
            return new Shot(request, List.of(), true, worker.fuzzer()::sendPlain, answers -> { });
        }
    }

    /** Authorization header values of one class; {@code others} are real tokens of callers that must be refused. */
    static String authorization(Input in, String real, List<String> others) {
        SplittableRandom r = in.random;
        return switch (in.cls) {
            case MISSING -> null;
            case EMPTY -> FuzzInputs.pick(List.of("", "Bearer", "Bearer ", " "), r);
            case WRONG_TYPE -> FuzzInputs.pick(List.of("Basic YWRtaW46YWRtaW4=", "Bearer null", "token " + real,
                    "Bearer " + real + "x", "Bearer " + real.substring(0, real.length() / 2), "bearer", "Bearer {}",
                    "Bearer " + real + " " + real), r);
            case HUGE -> "Bearer " + "A".repeat(FuzzInputs.HUGE_FIELD + r.nextInt(FuzzInputs.HUGE_FIELD));
            case INJECTION -> FuzzInputs.pick(List.of(
                    // An unsigned token ("alg": "none") claiming to be the caller, and other tampering.
                    "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + real.split("\\.")[1] + ".",
                    "Bearer " + real.split("\\.")[0] + "." + real.split("\\.")[1] + ".AAAA",
                    "Bearer ' OR '1'='1", "Bearer ${1048573*13}", "Bearer ../../../../etc/passwd"), r);
            case OTHER_USER -> "Bearer " + others.get(r.nextInt(others.size()));
            default -> "Bearer " + real;
        };
    }

    /** The approvers' REST list of pending requests. */
    static final class ApproverList extends Target {
        final FuzzFixture f;

        ApproverList(FuzzFixture f) {
            super("approver API: GET approvals", "approval", 1.5, List.of(
                    new Field("Authorization", Slot.HEADER, null, "token", HEADER_CLASSES),
                    new Field("extra", Slot.QUERY, null, "text", FORM_CLASSES)));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            String real = f.consoleToken("fz-appr-1");
            Map<String, String> headers = new LinkedHashMap<>();
            List<String> sent = new ArrayList<>();
            String query = "";
            if (in.field.slot() == Slot.HEADER) {
                String auth = authorization(in, real, List.of(f.token("fz-appr-1"), f.consoleToken("fz-plain"),
                        f.adminToken()));
                if (auth != null) {
                    headers.put("Authorization", auth);
                    sent.add(auth);
                }
            } else {
                headers.put("Authorization", "Bearer " + real);
                query = "?" + query(mutateParams(new ArrayList<>(), in, sent));
            }
            return new Shot(new Request("GET", f.approvalsUrl() + query, headers, null, sent), List.of(), false,
                    worker.fuzzer()::sendPlain, answers -> { });
        }
    }

    static final ObjectMapper PLAIN = new ObjectMapper();

    /** The approvers' REST decision: id, the JSON body, the caller. */
    static final class ApproverDecision extends Target {
        final FuzzFixture f;

        ApproverDecision(FuzzFixture f) {
            super("approver API: POST approvals/{id}", "approval", 4, List.of(
                    new Field("id", Slot.PATH, null, "id", withValues(InputClass.MISSING, InputClass.OTHER_USER)),
                    new Field("decision", Slot.JSON, "\"approve\"", "text", JSON_CLASSES),
                    new Field("reason", Slot.JSON, "\"fuzz\"", "text", JSON_CLASSES),
                    new Field("extra", Slot.JSON, null, "text", FuzzInputs.VALUE_CLASSES),
                    new Field("body", Slot.BODY, null, "json", BODY_CLASSES),
                    new Field("Authorization", Slot.HEADER, null, "token", HEADER_CLASSES)));
            this.f = f;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            String token = f.consoleToken("fz-appr-1");
            Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
            List<String> sent = new ArrayList<>();
            String id = f.anchorApprovalId;
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            fields.put("decision", "\"approve\"");
            byte[] body;
            switch (in.field.slot()) {
                // Another request's id: one already decided (it must say so, 409).
                case PATH -> id = in.cls == InputClass.OTHER_USER ? f.deniedApprovalId : pathValue(in, sent, id);
                case HEADER -> {
                    String auth = authorization(in, token, List.of(f.token("fz-appr-1"), f.consoleToken("fz-plain"),
                            f.consoleToken("fz-anchor"), f.adminToken()));
                    token = null;
                    if (in.cls != InputClass.OTHER_USER) {
                        // A mangled form of the approver's own token: on no real request, should it get through.
                        id = java.util.UUID.nameUUIDFromBytes(Long.toString(in.index).getBytes()).toString();
                    }
                    if (auth != null) {
                        headers.put("Authorization", auth);
                        sent.add(auth);
                    }
                }
                default -> {
                }
            }
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
            if (in.field.slot() == Slot.JSON || in.field.slot() == Slot.BODY) {
                fields.put("reason", "\"fuzz\"");
                body = json(fields, in, sent);
                if (decisionValid(body) && id.equals(f.anchorApprovalId)) {
                    // A body the endpoint takes: sent for a request that does not exist (404 after the body is
                    // read), as the anchor's would be a legitimate decision.
                    id = java.util.UUID.nameUUIDFromBytes(("body" + in.index).getBytes(StandardCharsets.UTF_8))
                            .toString();
                }
            } else {
                body = json(fields, in, sent);
            }
            String url = f.approvalsUrl() + (id == null ? "" : "/" + id);
            return new Shot(new Request("POST", url, headers, body, sent), List.of(), true,
                    worker.fuzzer()::sendPlain, answers -> { });
        }

        /** The server's own reading of a decision body (ApprovalResource): an object with approve/deny, a short reason. */
        static boolean decisionValid(byte[] bytes) {
            String body = new String(bytes, StandardCharsets.UTF_8);
            if (body.isBlank() || body.length() > 4096) {
                return false;
            }
            try {
                JsonNode node = PLAIN.readTree(body);
                if (node == null || !node.isObject()) {
                    return false;
                }
                String decision = node.path("decision").asText(null);
                if (!"approve".equals(decision) && !"deny".equals(decision)) {
                    return false;
                }
                JsonNode reason = node.get("reason");
                return reason == null || reason.isNull() || reason.isTextual() && reason.asText().length() <= 200;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }

    /** A path segment of class {@code in.cls} (null drops the segment). */
    static String pathValue(Input in, List<String> sent, String real) {
        if (in.cls == InputClass.MISSING) {
            return null;
        }
        if (in.cls == InputClass.OTHER_USER) {
            return real; // overridden by targets that have other ids to offer
        }
        sent.add(in.value.text());
        return in.value.raw() ? inUrl(in.value) : enc(in.value.text()).replace("+", "%20");
    }

    /** A JSON body: the fields (JSON literals) with the input's change to one of them, or a whole-body input. */
    static byte[] json(LinkedHashMap<String, String> fields, Input in, List<String> sent) {
        if (in.field.slot() == Slot.BODY) {
            byte[] body = FuzzInputs.body(in.cls, in.random, object(fields));
            sent.add(new String(body, StandardCharsets.UTF_8));
            return body;
        }
        if (in.field.slot() != Slot.JSON) {
            return object(fields).getBytes(StandardCharsets.UTF_8);
        }
        String name = in.field.name();
        StringBuilder s = new StringBuilder("{");
        List<String[]> pairs = new ArrayList<>();
        fields.forEach((k, v) -> pairs.add(new String[] {k, v}));
        String fuzz = in.cls == InputClass.MISSING || in.cls == InputClass.DUPLICATED ? null
                : FuzzInputs.jsonValue(in.cls, in.random, in.field.kind());
        switch (in.cls) {
            case MISSING -> pairs.removeIf(p -> p[0].equals(name));
            case DUPLICATED -> {
                String other = FuzzInputs.jsonValue(FuzzInputs.pick(FuzzInputs.VALUE_CLASSES, in.random), in.random,
                        in.field.kind());
                String real = fields.getOrDefault(name, other);
                if (in.random.nextBoolean()) {
                    pairs.add(new String[] {name, other});
                    pairs.add(new String[] {name, real});
                } else {
                    pairs.add(new String[] {name, real});
                    pairs.add(new String[] {name, other});
                }
                sent.add(other);
            }
            default -> {
                boolean found = false;
                for (String[] p : pairs) {
                    if (p[0].equals(name)) {
                        p[1] = fuzz;
                        found = true;
                    }
                }
                if (!found) {
                    pairs.add(new String[] {name, fuzz});
                }
                sent.add(fuzz);
            }
        }
        for (String[] p : pairs) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append(FuzzInputs.quote(p[0])).append(':').append(p[1]);
        }
        String text = s.append('}').toString();
        if (fuzz != null) {
            try {
                // What the server decodes: an escaped string's text, as an echo of it is no leak.
                sent.add(PLAIN.readTree(fuzz).asText());
            } catch (java.io.IOException | RuntimeException e) {
                // not a single JSON value on its own: the raw text is enough
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String object(Map<String, String> fields) {
        StringBuilder s = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append(FuzzInputs.quote(k)).append(':').append(v);
        });
        return s.append('}').toString();
    }

    // ---- the admin API ----

    /** Ids that are real but not of a user of this realm: the master admin, a client, a pass, the realm, a group. */
    static List<String> foreignIds(FuzzFixture f) {
        List<String> ids = new ArrayList<>();
        ids.add(f.server.admin().realm("master").users().search("admin", true).get(0).getId());
        ids.add(f.realm.admin().clients().findByClientId("governed-recovery-console").get(0).getId());
        ids.add(f.passIds.get("fz-pass-std"));
        ids.add(f.realm.admin().toRepresentation().getId());
        ids.add(f.realm.admin().groups().groups().get(0).getId());
        return ids;
    }

    /** Shared parts of the admin endpoints: the caller, the path user, headers. */
    abstract static class Admin extends Target {
        final FuzzFixture f;
        private List<String> foreign;

        Admin(FuzzFixture f, String name, double weight, List<Field> fields) {
            super(name, "admin API", weight, withAuthorization(fields));
            this.f = f;
        }

        static List<Field> withAuthorization(List<Field> fields) {
            return concat(fields, List.of(new Field("Authorization", Slot.HEADER, null, "token", HEADER_CLASSES)));
        }

        synchronized List<String> foreign() {
            if (foreign == null) {
                foreign = foreignIds(f);
            }
            return foreign;
        }

        /** Tokens of callers that may not do this (a plain user, an approver's console token, the account itself). */
        List<String> unauthorized(String account) {
            List<String> tokens = new ArrayList<>(List.of(f.token("fz-plain"), f.consoleToken("fz-appr-1")));
            if (account != null && !account.equals("fz-pass-off") && !account.equals("fz-bg")) {
                tokens.add(f.token(account));
            }
            return tokens;
        }

        Map<String, String> headers(Input in, List<String> sent, String account, boolean json) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (json) {
                headers.put("Content-Type", "application/json");
            }
            String token = f.adminToken();
            if (in.field.slot() == Slot.HEADER) {
                String auth = authorization(in, token, unauthorized(account));
                if (auth != null) {
                    headers.put("Authorization", auth);
                    sent.add(auth);
                }
            } else {
                headers.put("Authorization", "Bearer " + token);
            }
            return headers;
        }

        /** The path's user id: the account's, or the input's value when the user id is the fuzzed field. */
        String userSegment(Input in, List<String> sent, String account) {
            if (!in.field.name().equals("userId")) {
                return f.id(account);
            }
            if (in.cls == InputClass.OTHER_USER) {
                String id = foreign().get(in.random.nextInt(foreign().size()));
                sent.add(id);
                return id;
            }
            return pathValue(in, sent, f.id(account));
        }

        /** The accounts whose state this request could touch: those whose id the path names. */
        List<String> touched(String url) {
            List<String> names = new ArrayList<>();
            for (FuzzFixture.FuzzUser u : f.users()) {
                if (url.contains("/users/" + u.id() + "/") || url.contains("/break-glass/" + u.id() + "/")) {
                    names.add(u.name());
                }
            }
            return names;
        }

        Shot shot(Fuzzer.Worker worker, String method, String url, Map<String, String> headers, byte[] body,
                  List<String> sent) {
            return new Shot(new Request(method, url, headers, body, sent), touched(url), false,
                    worker.fuzzer()::sendPlain, answers -> { });
        }

        /** Extra query parameters (no endpoint takes them), for the fields named "extra". */
        String extra(Input in, List<String> sent) {
            return in.field.name().equals("extra") ? "?" + query(mutateParams(new ArrayList<>(), in, sent)) : "";
        }
    }

    static final Field EXTRA = new Field("extra", Slot.QUERY, null, "text", FORM_CLASSES);

    /** The strict reading of request bodies the admin API uses (Api.body): the mirror of what it accepts. */
    static final ObjectMapper STRICT = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** A pass request as the endpoint reads it. */
    record IssueRequest(String evidence, String ticket, Integer lifetimeMinutes, Boolean oneTime, Integer length,
                        String note) {
    }

    /** A break-glass test as the endpoint reads it. */
    record TestRequest(String ticket, String note) {
    }

    static final Pattern TICKET = Pattern.compile("[A-Za-z0-9._:/#-]{1,64}");

    static <T> T strictly(byte[] bytes, Class<T> type) {
        String body = new String(bytes, StandardCharsets.UTF_8);
        if (body.isBlank() || body.length() > 4096) {
            return null;
        }
        try {
            return STRICT.readValue(body, type);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    static boolean noteValid(String note) {
        return note == null || note.length() <= 200 && note.chars().noneMatch(Character::isISOControl);
    }

    /** Whether the pass endpoint would issue a pass for this body (its documented rules). */
    static boolean issueValid(byte[] body) {
        IssueRequest r = strictly(body, IssueRequest.class);
        return r != null && (r.lifetimeMinutes() == null || r.lifetimeMinutes() >= 1 && r.lifetimeMinutes() <= 480)
                && (r.length() == null || r.length() >= 8 && r.length() <= 24)
                && r.evidence() != null && Set.of("callback", "manager", "in-person", "video", "other")
                .contains(r.evidence())
                && r.ticket() != null && TICKET.matcher(r.ticket()).matches() && noteValid(r.note());
    }

    static boolean testValid(byte[] body) {
        TestRequest r = strictly(body, TestRequest.class);
        return r != null && r.ticket() != null && TICKET.matcher(r.ticket()).matches() && noteValid(r.note());
    }

    /** POST users/{id}/temporary-access-passes. */
    static final class PassIssue extends Admin {
        PassIssue(FuzzFixture f) {
            super(f, "admin API: POST users/{id}/temporary-access-passes", 5, List.of(
                    new Field("userId", Slot.PATH, null, "id", PATH_CLASSES),
                    new Field("evidence", Slot.JSON, "\"callback\"", "text", JSON_CLASSES),
                    new Field("ticket", Slot.JSON, "\"FUZZ-1\"", "text", JSON_CLASSES),
                    new Field("lifetimeMinutes", Slot.JSON, "60", "number", JSON_CLASSES),
                    new Field("oneTime", Slot.JSON, "true", "boolean", JSON_CLASSES),
                    new Field("length", Slot.JSON, "12", "number", JSON_CLASSES),
                    new Field("note", Slot.JSON, "\"fuzz\"", "text", JSON_CLASSES),
                    new Field("extra", Slot.JSON, null, "text", FuzzInputs.VALUE_CLASSES),
                    new Field("body", Slot.BODY, null, "json", BODY_CLASSES)));
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            fields.put("evidence", "\"callback\"");
            fields.put("ticket", "\"FUZZ-1\"");
            fields.put("lifetimeMinutes", "60");
            fields.put("oneTime", "true");
            fields.put("length", "12");
            fields.put("note", "\"fuzz\"");
            byte[] body = json(fields, in, sent);
            // A disabled or break-glass account is refused after the body is read; the others only when the mirror
            // of the endpoint's rules says the body is bad (a good one would issue a pass: legitimate).
            String account = FuzzInputs.pick(List.of("fz-pass-off", "fz-bg", "fz-pass-std", "fz-pass-priv"),
                    in.random);
            if (!in.field.name().equals("userId") && issueValid(body) && !account.equals("fz-bg")) {
                account = "fz-pass-off";
            }
            if (in.field.name().equals("userId") || in.field.slot() == Slot.HEADER) {
                // A caller the endpoint must refuse never gets a body it would take for an account that can get one.
                account = "fz-pass-off";
            }
            String user = userSegment(in, sent, account);
            String url = f.adminApi() + "users" + (user == null ? "" : "/" + user) + "/temporary-access-passes";
            return shot(worker, "POST", url, headers(in, sent, account, true), body, sent);
        }
    }

    /** GET users/{id}/temporary-access-passes. */
    static final class PassList extends Admin {
        PassList(FuzzFixture f) {
            super(f, "admin API: GET users/{id}/temporary-access-passes", 1.5, List.of(
                    new Field("userId", Slot.PATH, null, "id", PATH_CLASSES), EXTRA));
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            String user = userSegment(in, sent, "fz-pass-std");
            String url = f.adminApi() + "users" + (user == null ? "" : "/" + user) + "/temporary-access-passes"
                    + extra(in, sent);
            return shot(worker, "GET", url, headers(in, sent, "fz-pass-std", false), null, sent);
        }
    }

    /** POST users/{id}/temporary-access-passes/{passId}/approval (the caller issued the pass: never a second person). */
    static final class PassApprove extends Admin {
        PassApprove(FuzzFixture f) {
            super(f, "admin API: POST .../temporary-access-passes/{id}/approval", 2, List.of(
                    new Field("userId", Slot.PATH, null, "id", PATH_CLASSES),
                    new Field("passId", Slot.PATH, null, "id", PATH_CLASSES),
                    new Field("body", Slot.BODY, null, "json", BODY_CLASSES)));
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            String user = userSegment(in, sent, "fz-pass-priv");
            String pass = f.passIds.get("fz-pass-priv");
            if (in.field.name().equals("passId")) {
                pass = in.cls == InputClass.OTHER_USER ? f.passIds.get("fz-pass-std") : pathValue(in, sent, pass);
            }
            byte[] body = in.field.slot() == Slot.BODY ? FuzzInputs.body(in.cls, in.random, "{}") : null;
            String url = f.adminApi() + "users" + (user == null ? "" : "/" + user) + "/temporary-access-passes"
                    + (pass == null ? "" : "/" + pass) + "/approval";
            return shot(worker, "POST", url, headers(in, sent, "fz-pass-priv", true), body, sent);
        }
    }

    /** DELETE users/{id}/temporary-access-passes/{passId} (the right pair would revoke: legitimate, never sent). */
    static final class PassRevoke extends Admin {
        PassRevoke(FuzzFixture f) {
            super(f, "admin API: DELETE .../temporary-access-passes/{id}", 2, List.of(
                    new Field("userId", Slot.PATH, null, "id", PATH_CLASSES),
                    new Field("passId", Slot.PATH, null, "id", PATH_CLASSES)));
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            String user = userSegment(in, sent, "fz-pass-std");
            String pass = f.passIds.get("fz-pass-std");
            if (in.field.name().equals("passId")) {
                pass = in.cls == InputClass.OTHER_USER ? f.passIds.get("fz-pass-priv") : pathValue(in, sent, pass);
            }
            if (in.field.slot() == Slot.HEADER) {
                // A caller that may not revoke, on a pair that is no pass of the account (nothing to revoke if the
                // caller were let through).
                pass = f.passIds.get("fz-pass-priv");
            }
            String url = f.adminApi() + "users" + (user == null ? "" : "/" + user) + "/temporary-access-passes"
                    + (pass == null ? "" : "/" + pass);
            if (in.field.slot() != Slot.HEADER && f.id("fz-pass-std").equals(user)
                    && f.passIds.get("fz-pass-std").equals(pass)) {
                throw new Skip("a legitimate revocation", true);
            }
            return shot(worker, "DELETE", url, headers(in, sent, "fz-pass-std", false), null, sent);
        }
    }

    /** GET break-glass. */
    static final class BreakGlassList extends Admin {
        BreakGlassList(FuzzFixture f) {
            super(f, "admin API: GET break-glass", 1, List.of(EXTRA));
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            String url = f.adminApi() + "break-glass" + extra(in, sent);
            return shot(worker, "GET", url, headers(in, sent, null, false), null, sent);
        }
    }

    /** POST break-glass/{userId}/tests (a good body for the break-glass account records a test: legitimate). */
    static final class BreakGlassTest extends Admin {
        BreakGlassTest(FuzzFixture f) {
            super(f, "admin API: POST break-glass/{id}/tests", 4, List.of(
                    new Field("userId", Slot.PATH, null, "id", PATH_CLASSES),
                    new Field("ticket", Slot.JSON, "\"CHG-1\"", "text", JSON_CLASSES),
                    new Field("note", Slot.JSON, "\"fuzz\"", "text", JSON_CLASSES),
                    new Field("extra", Slot.JSON, null, "text", FuzzInputs.VALUE_CLASSES),
                    new Field("body", Slot.BODY, null, "json", BODY_CLASSES)));
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            fields.put("ticket", "\"CHG-1\"");
            fields.put("note", "\"fuzz\"");
            byte[] body = json(fields, in, sent);
            // The break-glass account only with a bad body or a caller that may not; a good body goes to a standard
            // account (refused as no break-glass account after the body is read).
            String account = in.random.nextBoolean() ? "fz-bg" : "fz-pass-std";
            if (account.equals("fz-bg") && testValid(body)) {
                account = "fz-pass-std";
            }
            if (in.field.name().equals("userId") || in.field.slot() == Slot.HEADER) {
                account = "fz-pass-std";
            }
            String user = userSegment(in, sent, account);
            String url = f.adminApi() + "break-glass" + (user == null ? "" : "/" + user) + "/tests";
            return shot(worker, "POST", url, headers(in, sent, account, true), body, sent);
        }
    }

    /** A read-only report endpoint (compliance, events, findings, policy): its query filters. */
    static final class Report extends Admin {
        final String path;

        Report(FuzzFixture f, String name, String path, double weight, List<Field> filters) {
            super(f, name, weight, concat(filters, List.of(EXTRA)));
            this.path = path;
        }

        @Override
        Shot prepare(Fuzzer.Worker worker, Input in) {
            List<String> sent = new ArrayList<>();
            List<Param> query = new ArrayList<>();
            for (Field field : fields) {
                if (field.slot() == Slot.QUERY && field.base() != null) {
                    query.add(new Param(field.name(), Value.of(field.base())));
                }
            }
            if (in.field.slot() == Slot.QUERY) {
                query = mutateParams(query, in, sent);
            }
            String url = f.adminApi() + path + (query.isEmpty() ? "" : "?" + query(query));
            return shot(worker, "GET", url, headers(in, sent, null, false), null, sent);
        }
    }
}
