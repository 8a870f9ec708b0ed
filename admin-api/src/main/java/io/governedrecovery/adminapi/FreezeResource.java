package io.governedrecovery.adminapi;

import org.jboss.logging.Logger;
import org.keycloak.models.UserModel;

import io.governedrecovery.freeze.RecoveryFreeze;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../users/{id}/recovery-freeze}: whether the account's self-service recovery is frozen (GET, for callers who
 * may view the account), and {@code POST .../recovery-freeze/lift} with the helpdesk ticket to lift it (callers who
 * may manage the account; an admin event).
 */
public final class FreezeResource {

    private static final Logger LOG = Logger.getLogger(FreezeResource.class);
    static final String EXAMPLE = "{\"ticket\": \"INC-1234\"}";

    /** The helpdesk ticket the lift belongs to. */
    public record LiftRequest(String ticket) {
    }

    /** The freeze as answered: frozen or not, and when, by whom and why when it is. */
    public record State(String userId, boolean frozen, Long at, String by, String reason) {
    }

    private final Api api;
    private final String userId;

    FreezeResource(Api api, String userId) {
        this.api = api;
        this.userId = userId;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response state() {
        UserModel user = api.viewable(userId);
        return Api.json(Response.Status.OK, state(user));
    }

    @POST
    @Path("lift")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response lift(String body) {
        UserModel user = api.manageable(userId);
        LiftRequest request = Api.body(body, LiftRequest.class, EXAMPLE);
        Api.ticket(request.ticket());
        State before = state(user);
        if (!RecoveryFreeze.lift(user)) {
            throw new ApiException(Response.Status.CONFLICT, "This account's recovery is not frozen.");
        }
        api.userEvent(user, "recovery-freeze/lift", java.util.Map.of("ticket", request.ticket(),
                "frozenAt", before.at(), "reason", String.valueOf(before.reason())));
        LOG.infof("Governed Recovery: recovery freeze lifted for an account of realm '%s' by %s, ticket %s",
                api.realm.getName(), api.caller().getUsername(), request.ticket());
        return Api.json(Response.Status.OK, state(user));
    }

    static State state(UserModel user) {
        return RecoveryFreeze.of(user).map(f -> new State(user.getId(), true, f.at(), f.by(), f.reason()))
                .orElse(new State(user.getId(), false, null, null, null));
    }
}
