package io.governedrecovery.it.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.governedrecovery.it.harness.FlowClient;

/**
 * The pages users saw during a fault, by kind: each answer is classified (one of our pages, Keycloak's own error or
 * expiry page, a JSON error, a blank answer, an answer showing a stack trace or internals, no answer at all) and
 * named by its status and the words the user read, so a report can list what people saw and a suite can fail on what
 * nobody may see.
 */
final class PageCatalog {

    /** What an answer is, for a user. */
    enum Kind {
        /** One of the pack's pages (a form of the reset, the contact change, the result pages). */
        OURS(true),
        /** A Keycloak page of the login flow (sign-in, reset request, new password). */
        KEYCLOAK_PAGE(true),
        /** Keycloak's themed error page ("We are sorry..." with its message). */
        KEYCLOAK_ERROR(true),
        /** Keycloak's "Page has expired" (restart or continue links). */
        KEYCLOAK_EXPIRED(true),
        /** A redirect (to the next page or back to the application). */
        REDIRECT(true),
        /** A JSON error of an endpoint without pages (token endpoint, admin API). */
        JSON_ERROR(true),
        /** An empty or whitespace body with an error status: the user sees a blank page. */
        BLANK(false),
        /** A body naming exceptions, Java classes or source lines. */
        STACK_TRACE(false),
        /** Anything else: an unthemed text page, an unknown page. */
        OTHER(false),
        /** The request got no answer within the client's timeout, or the connection failed. */
        NO_ANSWER(false);

        final boolean clear;

        Kind(boolean clear) {
            this.clear = clear;
        }
    }

    /** One answer: who asked what, what came back, how long it took. */
    record Seen(String step, int status, Kind kind, String words, Duration took) {

        String label() {
            return (status == 0 ? "no answer" : Integer.toString(status)) + " " + kind.name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + (words.isEmpty() ? "" : ": \"" + words + "\"");
        }
    }

    private static final Pattern TITLE = Pattern.compile("id=\"kc-page-title\"[^>]*>(.*?)</h1>", Pattern.DOTALL);
    private static final Pattern ERROR = Pattern.compile("id=\"kc-error-message\"[^>]*>\\s*<p[^>]*>(.*?)</p>",
            Pattern.DOTALL);
    private static final Pattern FEEDBACK = Pattern.compile("class=\"[^\"]*kc-feedback-text[^\"]*\"[^>]*>(.*?)</span>",
            Pattern.DOTALL);
    private static final Pattern INTERNALS = Pattern.compile(
            "\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$]+)+\\(|\\.java:\\d+\\)|[A-Z]\\w*Exception\\b|\\bio\\.governedrecovery\\."
                    + "|\\borg\\.(hibernate|keycloak|postgresql|jboss)\\.|\\bjava\\.(lang|sql|io)\\.|PSQL|SQLState");
    private static final Pattern OUR_FORM = Pattern.compile("id=\"governed-recovery-[a-z-]+\"");

    private final List<Seen> seen = new ArrayList<>();

    /** Classifies an answer. */
    static Seen classify(String step, FlowClient.Page page) {
        return classify(step, page.status(), page.body(), page.took());
    }

