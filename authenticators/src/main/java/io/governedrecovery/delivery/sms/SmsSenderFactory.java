package io.governedrecovery.delivery.sms;

import org.keycloak.provider.ProviderFactory;

/** Factory of an {@link SmsSender}. Pick one with {@code --spi-governed-recovery-sms-sender--provider=<id>}. */
public interface SmsSenderFactory extends ProviderFactory<SmsSender> {

    /** Why this sender cannot send (for example no gateway URL set), or null when it can. */
    default String notReady() {
        return null;
    }
}
