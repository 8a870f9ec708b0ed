package io.governedrecovery.web;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;

import jakarta.ws.rs.core.Response;

/**
 * Pages that mailed links open outside a flow (an approver's decision, an owner's "This was not me"): rendered with
 * the login theme, never cached, and never leaking their key to another site through the Referer header.
 */
public final class LinkPages {

    private LinkPages() {
    }

    public static Response render(KeycloakSession session, String template, String attribute, Object bean,
                                  Response.Status status) {
        Response form = session.getProvider(LoginFormsProvider.class)
                .setAttribute(attribute, bean)
                .setStatus(status)
                .createForm(template);
        return Response.fromResponse(form).header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store").build();
    }
}
