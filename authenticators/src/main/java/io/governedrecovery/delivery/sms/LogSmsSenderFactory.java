package io.governedrecovery.delivery.sms;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * "log": development only. Writes each text message, code included, to the server log instead of sending it.
 * Select it with {@code --spi-governed-recovery-sms-sender--provider=log}; never in production.
 */
public final class LogSmsSenderFactory implements SmsSenderFactory {

    public static final String PROVIDER_ID = "log";

    private static final Logger LOG = Logger.getLogger(LogSmsSenderFactory.class);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public void init(Config.Scope config) {
        // No settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Warned on first use, so a server that only has it installed is not noisy.
    }

    @Override
    public SmsSender create(KeycloakSession session) {
        return (realm, number, text) -> LOG.warnf("DEVELOPMENT SMS sender (never use in production) to %s in realm %s: %s",
                number, realm.getName(), text);
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
