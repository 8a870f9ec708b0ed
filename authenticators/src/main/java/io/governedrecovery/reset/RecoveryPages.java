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
        java.util.Map<String, String> config = ResetSteps.config(context.getRealm(), ResetSettings.Branch.STANDARD)
                .orElse(java.util.Map.of());
        String text = config.get(ResetSettings.HELPDESK_TEXT);
        String url = config.get(ResetSettings.HELPDESK_URL);
        if (url != null && !url.matches("(?i)(https?://|mailto:|tel:)\\S+")) {
            url = null;
        }
        RecoveryPageBean bean = new RecoveryPageBean(java.util.List.of(), 0, 0, 0, null,
                text == null || text.isBlank() ? null : text, url == null || url.isBlank() ? null : url);
        return base(context, introKey == null ? bean : bean.intro(introKey)).createForm(HELPDESK);
    }
}
