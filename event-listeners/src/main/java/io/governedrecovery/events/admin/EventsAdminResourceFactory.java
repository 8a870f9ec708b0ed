package io.governedrecovery.events.admin;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.governedrecovery.events.RecoveryEventListenerFactory;

/**
 * {@code /realms/<realm>/governed-recovery-events/...}: recent recovery events and findings for security teams, as
 * JSON or CSV. Needs realm-management's view-events role (or a master admin).
 */
public final class EventsAdminResourceFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "governed-recovery-events";

    private KeycloakSessionFactory sessions;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                var factory = sessions.getProviderFactory(EventListenerProvider.class,
                        RecoveryEventListenerFactory.PROVIDER_ID);
                return new EventsAdminResource(session,
                        factory instanceof RecoveryEventListenerFactory l ? l.pipeline() : null);
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
        this.sessions = factory;
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
