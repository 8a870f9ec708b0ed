package io.governedrecovery.adminapi;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Registers Governed Recovery's administrative endpoints under Keycloak's admin API:
 * {@code /admin/realms/{realm}/governed-recovery/...}. Keycloak authenticates the caller (a token of the realm or of
 * the master realm, whose roles count only as far as the client's scope allows) and hands over its permission
 * evaluator, so realm roles and fine-grained admin permissions decide what each caller may do.
 */
public final class GovernedRecoveryAdminFactory implements AdminRealmResourceProviderFactory,
        AdminRealmResourceProvider {

    public static final String ID = "governed-recovery";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        return new GovernedRecoveryAdmin(session, realm, auth, adminEvent);
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
        // Stateless.
    }
}
