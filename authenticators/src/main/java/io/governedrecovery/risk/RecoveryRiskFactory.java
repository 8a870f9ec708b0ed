package io.governedrecovery.risk;

import org.keycloak.provider.ProviderFactory;

/** Factory of {@link RecoveryRisk}. */
public interface RecoveryRiskFactory extends ProviderFactory<RecoveryRisk> {
}
