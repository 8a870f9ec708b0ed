package io.governedrecovery.events;

import java.util.Locale;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import io.governedrecovery.core.risk.Hashing;
import io.governedrecovery.core.risk.Risk;
import io.governedrecovery.risk.RecoveryRisk;
import io.governedrecovery.risk.RecoveryRiskFactory;

/** Serves {@link RecoveryRisk} from this node's anomaly scorer, which sees the whole cluster's events. */
public final class PipelineRiskFactory implements RecoveryRiskFactory {

    public static final String PROVIDER_ID = "default";

    private KeycloakSessionFactory sessions;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RecoveryRisk create(KeycloakSession session) {
        return (realm, user, typedName, ip) -> {
            var factory = sessions.getProviderFactory(EventListenerProvider.class,
                    RecoveryEventListenerFactory.PROVIDER_ID);
            if (!(factory instanceof RecoveryEventListenerFactory listener) || listener.pipeline() == null) {
                return Risk.NONE;
            }
            String account = user != null ? "user:" + user.getId()
                    : "name:" + (typedName == null ? "" : typedName.toLowerCase(Locale.ROOT));
            return listener.pipeline().risk(Hashing.scoped(realm.getId(), account), Hashing.scoped(realm.getId(), ip));
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
