package io.governedrecovery.risk;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The recovery-risk SPI: "governed-recovery-risk". */
public final class RecoveryRiskSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "governed-recovery-risk";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return RecoveryRisk.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return RecoveryRiskFactory.class;
    }
}
