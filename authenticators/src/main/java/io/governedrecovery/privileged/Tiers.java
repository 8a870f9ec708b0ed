package io.governedrecovery.privileged;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.event.EventDetails;

/**
 * An account's recovery tier: break-glass (never self-service), privileged (the stricter branch) or standard. Used
 * wherever the tier must be known outside a flow, for example to tag sign-in events for the scorer.
 */
public final class Tiers {

    /** User attribute that marks a break-glass account ("true"). */
    public static final String BREAK_GLASS_ATTRIBUTE = "governed-recovery.break-glass";

    private Tiers() {
    }

    public static String of(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return EventDetails.TIER_STANDARD;
        }
        if ("true".equalsIgnoreCase(user.getFirstAttribute(BREAK_GLASS_ATTRIBUTE))) {
            return EventDetails.TIER_BREAK_GLASS;
        }
        return PrivilegedAccountMatcher.isPrivileged(session, realm, user, PrivilegedAccountConfig.DEFAULTS)
                ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD;
    }
}
