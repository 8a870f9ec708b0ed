package io.governedrecovery.approval;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.governedrecovery.spi.StatelessFactory;

/** Registers {@link ApprovalResource} at {@code /realms/<realm>/governed-recovery}. */
public final class ApprovalResourceFactory implements RealmResourceProviderFactory,
        StatelessFactory<RealmResourceProvider> {

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
}
