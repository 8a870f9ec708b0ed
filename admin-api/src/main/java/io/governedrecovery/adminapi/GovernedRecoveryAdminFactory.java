package io.governedrecovery.adminapi;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.governedrecovery.governance.ComplianceReport;
import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

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

    /** Server option: compliance reports one node writes at once; more are refused with 429 until one ends. */
    public static final String COMPLIANCE_CONCURRENT_REPORTS = "compliance-concurrent-reports";
    static final int DEFAULT_CONCURRENT_REPORTS = 4;
    static final long UNSTARTED_REPORT_TIMEOUT_MILLIS = 60_000;

    /** The server options, each declared once (console help, parser, README check). */
    public static final Setting PAGE_SIZE = Setting.number(COMPLIANCE_PAGE_SIZE, "Compliance report page size",
            ComplianceReport.DEFAULT_PAGE_SIZE, 1, 10_000, "Users the compliance report reads per page, each page in a "
                    + "transaction of its own: the report's memory grows with it, never with the number of users.");
    public static final Setting CONCURRENT_REPORTS = Setting.number(COMPLIANCE_CONCURRENT_REPORTS,
            "Concurrent compliance reports", DEFAULT_CONCURRENT_REPORTS, 1, 64, "Compliance reports this node writes "
                    + "at once. Each reads every user of the realm the caller may view; a further request is answered "
                    + "429 with Retry-After until one ends.");
    public static final List<Setting> SERVER_OPTIONS = List.of(PAGE_SIZE, CONCURRENT_REPORTS);

    private int compliancePageSize = ComplianceReport.DEFAULT_PAGE_SIZE;
    /** This node's report slots: a report reads every user of a realm, a few at a time keep the node's share small. */
    private ReportSlots complianceSlots = slots(DEFAULT_CONCURRENT_REPORTS);

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
        return new GovernedRecoveryAdmin(session, realm, auth, adminEvent, compliancePageSize, complianceSlots);
    }

    @Override
    public void init(Config.Scope config) {
        try {
            compliancePageSize = PAGE_SIZE.number(config::get);
            complianceSlots = slots(CONCURRENT_REPORTS.number(config::get));
        } catch (InvalidSetting invalid) {
            throw new IllegalArgumentException("Governed Recovery admin API: " + invalid.getMessage(), invalid);
        }
    }

    private static ReportSlots slots(int capacity) {
        return new ReportSlots(capacity, UNSTARTED_REPORT_TIMEOUT_MILLIS, Time::currentTimeMillis);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.properties(SERVER_OPTIONS);
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
