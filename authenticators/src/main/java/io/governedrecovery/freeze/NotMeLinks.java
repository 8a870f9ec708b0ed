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
        long now = Clocks.millis() / 1000;
        NotMeToken token = new NotMeToken(user.getId(), notice, happenedAtMillis, RecoveryFreeze.generation(user),
                issuer(realm), now, now + lifetime.toSeconds());
        String key = session.tokens().encode(token);
        return UriBuilder.fromUri(Urls.realmBase(base).build()).path(realm.getName()).path("governed-recovery")
                .path(PATH).queryParam("key", key).build().toString();
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
        if (token == null || !NotMeToken.TYPE.equals(token.getType()) || !token.isActive()
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
        return Optional.of(new Verified(user, token.getNotice(), token.happenedAtMillis()));
    }

    /** A verified link: whose account, which notice, when it happened. */
    public record Verified(UserModel user, String notice, long happenedAtMillis) {
    }
}
