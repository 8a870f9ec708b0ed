package io.governedrecovery.reset;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.forms.login.LoginFormsProvider;

/** The recovery's templates (shipped in the JAR under theme-resources/templates) and how they are filled. */
public final class RecoveryPages {

    static final String METHODS = "governed-recovery-methods.ftl";
    static final String CODE = "governed-recovery-code.ftl";
    static final String WEBAUTHN = "governed-recovery-webauthn.ftl";
    static final String HELPDESK = "governed-recovery-helpdesk.ftl";

    static final String BEAN = "recovery";

    private RecoveryPages() {
    }

    /**
     * A page builder with the recovery bean and link hygiene headers. The page is rendered without the user: Keycloak
     * would otherwise take the language from the account's locale, and an existing German-speaking account would get
     * German pages where a missing name gets the browser's language.
     */
    static LoginFormsProvider base(AuthenticationFlowContext context, RecoveryPageBean bean) {
        return context.form()
                .setUser(null)
                .setAttribute(BEAN, bean)
                .setResponseHeader("Referrer-Policy", "no-referrer")
                .setResponseHeader("Cache-Control", "no-store");
    }

    /**
     * The helpdesk page with the realm's helpdesk text and link (those of the standard reset step), for steps before
     * it that refuse a reset for reasons that do not depend on the account (network rules, rate limits): the same page
     * for every name typed.
     */
    public static jakarta.ws.rs.core.Response neutralHelpdesk(AuthenticationFlowContext context, String introKey) {
        String text = null;
        String url = null;
        var flow = context.getRealm().getResetCredentialsFlow();
        if (flow != null) {
            java.util.Map<String, String> config = standardResetConfig(context.getRealm(), flow.getId(), 0);
            if (config != null) {
                text = config.get(ResetSettings.HELPDESK_TEXT);
                url = config.get(ResetSettings.HELPDESK_URL);
                if (url != null && !url.matches("(?i)(https?://|mailto:|tel:)\\S+")) {
                    url = null;
                }
            }
        }
        RecoveryPageBean bean = new RecoveryPageBean(java.util.List.of(), 0, 0, 0, null,
                text == null || text.isBlank() ? null : text, url == null || url.isBlank() ? null : url);
        return base(context, introKey == null ? bean : bean.intro(introKey)).createForm(HELPDESK);
    }

    private static java.util.Map<String, String> standardResetConfig(org.keycloak.models.RealmModel realm,
                                                                   String flowId, int depth) {
        if (depth > 10) {
            return null;
        }
        for (var e : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            if (e.isAuthenticatorFlow()) {
                var inner = standardResetConfig(realm, e.getFlowId(), depth + 1);
                if (inner != null) {
                    return inner;
                }
            } else if (GovernedResetAuthenticatorFactory.PROVIDER_ID.equals(e.getAuthenticator())
                    && e.getAuthenticatorConfig() != null) {
                var model = realm.getAuthenticatorConfigById(e.getAuthenticatorConfig());
                if (model != null && model.getConfig() != null
                        && !"privileged".equalsIgnoreCase(model.getConfig().get(ResetSettings.BRANCH))) {
                    return model.getConfig();
                }
            }
        }
        return null;
    }
}
