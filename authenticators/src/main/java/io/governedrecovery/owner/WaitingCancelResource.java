package io.governedrecovery.owner;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
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
import io.governedrecovery.freeze.NotMeToken;
import io.governedrecovery.reset.ResetConsequences;
import io.governedrecovery.reset.WaitingPeriod;
import io.governedrecovery.waiting.WaitingRecoveries;
import io.governedrecovery.waiting.WaitingRecovery;
import io.governedrecovery.web.LinkPages;

/**
 * {@code /realms/<realm>/governed-recovery/waiting-cancel?key=...}: the plain cancel link of a waiting recovery's
 * notices. GET only shows the wait and the button (mail scanners change nothing); only the button's POST ends the
 * wait, with an event. Unlike "This was not me" it freezes nothing and signs nobody out. A tampered or expired link
 * gets a clear page (400) and changes nothing; a wait that already ended says so.
 */
public final class WaitingCancelResource {

    private static final Logger LOG = Logger.getLogger(WaitingCancelResource.class);
    private static final String TEMPLATE = "governed-recovery-waiting-cancel.ftl";

    private final KeycloakSession session;
    private final RealmModel realm;

    public WaitingCancelResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@QueryParam("key") String key) {
        Optional<NotMeLinks.Verified> link = verify(key);
        if (link.isEmpty()) {
            return invalid();
        }
        Optional<WaitingRecovery> wait = wait(link.get());
        if (wait.isEmpty()) {
            return page(NotMePageBean.result("ended", ResetConsequences.helpdesk(session, realm)), Response.Status.OK);
        }
        String action = UriBuilder.fromUri(session.getContext().getUri().getRequestUri()).replaceQuery(null).build()
                .toString();
        return page(NotMePageBean.confirm(MailTimes.format(wait.get().endsAt()),
                MailTimes.format(wait.get().startedAt()), action, key), Response.Status.OK);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response cancel(@FormParam("key") String key) {
        Optional<NotMeLinks.Verified> link = verify(key);
        if (link.isEmpty()) {
            return invalid();
        }
        Optional<WaitingRecovery> wait = wait(link.get());
        boolean ended = wait.isPresent() && WaitingPeriod.end(session, wait.get(), link.get().user(),
                WaitingPeriod.CANCEL, new EventBuilder(realm, session, session.getContext().getConnection()));
        if (ended) {
            LOG.infof("Governed Recovery: the owner of an account of realm '%s' cancelled its waiting recovery",
                    realm.getName());
        }
        return page(NotMePageBean.result(ended ? "done" : "ended", ResetConsequences.helpdesk(session, realm)),
                Response.Status.OK);
    }

    private Optional<NotMeLinks.Verified> verify(String key) {
        return NotMeLinks.verify(session, realm, key, NotMeToken.TYPE_WAIT_CANCEL);
    }

    /** The link's wait while it is under way, and only for the account the link names. */
    private Optional<WaitingRecovery> wait(NotMeLinks.Verified link) {
        return new WaitingRecoveries(session).byId(realm.getId(), link.waitId())
                .filter(w -> w.userId().equals(link.user().getId()))
                .filter(w -> w.status() == WaitingRecovery.Status.WAITING);
    }

    private Response invalid() {
        return page(NotMePageBean.result("invalid", ResetConsequences.helpdesk(session, realm)),
                Response.Status.BAD_REQUEST);
    }

    private Response page(NotMePageBean bean, Response.Status status) {
        return LinkPages.render(session, TEMPLATE, "cancel", bean, status);
    }
}
