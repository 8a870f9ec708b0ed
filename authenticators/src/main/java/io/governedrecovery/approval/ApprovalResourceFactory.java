package io.governedrecovery.approval;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Registers {@link ApprovalResource} at {@code /realms/<realm>/governed-recovery}. */
public final class ApprovalResourceFactory implements RealmResourceProviderFactory {

    @Override
    public String getId() {
        return ApprovalLinks.RESOURCE;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new ApprovalResource(session);
            }

            @Override
            public void close() {
                // per request
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        // No settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Nothing to start.
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
