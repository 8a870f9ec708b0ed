package io.governedrecovery.reset;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.forms.login.LoginFormsProvider;

/** The recovery's templates (shipped in the JAR under theme-resources/templates) and how they are filled. */
final class RecoveryPages {

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
}
