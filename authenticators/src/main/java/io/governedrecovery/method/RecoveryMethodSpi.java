package io.governedrecovery.method;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The recovery-method SPI: "governed-recovery-method". */
public final class RecoveryMethodSpi implements Spi {

    public static final String NAME = "governed-recovery-method";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return RecoveryMethod.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return RecoveryMethodFactory.class;
    }
}
