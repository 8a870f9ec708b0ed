package io.governedrecovery.store;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/**
 * A JPA entity provider that is only data: the entities of a set of tables, the Liquibase changelog that creates them,
 * and the id of the factory that registers them. Stateless, so one instance serves every session.
 */
public record EntityTables(List<Class<?>> entities, String changelog, String factoryId) implements JpaEntityProvider {

    public EntityTables {
        entities = List.copyOf(entities);
    }

    @Override
    public List<Class<?>> getEntities() {
        return entities;
    }

    @Override
    public String getChangelogLocation() {
        return changelog;
    }

    @Override
    public String getFactoryId() {
        return factoryId;
    }

    @Override
    public void close() {
        // stateless
    }
}
