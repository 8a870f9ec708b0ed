package io.governedrecovery.events.store;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

import io.governedrecovery.spi.StatelessFactory;
import io.governedrecovery.store.EntityTables;

/**
 * Adds the event pipeline's tables (records, deliveries, leases, notices, department baselines) to Keycloak's database,
 * through a Liquibase changelog.
 */
public final class EventsStoreEntityProviderFactory implements JpaEntityProviderFactory,
        StatelessFactory<JpaEntityProvider> {

    public static final String PROVIDER_ID = "governed-recovery-events-store";

    private static final JpaEntityProvider PROVIDER = new EntityTables(List.of(RecordEntity.class,
            DeliveryEntity.class, LeaseEntity.class, NoticeEntity.class, BaselineEntity.class),
            "META-INF/governed-recovery-events-changelog.xml", PROVIDER_ID);

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
