package io.governedrecovery.delivery;

import org.keycloak.provider.ProviderFactory;

/** Factory of {@link RecoveryDelivery}. */
public interface RecoveryDeliveryFactory extends ProviderFactory<RecoveryDelivery> {
}
