package io.governedrecovery.delivery.sms;

import java.io.IOException;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/** Sends a text message. Called only from delivery workers, never on a request thread. */
public interface SmsSender extends Provider {

    /** Sends {@code text} to {@code number} (E.164); throws when the gateway does not accept it. */
    void send(RealmModel realm, String number, String text) throws IOException;

    @Override
    default void close() {
    }
}
