package io.governedrecovery.owner;

import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.freeze.NotMeLinks;
import io.governedrecovery.reset.ResetConsequences;
import io.governedrecovery.web.LinkPages;

/**
 * {@code /realms/<realm>/governed-recovery/not-me?key=...}: the page a notice's "This was not me" link opens. GET only
 * shows what happened and the button (mail scanners that fetch links change nothing); only the button's POST reports.
 * A tampered, expired or superseded link gets a clear page (400) and changes nothing.
 */
public final class NotMeResource {

    private static final String TEMPLATE = "governed-recovery-not-me.ftl";

    private final KeycloakSession session;
    private final RealmModel realm;

    public NotMeResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@QueryParam("key") String key) {
        Optional<NotMeLinks.Verified> link = NotMeLinks.verify(session, realm, key);
        if (link.isEmpty()) {
            return invalid();
        }
        String action = UriBuilder.fromUri(session.getContext().getUri().getRequestUri()).replaceQuery(null).build()
                .toString();
        long at = link.get().happenedAtMillis();
        return page(NotMePageBean.confirm(link.get().notice(), at > 0 ? MailTimes.format(at) : "-", action, key),
                Response.Status.OK);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response report(@FormParam("key") String key) {
        Optional<NotMeLinks.Verified> link = NotMeLinks.verify(session, realm, key);
        if (link.isEmpty()) {
            return invalid();
        }
        OwnerReports.confirm(session, realm, link.get());
        return page(NotMePageBean.result("done", ResetConsequences.helpdesk(session, realm)), Response.Status.OK);
    }

    private Response invalid() {
        return page(NotMePageBean.result("invalid", ResetConsequences.helpdesk(session, realm)),
                Response.Status.BAD_REQUEST);
    }

    private Response page(NotMePageBean bean, Response.Status status) {
        return LinkPages.render(session, TEMPLATE, "notMe", bean, status);
    }
}
