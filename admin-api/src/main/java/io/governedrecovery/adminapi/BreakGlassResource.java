package io.governedrecovery.adminapi;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.UserModel;

import io.governedrecovery.privileged.BreakGlassRecords;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.privileged.Tiers;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../break-glass}: the realm's break-glass accounts with their last test and use ({@code GET}, for callers
 * who may view users), and {@code POST .../break-glass/{userId}/tests} to record an intentional test (for callers who
 * may manage that account); sign-ins within the test window then count as the test.
 */
public final class BreakGlassResource {

    private static final Logger LOG = Logger.getLogger(BreakGlassResource.class);
    static final String EXAMPLE = "{\"ticket\": \"CHG-1234\", \"note\": \"...\"}";

    /** A test to record: the change ticket it belongs to, and an optional note. */
    public record TestRequest(String ticket, String note) {
    }

    /** A recorded test, as answered. */
    public record TestRecord(String userId, String username, long at, String by, String ticket, String note,
                             long testUntil) {
    }

    private final Api api;

    BreakGlassResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        api.auth.users().requireView();
        return Api.json(Response.Status.OK, BreakGlassRecords.status(api.session, api.realm, definition(),
                Time.currentTimeMillis()));
    }

    @POST
    @Path("{userId}/tests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response recordTest(@PathParam("userId") String userId, String body) {
        UserModel user = api.manageable(userId);
        TestRequest request = Api.body(body, TestRequest.class, EXAMPLE);
        Api.ticket(request.ticket());
        Api.note(request.note());
        TierDefinition definition = definition();
        if (!Tiers.isBreakGlass(api.session, api.realm, user, definition)) {
            throw new ApiException(Response.Status.NOT_FOUND, "No break-glass account with this id.");
        }
        long now = Time.currentTimeMillis();
        long until = now + definition.breakGlassTestWindowMinutes() * 60_000L;
        String by = api.caller().getUsername();
        BreakGlassRecords.recordTest(user, now, by, request.ticket(), until);
        TestRecord record = new TestRecord(user.getId(), user.getUsername(), now, by, request.ticket(),
                request.note(), until);
        api.userEvent(user, "break-glass-tests", record);
        LOG.infof("Governed Recovery: break-glass test recorded for an account of realm '%s' by %s, ticket %s",
                api.realm.getName(), by, request.ticket());
        return Api.json(Response.Status.CREATED, record);
    }

    private TierDefinition definition() {
        try {
            return TierDefinition.forRealm(api.realm);
        } catch (IllegalArgumentException broken) {
            throw new ApiException(Response.Status.CONFLICT, "The privileged-account condition of this realm is "
                    + "misconfigured: " + broken.getMessage());
        }
    }
}
