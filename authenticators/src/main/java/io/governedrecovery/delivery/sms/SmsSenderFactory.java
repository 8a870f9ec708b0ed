package io.governedrecovery.delivery.sms;

import org.keycloak.provider.ProviderFactory;

/** Factory of an {@link SmsSender}. Pick one with {@code --spi-governed-recovery-sms-sender--provider=<id>}. */
public interface SmsSenderFactory extends ProviderFactory<SmsSender> {
}
