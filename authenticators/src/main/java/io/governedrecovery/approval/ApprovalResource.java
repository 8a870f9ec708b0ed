package io.governedrecovery.approval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.governedrecovery.clock.Clocks;

/**
 * {@code /realms/<realm>/governed-recovery/...}, the endpoints for approvers (ordinary users of the realm):
 * <ul>
 *   <li>{@code GET|POST approval?key=}: the page an approver's mailed link opens (GET shows, only POST decides, so
 *       mail scanners that fetch links change nothing);</li>
 *   <li>{@code GET approvals}, {@code POST approvals/{id}}: the same decisions for a bearer token issued for the
 *       realm's Governed Recovery client (its audience), never a token of another client;</li>
 *   <li>{@code console/}: the recovery console, a static web application.</li>
 * </ul>
 * Administrative endpoints live under Keycloak's admin API ({@code /admin/realms/<realm>/governed-recovery}).
 * Bad input gets 400/401/403/404/409 with a JSON error, or the page's "invalid" state; nothing changes.
 */
public final class ApprovalResource {

    private static final Logger LOG = Logger.getLogger(ApprovalResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DECISION_TEMPLATE = "governed-recovery-approval-decision.ftl";
    private static final int MAX_BODY = 4096;

    private final KeycloakSession session;
    private final RealmModel realm;

    ApprovalResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    // ---- the recovery console ----

    /** {@code console/}: the recovery console's page and files (it signs in through the realm and calls the admin API). */
    @Path("console")
    public io.governedrecovery.console.ConsoleResource console() {
        return new io.governedrecovery.console.ConsoleResource(session);
    }

    /** {@code waiting-cancel?key=}: the plain cancel link of a waiting recovery's notices (GET shows, POST cancels). */
    @Path("waiting-cancel")
    public io.governedrecovery.owner.WaitingCancelResource waitingCancel() {
        return new io.governedrecovery.owner.WaitingCancelResource(session);
    }

    /** {@code not-me?key=}: the page of a notice's "This was not me" link (GET shows, only POST reports). */
    @Path("not-me")
    public io.governedrecovery.owner.NotMeResource notMe() {
        return new io.governedrecovery.owner.NotMeResource(session);
    }

    // ---- approval link page ----

    @GET
    @Path("approval")
    @Produces(MediaType.TEXT_HTML)
    public Response approvalPage(@QueryParam("key") String key) {
        ApprovalDecisions decisions = new ApprovalDecisions(session, realm);
        Optional<ApprovalDecisions.Keyed> keyed = decisions.fromKey(key);
        if (keyed.isEmpty()) {
            return page(DecisionPageBean.result("invalid"), Response.Status.BAD_REQUEST);
        }
        Approval approval = keyed.get().approval();
        Optional<ApprovalDecisions.Refusal> refusal = decisions.check(approval, keyed.get().approver());
        if (refusal.isPresent()) {
            return refused(refusal.get());
        }
        UserModel requester = session.users().getUserById(realm, approval.userId());
        String action = ApprovalLinks.base(session, realm).path("approval").build().toString();
        return page(DecisionPageBean.decide(approval, requester == null ? "-" : requester.getUsername(), action, key),
                Response.Status.OK);
    }

    @POST
    @Path("approval")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response decideByLink(@FormParam("key") String key, @FormParam("decision") String decision) {
        ApprovalDecisions decisions = new ApprovalDecisions(session, realm);
        Optional<ApprovalDecisions.Keyed> keyed = decisions.fromKey(key);
        Boolean approve = parseDecision(decision);
        if (keyed.isEmpty() || approve == null) {
            return page(DecisionPageBean.result("invalid"), Response.Status.BAD_REQUEST);
        }
        ApprovalDecisions.Outcome outcome = decisions.decide(keyed.get().approval(), keyed.get().approver(), approve,
                "link", null);
        if (!outcome.decided()) {
            return refused(outcome.refusal().get());
        }
        return page(DecisionPageBean.result(approve ? "approved" : "denied"), Response.Status.OK);
    }

    private Response refused(ApprovalDecisions.Refusal refusal) {
        return switch (refusal) {
            case OWN_REQUEST -> page(DecisionPageBean.result("self"), Response.Status.FORBIDDEN);
            case NOT_PENDING -> page(DecisionPageBean.result("decided"), Response.Status.CONFLICT);
            default -> page(DecisionPageBean.result("invalid"), Response.Status.BAD_REQUEST);
        };
    }

    private Response page(DecisionPageBean bean, Response.Status status) {
        return io.governedrecovery.web.LinkPages.render(session, DECISION_TEMPLATE, "decision", bean, status);
    }

    // ---- approvals for a bearer token ----

    @GET
    @Path("approvals")
    @Produces(MediaType.APPLICATION_JSON)
    public Response approvals() {
        UserModel caller = ApproverToken.caller(session, realm);
        ApprovalDecisions decisions = new ApprovalDecisions(session, realm);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Approval a : decisions.pendingFor(caller)) {
            list.add(view(a));
        }
        if (list.isEmpty() && !decisions.isApproverOfRealm(caller)) {
            // Someone who decides nothing here learns nothing here, not even that the list is empty.
            return error(Response.Status.FORBIDDEN, "You are not an approver in this realm.");
        }
        return json(Response.Status.OK, Map.of("approvals", list));
    }

