package io.governedrecovery.freeze;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import org.keycloak.Config;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;

import jakarta.ws.rs.core.UriBuilder;

import io.governedrecovery.clock.Clocks;

/**
 * "This was not me" links: {@code /realms/<realm>/governed-recovery/not-me?key=<signed token>}, put in every notice an
 * account's owner gets. Opening the link (GET) only shows what happened; only the page's button (POST) reports it.
 *
 * <p>A link issued before the helpdesk last lifted the account's freeze is refused (each lift starts a new generation
 * of the account's links), so an old notice cannot freeze the account again once the helpdesk has dealt with the
 * report.
 */
public final class NotMeLinks {

    public static final String PATH = "not-me";
    public static final String CANCEL_PATH = "waiting-cancel";
    /** The notice kinds a link may name (what the confirmation page describes). */
    private static final Pattern NOTICE = Pattern.compile("[a-z][a-z-]{1,40}");

    private NotMeLinks() {
    }

    /**
     * The link for a notice to {@code user} about {@code notice} that happened at {@code happenedAtMillis}, valid for
     * {@code lifetime}, on the frontend base URL {@code base} (the request's, or what {@link #base} found).
     */
    public static String link(KeycloakSession session, RealmModel realm, UserModel user, String notice,
                              long happenedAtMillis, Duration lifetime, URI base) {
        if (!NOTICE.matcher(notice).matches()) {
            throw new IllegalArgumentException("not a notice kind: " + notice);
        }
        return link(session, realm, NotMeToken.TYPE, PATH, user, notice, happenedAtMillis, lifetime, base, null);
    }

    /**
     * The plain cancel link of the waiting recovery {@code waitId} of {@code user} (started at
     * {@code startedAtMillis}): {@code /realms/<realm>/governed-recovery/waiting-cancel?key=...}, valid {@code lifetime}.
     */
    public static String cancelLink(KeycloakSession session, RealmModel realm, UserModel user, String waitId,
                                    long startedAtMillis, Duration lifetime, URI base) {
        return link(session, realm, NotMeToken.TYPE_WAIT_CANCEL, CANCEL_PATH, user, "waiting-started",
                startedAtMillis, lifetime, base, waitId);
    }

    private static String link(KeycloakSession session, RealmModel realm, String type, String path, UserModel user,
                               String notice, long happenedAtMillis, Duration lifetime, URI base, String waitId) {
        long now = Clocks.millis() / 1000;
        NotMeToken token = new NotMeToken(type, user.getId(), notice, happenedAtMillis,
                RecoveryFreeze.generation(user), issuer(realm), now, now + lifetime.toSeconds(), waitId);
        String key = session.tokens().encode(token);
        return UriBuilder.fromUri(Urls.realmBase(base).build()).path(realm.getName()).path("governed-recovery")
                .path(path).queryParam("key", key).build().toString();
    }

    /**
     * The base URL for links, never taken from a request (whose Host header a client chooses): the realm's frontend URL
     * when it has one, else Keycloak's {@code hostname} option when it is a URL (or a host name, served over https),
     * else none, and the notice goes without the link.
     */
    public static Optional<URI> base(RealmModel realm) {
        Optional<URI> frontend = url(realm.getAttribute("frontendUrl"));
        if (frontend.isPresent()) {
            return frontend;
        }
        String hostname = Config.scope("hostname", "v2").get("hostname");
        if (hostname == null || hostname.isBlank()) {
            return Optional.empty();
        }
        String h = hostname.trim();
        return url(h.startsWith("http://") || h.startsWith("https://") ? h : "https://" + h);
    }

    private static Optional<URI> url(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(raw.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    /** The issuer of this realm's links: tied to the realm, not to a host name (links also leave background tasks). */
    static String issuer(RealmModel realm) {
        return "urn:governed-recovery:not-me:" + realm.getId();
    }

    /** The link's token when {@code key} is a valid, unexpired link of this realm for an existing account. */
    public static Optional<Verified> verify(KeycloakSession session, RealmModel realm, String key) {
        return verify(session, realm, key, NotMeToken.TYPE);
    }

    /** The link's token when {@code key} is a valid, unexpired link of {@code type} of this realm. */
    public static Optional<Verified> verify(KeycloakSession session, RealmModel realm, String key, String type) {
        if (key == null || key.isEmpty() || key.length() > 4096) {
            return Optional.empty();
        }
        NotMeToken token;
        try {
            // Only the realm's internal (HMAC) algorithm: no other key of the realm may sign a link.
            if (!Constants.INTERNAL_SIGNATURE_ALGORITHM.equals(new JWSInput(key).getHeader().getRawAlgorithm())) {
                return Optional.empty();
            }
            token = session.tokens().decode(key, NotMeToken.class);
        } catch (JWSInputException | RuntimeException malformed) {
            return Optional.empty();
        }
        if (token == null || !type.equals(token.getType()) || !token.isActive()
                || !issuer(realm).equals(token.getIssuer()) || token.getSubject() == null
                || token.getNotice() == null || !NOTICE.matcher(token.getNotice()).matches()) {
            return Optional.empty();
        }
        UserModel user = session.users().getUserById(realm, token.getSubject());
        if (user == null) {
            return Optional.empty();
        }
        if (token.getGeneration() != RecoveryFreeze.generation(user)) {
            return Optional.empty(); // issued before the helpdesk last lifted a freeze
        }
        if (NotMeToken.TYPE_WAIT_CANCEL.equals(type) && (token.getWaitId() == null
                || token.getWaitId().length() > 36)) {
            return Optional.empty();
        }
        return Optional.of(new Verified(user, token.getNotice(), token.happenedAtMillis(), token.getWaitId()));
    }

    /** A verified link: whose account, which notice, when it happened (and for a cancel link, which wait). */
    public record Verified(UserModel user, String notice, long happenedAtMillis, String waitId) {
    }
}
