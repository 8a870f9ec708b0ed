package io.governedrecovery.tap;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers the temporary access pass credential type ({@value TemporaryAccessPasses#TYPE}) with Keycloak. */
public final class TemporaryAccessPassCredentialProviderFactory
        implements CredentialProviderFactory<TemporaryAccessPassCredentialProvider> {

    public static final String PROVIDER_ID = "governed-recovery-tap";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public TemporaryAccessPassCredentialProvider create(KeycloakSession session) {
        return new TemporaryAccessPassCredentialProvider(session);
    }
}