    @POST
    @Path("approvals/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response decideByApi(@PathParam("id") String id, String body) {
        UserModel caller = ApproverToken.caller(session, realm);
        JsonNode node = parse(body);
        if (node == null || !node.isObject()) {
            return error(Response.Status.BAD_REQUEST, "Send a JSON object: {\"decision\": \"approve\"|\"deny\", "
                    + "\"reason\": \"...\"}.");
        }
        Boolean approve = parseDecision(node.path("decision").asText(null));
        if (approve == null) {
            return error(Response.Status.BAD_REQUEST, "'decision' must be \"approve\" or \"deny\".");
        }
        JsonNode reasonNode = node.get("reason");
        if (reasonNode != null && !reasonNode.isNull() && (!reasonNode.isTextual() || reasonNode.asText().length() > 200)) {
            return error(Response.Status.BAD_REQUEST, "'reason' must be text of at most 200 characters.");
        }
        ApprovalDecisions decisions = new ApprovalDecisions(session, realm);
        Optional<Approval> approval = decisions.find(id);
        if (approval.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "No such approval request.");
        }
        ApprovalDecisions.Outcome outcome = decisions.decide(approval.get(), caller, approve, "api",
                reasonNode == null || reasonNode.isNull() ? null : reasonNode.asText());
        if (outcome.decided()) {
            return json(Response.Status.OK, view(outcome.approval()));
        }
        return switch (outcome.refusal().get()) {
            case OWN_REQUEST -> error(Response.Status.FORBIDDEN, "You cannot decide on your own reset.");
            case NOT_AN_APPROVER -> error(Response.Status.FORBIDDEN, "You are not an approver of this request.");
            case NOT_PENDING -> error(Response.Status.CONFLICT, "This request was already decided or has expired.");
            case NOT_FOUND -> error(Response.Status.NOT_FOUND, "No such approval request.");
        };
    }

    private Map<String, Object> view(Approval a) {
        UserModel requester = session.users().getUserById(realm, a.userId());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", a.id());
        v.put("userId", a.userId());
        v.put("username", requester == null ? null : requester.getUsername());
        v.put("status", a.statusAt(Clocks.millis()).name());
        v.put("createdAt", a.createdAt());
        v.put("expiresAt", a.expiresAt());
        v.put("ip", a.requesterIp());
        v.put("methods", a.methods());
        v.put("decidedBy", a.decidedBy());
        v.put("decidedAt", a.decidedAt());
        v.put("decidedVia", a.decidedVia());
        return v;
    }

    // ---- helpers ----

    private static Boolean parseDecision(String decision) {
        if ("approve".equals(decision)) {
            return Boolean.TRUE;
        }
        if ("deny".equals(decision)) {
            return Boolean.FALSE;
        }
        return null;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank() || body.length() > MAX_BODY) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Response error(Response.Status status, String message) {
        return json(status, Map.of("error", message));
    }

    private static Response json(Response.Status status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
