package io.governedrecovery.reset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import jakarta.ws.rs.core.NewCookie;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.waiting.WaitingRecoveries;
import io.governedrecovery.waiting.WaitingRecovery;

/**
 * Waiting-period recovery (issue 16, in progress): who may start one, and the browser binding. A user who proved one
 * method of a standard account that cannot meet the policy may wait instead of calling the helpdesk; the wait is
 * bound to this browser by a random secret in a cookie, of which only the hash is stored.
 */
final class WaitingPeriod {

    /** The cookie holding the browser's secret, per realm (path /realms/<realm>/). */
    static final String COOKIE = "GOVERNED_RECOVERY_WAIT";

    private WaitingPeriod() {
    }

    /**
     * The hours of the wait this flow may offer, or 0: the realm offers waits, this is the standard branch of a
     * standard account that is not frozen, at least one method was proven in this flow, and the risk is normal.
     */
    static long offer(AuthenticationFlowContext context, ResetSettings policy, ResetState state, boolean riskElevated) {
        ResetSettings.OwnerDefence owner = ResetConsequences.ownerDefence(context.getSession(), context.getRealm());
        UserModel user = context.getUser();
        if (!owner.waitingPeriod() || user == null || policy.branch() != ResetSettings.Branch.STANDARD
                || state.verified().isEmpty() || riskElevated || RecoveryFreeze.isFrozen(user)
                || !EventDetails.TIER_STANDARD.equals(Tiers.of(context.getSession(), context.getRealm(), user))) {
            return 0;
        }
        return owner.waitingPeriodLength().toHours();
    }

    /** A new browser secret and the cookie that carries it. */
    record Binding(String secret, String hash) {
        static Binding fresh() {
            String secret = SecretGenerator.getInstance().randomString(43);
            return new Binding(secret, sha256(secret));
        }
    }

    static NewCookie cookie(RealmModel realm, Binding binding, long maxAgeSeconds, boolean secure) {
        return new NewCookie.Builder(COOKIE).value(binding.secret()).path("/realms/" + realm.getName() + "/")
                .maxAge((int) Math.min(Integer.MAX_VALUE, maxAgeSeconds)).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Whether this request's browser is the one the wait is bound to (constant-time comparison of the hashes). */
    static boolean sameBrowser(AuthenticationFlowContext context, WaitingRecovery wait) {
        var cookie = context.getHttpRequest().getHttpHeaders().getCookies().get(COOKIE);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().length() > 128) {
            return false;
        }
        return MessageDigest.isEqual(sha256(cookie.getValue()).getBytes(StandardCharsets.US_ASCII),
                wait.binding().getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<WaitingRecovery> current(AuthenticationFlowContext context, UserModel user) {
        return new WaitingRecoveries(context.getSession()).of(context.getRealm().getId(), user.getId());
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
