package io.governedrecovery.schema;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.timer.TimerProvider;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.compat.KeycloakVersionGate;
import io.governedrecovery.store.Counters;
import io.governedrecovery.store.EntityTables;
import io.governedrecovery.store.RecoveryCounterEntity;

/**
 * Adds Governed Recovery's tables to Keycloak's database (Liquibase changelog in the JAR) and removes expired counter
 * windows and old approval requests every ten minutes (an indexed delete; rows linger at most that long past their
 * expiry), on one cluster node at a time.
 */
public final class RecoveryStoreEntityProviderFactory implements JpaEntityProviderFactory {

    public static final String PROVIDER_ID = "governed-recovery-store";
    static final String CHANGELOG = "META-INF/governed-recovery-store-changelog.xml";
    private static final long CLEANUP_INTERVAL_MILLIS = 10 * 60 * 1000L;

    private static final JpaEntityProvider PROVIDER = new EntityTables(List.of(RecoveryCounterEntity.class,
            io.governedrecovery.approval.ApprovalEntity.class, io.governedrecovery.waiting.WaitingEntity.class),
            CHANGELOG, PROVIDER_ID);

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public void init(Config.Scope config) {
        // No settings. Refuse a Keycloak version the JAR was not built for, before any postInit (tables, workers).
        KeycloakVersionGate.require();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                try (KeycloakSession session = factory.create()) {
                    TimerProvider timer = session.getProvider(TimerProvider.class);
                    timer.schedule(new ClusterAwareScheduledTaskRunner(factory,
                            s -> {
                                Counters.deleteExpired(s);
                                io.governedrecovery.approval.Approvals.deleteOld(s, Clocks.millis());
                            }, CLEANUP_INTERVAL_MILLIS),
                            CLEANUP_INTERVAL_MILLIS, "governed-recovery-counter-cleanup");
                }
            }
        });
    }

    @Override
    public void close() {
        // Nothing held.
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
