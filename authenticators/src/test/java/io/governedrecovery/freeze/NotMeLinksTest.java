package io.governedrecovery.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.TokenManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

/**
 * What a "This was not me" or cancel link must be before it is believed, with Keycloak's token manager faked: the
 * realm's internal HMAC algorithm (checked before Keycloak decodes it, so no other key of the realm may sign a link),
 * the link's type, this realm as issuer, an existing account and the account's current link generation.
 */
class NotMeLinksTest {

    private static final String REALM_ID = "realm-1";
    private static final String USER_ID = "user-1";

    /** A session whose token manager returns {@code token} for any key, and counts the keys it was asked to decode. */
    private static final class Fake {
        final List<String> decoded = new ArrayList<>();
        final Map<String, String> attributes;
        final NotMeToken token;

        Fake(NotMeToken token, Map<String, String> attributes) {
            this.token = token;
            this.attributes = attributes;
        }

        KeycloakSession session() {
            TokenManager tokens = proxy(TokenManager.class, (method, args) -> {
                if (method.equals("decode")) {
                    decoded.add((String) args[0]);
                    return token;
                }
                throw new UnsupportedOperationException(method);
            });
            UserModel user = proxy(UserModel.class, (method, args) -> switch (method) {
                case "getId" -> USER_ID;
                case "getFirstAttribute" -> attributes.get((String) args[0]);
                default -> throw new UnsupportedOperationException(method);
            });
            UserProvider users = proxy(UserProvider.class, (method, args) -> {
                if (method.equals("getUserById")) {
                    return USER_ID.equals(args[1]) ? user : null;
                }
                throw new UnsupportedOperationException(method);
            });
            return proxy(KeycloakSession.class, (method, args) -> switch (method) {
                case "tokens" -> tokens;
                case "users" -> users;
                default -> throw new UnsupportedOperationException(method);
            });
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(NotMeLinksTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> method.getName().equals("toString") ? "fake " + type.getSimpleName()
                        : answer.answer(method.getName(), args));
    }

    private static RealmModel realm() {
        return proxy(RealmModel.class, (method, args) -> {
            if (method.equals("getId")) {
                return REALM_ID;
            }
            throw new UnsupportedOperationException(method);
        });
    }

    private static NotMeToken token(String type, String issuer, long generation) {
        long now = Time.currentTime();
        return new NotMeToken(type, USER_ID, "password-reset", now * 1000L, generation, issuer, now, now + 3600, null);
    }

    private static NotMeToken valid() {
        return token(NotMeToken.TYPE, NotMeLinks.issuer(realm()), 0);
    }

    /** A compact JWS with the given header algorithm (the fake token manager does not read the rest). */
    private static String key(String alg) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("signature".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_link_signed_with_the_realms_internal_algorithm_is_decoded_and_believed() {
        Fake fake = new Fake(valid(), Map.of());
        var verified = NotMeLinks.verify(fake.session(), realm(), key(Constants.INTERNAL_SIGNATURE_ALGORITHM));
        assertThat(verified).isPresent();
        assertThat(verified.get().user().getId()).isEqualTo(USER_ID);
        assertThat(verified.get().notice()).isEqualTo("password-reset");
        assertThat(fake.decoded).hasSize(1);
    }

    @Test
    void a_link_with_any_other_algorithm_is_refused_before_keycloak_decodes_it() {
        for (String alg : List.of("RS256", "ES256", "PS256", "HS256", "none", "hs512")) {
            Fake fake = new Fake(valid(), Map.of());
            assertThat(NotMeLinks.verify(fake.session(), realm(), key(alg))).as(alg).isEmpty();
            assertThat(fake.decoded).as(alg + ": never handed to Keycloak's decoder").isEmpty();
        }
    }

    @Test
    void a_link_that_is_not_a_compact_token_is_refused() {
        for (String key : List.of("", "abc", "a.b.c", "%%%.%%%.%%%", "x".repeat(4097))) {
            Fake fake = new Fake(valid(), Map.of());
            assertThat(NotMeLinks.verify(fake.session(), realm(), key)).as(key).isEmpty();
        }
    }

    @Test
    void a_link_of_another_type_realm_or_generation_is_refused() {
        String hmac = key(Constants.INTERNAL_SIGNATURE_ALGORITHM);
        assertThat(NotMeLinks.verify(new Fake(token(NotMeToken.TYPE_WAIT_CANCEL, NotMeLinks.issuer(realm()), 0),
                Map.of()).session(), realm(), hmac)).as("a cancel link taken for a report").isEmpty();
        assertThat(NotMeLinks.verify(new Fake(token(NotMeToken.TYPE, "urn:governed-recovery:not-me:realm-2", 0),
                Map.of()).session(), realm(), hmac)).as("another realm's link").isEmpty();
        assertThat(NotMeLinks.verify(new Fake(valid(), Map.of(RecoveryFreeze.GENERATION, "1")).session(), realm(),
                hmac)).as("issued before the helpdesk lifted a freeze").isEmpty();
        assertThat(NotMeLinks.verify(new Fake(valid(), Map.of(RecoveryFreeze.GENERATION, "1")).session(), realm(),
                hmac, NotMeToken.TYPE_WAIT_CANCEL)).as("a report taken for a cancel link").isEmpty();
    }

    /** The base of links comes from the realm's frontend URL or Keycloak's hostname, never from a request. */
    @Test
    void links_have_a_base_only_from_the_frontend_url_or_the_hostname_option() {
        String property = "keycloak.hostname.v2.hostname";
        String before = System.getProperty(property);
        try {
            System.clearProperty(property);
            assertThat(NotMeLinks.base(realmWithFrontend(null))).as("neither: no links, so no wait is offered")
                    .isEmpty();
            assertThat(NotMeLinks.base(realmWithFrontend("javascript:alert(1)"))).as("not http(s)").isEmpty();
            assertThat(NotMeLinks.base(realmWithFrontend("https://id.example/auth")))
                    .contains(java.net.URI.create("https://id.example/auth"));
            System.setProperty(property, "id.example");
            assertThat(NotMeLinks.base(realmWithFrontend(null))).as("a host name is served over https")
                    .contains(java.net.URI.create("https://id.example"));
            System.setProperty(property, "http://id.example:8080");
            assertThat(NotMeLinks.base(realmWithFrontend(" "))).contains(java.net.URI.create("http://id.example:8080"));
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    private static RealmModel realmWithFrontend(String frontendUrl) {
        return proxy(RealmModel.class, (method, args) -> {
            if (method.equals("getAttribute") && "frontendUrl".equals(args[0])) {
                return frontendUrl;
            }
            throw new UnsupportedOperationException(method);
        });
    }
}
