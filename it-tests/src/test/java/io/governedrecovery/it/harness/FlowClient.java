package io.governedrecovery.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Walks Keycloak's login pages with plain HTTP, for what a browser cannot do well: timing many requests and sending
 * crafted or oversized form values. Keeps cookies itself, because Keycloak marks them Secure even on loopback http.
 */
public final class FlowClient {

    /** One answer: status, body and the time the server took, measured around the exchange. */
    public record Page(int status, String body, Duration took) {

        /** The action URL of the form with {@code formId}, HTML entities undone. */
        public String formAction(String formId) {
            Matcher m = Pattern.compile("<form[^>]*id=\"" + Pattern.quote(formId) + "\"[^>]*>", Pattern.DOTALL)
                    .matcher(body);
            if (!m.find()) {
                throw new AssertionError("No form " + formId + " on the page (status " + status + "):\n" + abbreviated());
            }
            Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(m.group());
            if (!action.find()) {
                throw new AssertionError("Form " + formId + " has no action");
            }
            return unescape(action.group(1));
        }

        /** The href of the first link whose URL contains {@code fragment}. */
        public String link(String fragment) {
            Matcher m = Pattern.compile("href=\"([^\"]*" + Pattern.quote(fragment) + "[^\"]*)\"").matcher(body);
            if (!m.find()) {
                throw new AssertionError("No link with " + fragment + " on the page:\n" + abbreviated());
            }
            return unescape(m.group(1));
        }

        public boolean has(String text) {
            return body.contains(text);
        }

        String abbreviated() {
            return body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
        }
    }

    private final HttpClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final String language;
    private Duration timeout = Duration.ofSeconds(30);

    /**
     * How long a request may take before the client gives up (30 s unless set): a load that saturates the server
     * waits as long as a browser would.
     */
    public FlowClient timeout(Duration requestTimeout) {
        this.timeout = requestTimeout;
        return this;
    }

    /** A client whose browser language is English. */
    public FlowClient() {
        this("en");
    }

    /** A client whose browser asks for {@code language} (Accept-Language). */
    public FlowClient(String language) {
        this(language, null);
    }

    private FlowClient(String language, javax.net.ssl.SSLContext ssl) {
        this(language, ssl, HttpClient.Version.HTTP_2);
    }

    private FlowClient(String language, javax.net.ssl.SSLContext ssl, HttpClient.Version version) {
        this.language = language;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .version(version);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
    }

    /**
     * An English client speaking HTTP/1.1 only, as a browser does over plain http (no h2c upgrade): what a server
     * answers to malformed or oversized requests differs between the two.
     */
    public static FlowClient http1() {
        return new FlowClient("en", null, HttpClient.Version.HTTP_1_1);
    }

    /** An English client that trusts the certificate of a server over HTTPS (a generated one). */
    public static FlowClient trusting(TlsCertificate certificate) {
        return new FlowClient("en", certificate.sslContext());
    }

    /** Sends {@code name: value} with every following request (for example X-Forwarded-For). */
    public FlowClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** GET, following redirects (each hop's cookies kept). */
    public Page get(String url) {
        String current = resolve(url);
        for (int hop = 0; hop < 10; hop++) {
            Page page = exchange(HttpRequest.newBuilder(URI.create(current)).GET());
            String location = lastLocation;
            if (page.status() / 100 == 3 && location != null) {
                current = URI.create(current).resolve(location).toString();
                continue;
            }
            lastUrl = current;
            return page;
        }
        throw new AssertionError("Too many redirects from " + url);
    }

    /** POSTs a form (values URL-encoded as given); does not follow a redirect. */
    public Page post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return exchange(HttpRequest.newBuilder(URI.create(resolve(url)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs a form and follows a redirect answer to the page it leads to, as a browser does. */
    public Page postFollowing(String url, Map<String, String> form) {
        Page page = post(url, form);
        if (page.status() / 100 == 3 && lastLocation != null) {
            return get(URI.create(resolve(url)).resolve(lastLocation).toString());
        }
        return page;
    }

    /**
     * On the methods page, picks {@code method} and verifies the code {@code code} gives once it was picked (a sent
     * code arrives only then); returns the page after, following a redirect.
     */
    public Page prove(Page methods, String method, java.util.function.Supplier<String> code) {
        Page codePage = post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", method));
        return postFollowing(codePage.formAction("governed-recovery-code-form"),
                Map.of("action", "verify", "code", code.get()));
    }

    /** POSTs a raw body, for malformed requests. */
    public Page postRaw(String url, String contentType, String body) {
        return exchange(HttpRequest.newBuilder(URI.create(resolve(url))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String lastLocation;
    private String lastUrl;
    private Page lastPage;

    /** The value of a cookie this client holds, or null (for example AUTH_SESSION_ID). */
    public String cookie(String name) {
        return cookies.get(name);
    }

    /** The Location header of the last answer (a redirect), or null. */
    public String lastLocation() {
        return lastLocation;
    }

    /** The last page this client received. */
    public Page lastPage() {
        return lastPage;
    }

    /** The action of the form {@code formId} on the last page received. */
    public String lastForm(String formId) {
        return lastPage.formAction(formId);
    }

    /** A page's links and form actions may be relative to the page they came from. */
    private String resolve(String url) {
        return lastUrl == null ? url : URI.create(lastUrl).resolve(url).toString();
    }

    private Page exchange(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        request.header("Accept-Language", language);
        headers.forEach(request::header);
        request.timeout(timeout);
        try {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            List<String> setCookies = response.headers().allValues("Set-Cookie");
            for (String setCookie : setCookies) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String value = pair.substring(eq + 1);
                    if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                        cookies.remove(pair.substring(0, eq));
                    } else {
                        cookies.put(pair.substring(0, eq), value);
                    }
                }
            }
            lastLocation = response.headers().firstValue("Location").orElse(null);
            lastPage = new Page(response.statusCode(), response.body(), took);
            return lastPage;
        } catch (IOException e) {
            throw new AssertionError("HTTP exchange failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&#x3D;", "=").replace("&#61;", "=").replace("&quot;", "\"");
    }

    /** Opens the realm's sign-in page and follows "Forgot Password?": the reset request page. */
    public Page openResetPage(TestRealm realm) {
        Page login = get(realm.signInUrl());
        return get(login.link("/login-actions/reset-credentials"));
    }

    /** Submits a name on the reset request page; returns the next page (the method selection). */
    public Page requestReset(Page resetPage, String username) {
        return post(resetPage.formAction("kc-reset-password-form"), Map.of("username", username));
    }
}
