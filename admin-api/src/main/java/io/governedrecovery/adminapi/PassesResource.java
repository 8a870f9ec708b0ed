package io.governedrecovery.adminapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.tap.TemporaryAccessPasses;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code .../users/{userId}/temporary-access-passes}: issue, approve, list and revoke the temporary access passes of
 * one account. Issuing is a credential reset in Keycloak's permission model: the caller needs the reset-password (or
 * manage) permission on that user, so fine-grained admin permissions ("manage users of group Sales") limit a helpdesk
 * team to its users. Nobody issues a pass to themselves; a privileged account's pass needs a second person.
 */
public final class PassesResource {

    private static final Logger LOG = Logger.getLogger(PassesResource.class);
    /** The longest lifetime of a pass, in minutes (also the longest a request for one waits for approval). */
    static final int MAX_LIFETIME_MINUTES = 480;
    static final Set<String> EVIDENCE = Set.of("callback", "manager", "in-person", "video", "other");
    static final String EXAMPLE = "{\"evidence\": \"callback\", \"ticket\": \"INC-1234\", \"lifetimeMinutes\": 60, "
            + "\"oneTime\": true, \"length\": 12, \"note\": \"...\"}";

    /** A request to issue a pass: how the person was identified, the ticket, and the pass's shape. */
    public record IssueRequest(String evidence, String ticket, Integer lifetimeMinutes, Boolean oneTime, Integer length,
                               String note) {
    }

    /** A pass as the helpdesk sees it: never its secret, which is only in the answer that creates it. */
    public record PassView(String id, String status, long issuedAt, long expiresAt, boolean oneTime, int uses,
                           String issuedBy, String approvedBy, String evidence, String ticket, String note,
                           String pass, List<String> replaced) {

        static PassView of(String id, TemporaryAccessPasses.Details d, long now, String pass) {
            return new PassView(id, d.status(now), d.issuedAt(), d.expiresAt(), d.oneTime(), d.uses(), d.issuedBy(),
                    d.approvedBy(), d.evidence(), d.ticket(), d.note(), pass, null);
        }

        /** This view of a newly issued pass, naming the passes it replaced (revoked). */
        PassView replacing(List<String> ids) {
            return new PassView(id, status, issuedAt, expiresAt, oneTime, uses, issuedBy, approvedBy, evidence, ticket,
                    note, pass, ids);
        }
    }

    private final Api api;
    private final String userId;

    PassesResource(Api api, String userId) {
        this.api = api;
        this.userId = userId;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(String body) {
        UserModel user = api.resettable(userId);
        IssueRequest request = Api.body(body, IssueRequest.class, EXAMPLE);
        int minutes = number(request.lifetimeMinutes(), 60, 1, MAX_LIFETIME_MINUTES, "lifetimeMinutes");
        int length = number(request.length(), 12, 8, 24, "length");
        if (request.evidence() == null || !EVIDENCE.contains(request.evidence())) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'evidence' is required: how you checked who the "
                    + "person is, one of " + new TreeSet<>(EVIDENCE) + ".");
        }
        Api.ticket(request.ticket());
        Api.note(request.note());
        UserModel caller = api.caller();
        if (user.getId().equals(caller.getId())) {
            throw new ApiException(Response.Status.FORBIDDEN, "You cannot issue a temporary access pass to yourself.");
        }
        if (!user.isEnabled()) {
            throw new ApiException(Response.Status.CONFLICT, "The account is disabled.");
        }
        String tier = Tiers.of(api.session, api.realm, user);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            throw new ApiException(Response.Status.CONFLICT, "Break-glass accounts never recover by self-service; "
                    + "rotate their credentials through your break-glass procedure.");
        }
        long now = Time.currentTimeMillis();
        TemporaryAccessPasses.removeExpired(user, now);
        // A new pass replaces the one the person lost or never received: the old one stops working now.
        List<String> replaced = TemporaryAccessPasses.revokeOpen(user, now);
        boolean privileged = EventDetails.TIER_PRIVILEGED.equals(tier);
        var details = TemporaryAccessPasses.Details.issued(now, now + minutes * 60_000L,
                request.oneTime() == null || request.oneTime(), caller.getUsername(), caller.getId(),
                request.evidence(), request.ticket(), request.note(), privileged);
        String pass = privileged ? null : TemporaryAccessPasses.generate(length);
        CredentialModel credential = TemporaryAccessPasses.of(api.session).store(user, pass, details);
        PassView view = PassView.of(credential.getId(), details, now, null).replacing(replaced);
        api.userEvent(user, "temporary-access-passes", view);
        LOG.infof("Governed Recovery: temporary access pass issued in realm '%s' by %s (ticket %s)%s",
                api.realm.getName(), caller.getUsername(), request.ticket(),
                privileged ? ", waiting for a second person's approval" : "");
        if (privileged) {
            // The pass is made only when a second person approves; they hand it over.
            return Api.json(Response.Status.ACCEPTED, view);
        }
        return Api.json(Response.Status.CREATED, PassView.of(credential.getId(), details, now, pass)
                .replacing(replaced));
    }

    @POST
    @Path("{passId}/approval")
    @Produces(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("passId") String passId) {
        UserModel user = api.resettable(userId);
        CredentialModel credential = pass(user, passId);
        var details = TemporaryAccessPasses.details(credential).orElse(null);
        long now = Time.currentTimeMillis();
        if (details == null || !details.pending() || now >= details.expiresAt()) {
            throw new ApiException(Response.Status.CONFLICT, "This pass is not waiting for approval.");
        }
        UserModel caller = api.caller();
        if (caller.getId().equals(details.issuerId()) || caller.getId().equals(user.getId())) {
            throw new ApiException(Response.Status.FORBIDDEN, "A second person, not the issuer or the account itself, "
                    + "approves a pass for a privileged account.");
        }
        var approved = details.approved(caller.getUsername(), caller.getId());
        String pass = TemporaryAccessPasses.generate(12);
        TemporaryAccessPasses.of(api.session).activate(user, credential, pass, approved);
        PassView view = PassView.of(credential.getId(), approved, now, null);
        api.userEvent(user, "temporary-access-passes/" + credential.getId() + "/approval", view);
        return Api.json(Response.Status.OK, PassView.of(credential.getId(), approved, now, pass));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        UserModel user = api.viewable(userId);
        long now = Time.currentTimeMillis();
        List<PassView> passes = TemporaryAccessPasses.list(user).stream()
                .flatMap(c -> TemporaryAccessPasses.details(c).map(d -> PassView.of(c.getId(), d, now, null)).stream())
                .toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("passes", passes);
        return Api.json(Response.Status.OK, answer);
    }

    @DELETE
    @Path("{passId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("passId") String passId) {
        UserModel user = api.resettable(userId);
        CredentialModel credential = pass(user, passId);
        user.credentialManager().removeStoredCredentialById(credential.getId());
        api.userEvent(user, "temporary-access-passes/" + credential.getId() + "/revocation",
                Map.of("id", credential.getId()));
        return Response.noContent().build();
    }

    private static CredentialModel pass(UserModel user, String passId) {
        return TemporaryAccessPasses.find(user, passId)
                .orElseThrow(() -> new ApiException(Response.Status.NOT_FOUND, "No such temporary access pass."));
    }

    static int number(Integer value, int fallback, int min, int max, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'" + name + "' must be a whole number from " + min
                    + " to " + max + ".");
        }
        return value;
    }
}
