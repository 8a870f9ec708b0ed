package io.governedrecovery.delivery;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The outbound-delivery SPI: "governed-recovery-delivery". */
public final class RecoveryDeliverySpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "governed-recovery-delivery";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return RecoveryDelivery.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return RecoveryDeliveryFactory.class;
    }
}
