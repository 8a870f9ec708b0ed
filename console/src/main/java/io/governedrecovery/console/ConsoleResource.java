package io.governedrecovery.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.Urls;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * {@code /realms/<realm>/governed-recovery/console/...}: the recovery console's static files, from this JAR.
 *
 * <p>What it serves is fixed at build time: the files of {@code governed-recovery-console/} named in {@link #FILES}
 * (lower-case words, {@code views/helpdesk.js}), read into memory when the class loads; any other name is a 404 and
 * is never looked up or remembered, so no path reaches another resource of the class path and requests for made-up
 * names cost no memory.
 * The page holds no secret and no data: it signs in through the realm in the browser and reads everything from the
 * admin API with the person's own token. Every answer carries a Content-Security-Policy without inline script or
 * style and without any other origin; {@code index.html} is never cached (it names the files), the other files are
 * revalidated by their ETag (a new release changes them without a new name).
 */
public final class ConsoleResource {

    /** Class-path folder of the console's files. */
    static final String ROOT = "governed-recovery-console/";
    /** Where index.html names Keycloak's theme resources (PatternFly's stylesheet): {@code /resources/<version>}. */
    static final String RESOURCES_PLACEHOLDER = "%RESOURCES%";

    /**
     * The policy of every answer: scripts, styles, fonts and images of this server only (PatternFly comes from
     * Keycloak's own {@code /resources/}), calls to this server only (its token and admin endpoints), no frames, forms
     * posted to this server only (the sign-out, to the realm's logout endpoint; the other forms are handled by
     * script), no base URL, no plugin.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "object-src 'none'";

    /** The realm's browser security headers the console's answers keep (the others it sets itself). */
    static final List<BrowserSecurityHeaders> KEPT_HEADERS = List.of(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY,
            BrowserSecurityHeaders.X_ROBOTS_TAG);
    private static final Pattern FILE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*\\.(html|js|css|json|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml");
    /**
     * Every file of the console, by its name under {@link #ROOT}: nothing else is ever served. A new file is added
     * here too ({@code ConsoleFilesTest} fails while a file of the folder is missing from this list, or a name in it
     * is not a file).
     */
    static final List<String> FILES = List.of(
            "index.html",
            "app.js",
            "console.css",
            "lib/api.js",
            "lib/auth.js",
            "lib/dom.js",
            "lib/forms.js",
            "lib/i18n.js",
            "messages/de.json",
            "messages/en.json",
            "views/activity.js",
            "views/approvals.js",
            "views/findings.js",
            "views/helpdesk.js",
            "views/pass-queue.js",
            "views/passes.js",
            "views/policy.js");
    static final Asset MISSING = new Asset(null, null);
    /**
     * The files of {@link #FILES}, read once when the class loads: they are part of the JAR and never change while it
     * runs. Fixed: a request for any other name finds nothing here and adds nothing.
     */
    private static final Map<String, Asset> ASSETS = load();

    record Asset(byte[] bytes, String etag) {
    }

    private final KeycloakSession session;

    public ConsoleResource(KeycloakSession session) {
        this.session = session;
    }

    /**
     * The console's page; {@code .../console} without the slash goes to {@code .../console/}, where its files resolve.
     * That address is made from the server's base URI and the realm's name, never from the path as requested (which
     * could start with {@code //} and send the browser to another host).
     */
    @GET
    public Response index() {
        if (!session.getContext().getUri().getRequestUri().getRawPath().endsWith("/")) {
            URI console = Urls.realmBase(session.getContext().getUri().getBaseUri())
                    .path("{realm}/governed-recovery/console/").build(session.getContext().getRealm().getName());
            return secured(Response.status(Response.Status.FOUND).location(console)).build();
        }
        return page();
    }

    private Response page() {
        Asset page = asset("index.html");
        if (page == MISSING) {
            return notFound();
        }
        String resources = Urls.themeRoot(session.getContext().getUri().getBaseUri()).getRawPath();
        String html = new String(page.bytes(), StandardCharsets.UTF_8).replace(RESOURCES_PLACEHOLDER,
                attribute(resources));
        return secured(Response.ok(html, TYPES.get("html"))).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @GET
    @Path("{file: .+}")
    public Response file(@PathParam("file") String file, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (file.equals("index.html")) {
            return page();
        }
        Asset asset = servable(file) ? asset(file) : MISSING;
        if (asset == MISSING) {
            return notFound();
        }
        if (asset.etag().equals(ifNoneMatch)) {
            return secured(Response.notModified()).header(HttpHeaders.ETAG, asset.etag())
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
        }
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        return secured(Response.ok(asset.bytes(), type)).header(HttpHeaders.ETAG, asset.etag())
                .header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    private Response notFound() {
        return secured(Response.status(Response.Status.NOT_FOUND).entity("Not found").type("text/plain; charset=utf-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * The headers every answer of the console carries. Keycloak's own security-headers filter would replace this
     * policy with the realm's (made for its login pages), so it is told to leave these answers alone; the realm's
     * Strict-Transport-Security and X-Robots-Tag are kept, with Keycloak's defaults where the realm names none (an
     * empty value, the realm's way to turn one off, sends none).
     */
    private Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().skipHeaders();
        }
        Map<String, String> realm = session.getContext().getRealm() == null ? Map.of()
                : session.getContext().getRealm().getBrowserSecurityHeaders();
        for (BrowserSecurityHeaders kept : KEPT_HEADERS) {
            String value = realm == null || !realm.containsKey(kept.getKey()) ? kept.getDefaultValue()
                    : realm.get(kept.getKey());
            if (value != null && !value.isBlank()) {
                response.header(kept.getHeaderName(), value);
            }
        }
        return response.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** Whether a request may name {@code file}: lower-case words, folders and one known extension; nothing else. */
    static boolean servable(String file) {
        return file != null && file.length() <= 100 && FILE.matcher(file).matches();
    }

    /** How many files are held in memory. */
    static int cached() {
        return ASSETS.size();
    }

    /** A file of the console, or {@link #MISSING}. */
    static Asset asset(String name) {
        return name == null ? MISSING : ASSETS.getOrDefault(name, MISSING);
    }

    private static Map<String, Asset> load() {
        Map<String, Asset> assets = new HashMap<>();
        for (String name : FILES) {
            Asset asset = read(name);
            if (asset != MISSING) {
                assets.put(name, asset);
            }
        }
        return Map.copyOf(assets);
    }

    private static Asset read(String name) {
        try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return MISSING;
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(bytes, "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(bytes), 0, 16) + "\"");
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("The recovery console cannot read its file " + name, e);
        }
    }

    /** {@code value} for a double-quoted HTML attribute. */
    static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
