package io.governedrecovery.adminapi;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.governedrecovery.governance.ComplianceReport;

/**
 * Registers Governed Recovery's administrative endpoints under Keycloak's admin API:
 * {@code /admin/realms/{realm}/governed-recovery/...}. Keycloak authenticates the caller (a token of the realm or of
 * the master realm, whose roles count only as far as the client's scope allows) and hands over its permission
 * evaluator, so realm roles and fine-grained admin permissions decide what each caller may do.
 */
public final class GovernedRecoveryAdminFactory implements AdminRealmResourceProviderFactory,
        AdminRealmResourceProvider {

    public static final String ID = "governed-recovery";
    /** Server option: users the compliance report reads per page (per transaction). */
    public static final String COMPLIANCE_PAGE_SIZE = "compliance-page-size";

    private int compliancePageSize = ComplianceReport.DEFAULT_PAGE_SIZE;

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
        return new GovernedRecoveryAdmin(session, realm, auth, adminEvent, compliancePageSize);
    }

    @Override
    public void init(Config.Scope config) {
        int size = config.getInt(COMPLIANCE_PAGE_SIZE, ComplianceReport.DEFAULT_PAGE_SIZE);
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("Governed Recovery admin API: '" + COMPLIANCE_PAGE_SIZE
                    + "' must be 1 to 10000 (is " + size + ")");
        }
        compliancePageSize = size;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(COMPLIANCE_PAGE_SIZE).type(ProviderConfigProperty.INTEGER_TYPE)
                    .defaultValue(ComplianceReport.DEFAULT_PAGE_SIZE)
                    .helpText("Users the compliance report reads per page, each page in a transaction of its own "
                            + "(1 to 10000): the report's memory grows with it, never with the number of users.")
                    .add()
                .build();
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
