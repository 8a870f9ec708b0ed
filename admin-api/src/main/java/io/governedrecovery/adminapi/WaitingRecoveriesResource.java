package io.governedrecovery.adminapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.UserModel;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.reset.WaitingPeriod;
import io.governedrecovery.waiting.WaitingRecoveries;
import io.governedrecovery.waiting.WaitingRecovery;

/**
 * {@code .../waiting-recoveries}: the realm's waiting-period recoveries under way, oldest first, of the accounts the
 * caller may view (at most {@value #MAX}; {@code truncated} when there are more), and
 * {@code POST .../waiting-recoveries/{id}/end} with the helpdesk ticket to end one (callers who may manage the
 * account; an admin event, and the wait's own end event).
 */
public final class WaitingRecoveriesResource {

    private static final Logger LOG = Logger.getLogger(WaitingRecoveriesResource.class);
    static final int MAX = 500;
    static final String EXAMPLE = "{\"ticket\": \"INC-1234\"}";

    /** The helpdesk ticket the end belongs to. */
    public record EndRequest(String ticket) {
    }

    private final Api api;

    WaitingRecoveriesResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        api.auth.users().requireQuery();
        long now = Clocks.millis();
        List<WaitingRecovery> rows = new WaitingRecoveries(api.session).waiting(api.realm.getId(), MAX + 1);
        List<Map<String, Object>> waiting = new ArrayList<>();
        for (WaitingRecovery w : rows.subList(0, Math.min(rows.size(), MAX))) {
            UserModel user = api.session.users().getUserById(api.realm, w.userId());
            if (user == null || !api.auth.users().canView(user)) {
                continue;
            }
            waiting.add(view(w, user, now));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("waiting", waiting);
        answer.put("truncated", rows.size() > MAX);
        return Api.json(Response.Status.OK, answer);
    }

    @POST
    @Path("{waitId}/end")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response end(@PathParam("waitId") String waitId, String body) {
        api.auth.users().requireQuery();
        WaitingRecovery wait = waitId == null || waitId.length() > 36 ? null
                : new WaitingRecoveries(api.session).byId(api.realm.getId(), waitId).orElse(null);
        UserModel user = wait == null ? null : api.session.users().getUserById(api.realm, wait.userId());
        if (user == null) {
            throw new ApiException(Response.Status.NOT_FOUND, "No waiting recovery with this id.");
        }
        api.auth.users().requireManage(user);
        EndRequest request = Api.body(body, EndRequest.class, EXAMPLE);
        Api.ticket(request.ticket());
        if (!WaitingPeriod.end(api.session, wait, user, WaitingPeriod.HELPDESK,
                new EventBuilder(api.realm, api.session, api.session.getContext().getConnection()))) {
            throw new ApiException(Response.Status.CONFLICT, "This waiting recovery has already ended.");
        }
        api.userEvent(user, "waiting-recoveries/" + wait.id() + "/end", Map.of("ticket", request.ticket(),
                "startedAt", wait.startedAt()));
        LOG.infof("Governed Recovery: a waiting recovery of realm '%s' ended by %s, ticket %s", api.realm.getName(),
                api.caller().getUsername(), request.ticket());
        return Api.json(Response.Status.OK, Api.map("id", wait.id(), "ended", true));
    }

    static Map<String, Object> view(WaitingRecovery w, UserModel user, long now) {
        return Api.map("id", w.id(), "userId", user.getId(), "username", user.getUsername(), "method", w.method(),
                "startedAt", w.startedAt(), "endsAt", w.endsAt(), "matured", w.matured(now),
                "halfwayNoticeAt", w.halfwayAt() == 0 ? null : w.halfwayAt(),
                "requesterIp", w.requesterIp() == null ? "-" : w.requesterIp());
    }
}
