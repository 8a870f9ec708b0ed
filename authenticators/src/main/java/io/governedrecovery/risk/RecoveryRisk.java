package io.governedrecovery.risk;

import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.Provider;

import io.governedrecovery.core.risk.Risk;

/**
 * The current risk of a recovery, from the anomaly scorer's recent findings for the account and the source address.
 * Served by the event pipeline ({@code governed-recovery-events}); without it every risk is {@link Risk#NONE}.
 */
public interface RecoveryRisk extends Provider {

    /**
     * @param user      the account, or null for a name that matched none
     * @param typedName the name typed on the reset page (used when {@code user} is null)
     * @param ipAddress the request's source address
     */
    Risk of(RealmModel realm, UserModel user, String typedName, String ipAddress);

    @Override
    default void close() {
    }
}
