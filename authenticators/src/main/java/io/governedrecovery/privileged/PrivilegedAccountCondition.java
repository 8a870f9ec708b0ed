package io.governedrecovery.privileged;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.flow.Condition;

/** Condition that is true when the flow's user is a privileged account. Stateless: one instance serves all flows. */
final class PrivilegedAccountCondition implements Condition {

    private static final Logger LOG = Logger.getLogger(PrivilegedAccountCondition.class);

    static final PrivilegedAccountCondition SINGLETON = new PrivilegedAccountCondition();

    private PrivilegedAccountCondition() {
    }

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        TierDefinition definition;
        try {
            definition = TierDefinition.from(context.getAuthenticatorConfig()).withApproversOf(context.getRealm());
        } catch (IllegalArgumentException badConfig) {
            // Fail closed: a broken definition must never move an account into the weaker branch.
            LOG.errorf("Privileged-account condition in realm '%s' is misconfigured, treating the user as privileged: %s",
                    context.getRealm().getName(), badConfig.getMessage());
            return true;
        }
        // Break-glass accounts count as privileged wherever this condition is used (they never reach a reset step).
        return !EventDetails.TIER_STANDARD.equals(
                Tiers.of(context.getSession(), context.getRealm(), context.getUser(), definition));
    }

    @Override
    public boolean requiresUser() {
        return true;
    }
}