    static Seen classify(String step, int status, String body, Duration took) {
        String text = body == null ? "" : body;
        if (INTERNALS.matcher(text).find()) {
            Matcher m = INTERNALS.matcher(text);
            m.find();
            return new Seen(step, status, Kind.STACK_TRACE, m.group(), took);
        }
        if (status / 100 == 3) {
            return new Seen(step, status, Kind.REDIRECT, "", took);
        }
        if (text.isBlank()) {
            return new Seen(step, status, status / 100 == 2 ? Kind.OTHER : Kind.BLANK, "", took);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{") && trimmed.contains("\"error\"")) {
            String error = trimmed.replaceAll("(?s).*\"error\"\\s*:\\s*\"([^\"]*)\".*", "$1");
            String description = trimmed.contains("\"error_description\"") ? trimmed.replaceAll(
                    "(?s).*\"error_description\"\\s*:\\s*\"([^\"]*)\".*", "$1") : "";
            return new Seen(step, status, Kind.JSON_ERROR, words(error + (description.isEmpty() ? "" : ": "
                    + description)), took);
        }
        Matcher error = ERROR.matcher(text);
        if (error.find()) {
            return new Seen(step, status, Kind.KEYCLOAK_ERROR, words(error.group(1)), took);
        }
        if (text.contains("id=\"loginRestartLink\"") || text.contains("id=\"loginContinueLink\"")) {
            return new Seen(step, status, Kind.KEYCLOAK_EXPIRED, title(text), took);
        }
        String words = title(text);
        Matcher feedback = FEEDBACK.matcher(text);
        if (feedback.find()) {
            words = words + " / " + words(feedback.group(1));
        }
        if (OUR_FORM.matcher(text).find()) {
            return new Seen(step, status, Kind.OURS, words, took);
        }
        if (text.contains("id=\"kc-page-title\"")) {
            return new Seen(step, status, Kind.KEYCLOAK_PAGE, words, took);
        }
        return new Seen(step, status, Kind.OTHER, words(trimmed.length() > 80 ? trimmed.substring(0, 80) : trimmed),
                took);
    }

    /** An exchange that got no answer (timeout, refused connection). */
    static Seen noAnswer(String step, Throwable failure, Duration took) {
        String why = failure.getCause() != null ? failure.getCause().getClass().getSimpleName()
                : failure.getClass().getSimpleName();
        return new Seen(step, 0, Kind.NO_ANSWER, why, took);
    }

    synchronized Seen add(Seen s) {
        seen.add(s);
        return s;
    }

    synchronized Seen add(String step, FlowClient.Page page) {
        return add(classify(step, page));
    }

    synchronized List<Seen> all() {
        return List.copyOf(seen);
    }

    /** Answers nobody may see: blank, stack traces, unknown pages, 5xx that are not Keycloak's own themed pages. */
    synchronized List<Seen> unclear() {
        return seen.stream().filter(s -> !s.kind().clear
                || s.status() >= 500 && s.kind() != Kind.KEYCLOAK_ERROR && s.kind() != Kind.JSON_ERROR).toList();
    }

    /** Count per label, most frequent first. */
    synchronized Map<String, Integer> byLabel() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Seen s : seen) {
            counts.merge(s.label(), 1, Integer::sum);
        }
        return counts;
    }

    /** Per step: "step: 3 × 500 keycloak error: "…"; 1 × …", one line each. */
    synchronized List<String> byStep() {
        Map<String, Map<String, Integer>> steps = new TreeMap<>();
        for (Seen s : seen) {
            steps.computeIfAbsent(s.step(), k -> new TreeMap<>()).merge(s.label(), 1, Integer::sum);
        }
        List<String> lines = new ArrayList<>();
        steps.forEach((step, labels) -> {
            List<String> parts = new ArrayList<>();
            labels.forEach((label, n) -> parts.add(n + " × " + label));
            lines.add(step + ": " + String.join("; ", parts));
        });
        return lines;
    }

    synchronized Duration slowest() {
        return seen.stream().map(Seen::took).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** "12 × 500 keycloak error: "…"; 3 × 200 ours: "…"" for a report cell. */
    synchronized String summary() {
        List<String> parts = new ArrayList<>();
        byLabel().entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> parts.add(e.getValue() + " × " + e.getKey()));
        return parts.isEmpty() ? "none" : String.join("; ", parts).replace("|", "/");
    }

    private static String title(String html) {
        Matcher m = TITLE.matcher(html);
        return m.find() ? words(m.group(1)) : "";
    }

    /** Tags and entities out, whitespace collapsed, at most 90 characters. */
    static String words(String html) {
        String text = html.replaceAll("<[^>]*>", " ").replace("&nbsp;", " ").replace("&#39;", "'")
                .replace("&quot;", "\"").replace("&amp;", "&").replace("&hellip;", "...").replaceAll("\\s+", " ")
                .strip();
        return text.length() > 90 ? text.substring(0, 87) + "..." : text;
    }
}
