package io.governedrecovery.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.approval.Approval;
import io.governedrecovery.approval.ApprovalDecisions;
import io.governedrecovery.approval.ApprovalLinks;
import io.governedrecovery.approval.DecisionPageBean;
import io.governedrecovery.privileged.BreakGlassRecords;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.privileged.Tiers;

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

/**
 * {@code /realms/<realm>/governed-recovery/...}:
 * <ul>
 *   <li>{@code GET|POST approval?key=}: the page an approver's mailed link opens (GET shows, only POST decides, so
 *       mail scanners that fetch links change nothing);</li>
 *   <li>{@code GET approvals}, {@code POST approvals/{id}}: the same decisions for an approver's bearer token;</li>
 *   <li>{@code GET break-glass}: break-glass accounts with their last test and use (realm-management view-users);</li>
 *   <li>{@code POST break-glass/{userId}/tests}: records an intentional test (manage-users).</li>
 * </ul>
 * Bad input gets 400/403/404/409 with a JSON error, or the page's "invalid" state; nothing changes.
 */
public final class GovernedRecoveryResource {

    private static final Logger LOG = Logger.getLogger(GovernedRecoveryResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DECISION_TEMPLATE = "governed-recovery-approval-decision.ftl";
    private static final int MAX_BODY = 4096;

    private final KeycloakSession session;
    private final RealmModel realm;

    GovernedRecoveryResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
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
        Response form = session.getProvider(LoginFormsProvider.class)
                .setAttribute("decision", bean)
                .setStatus(status)
                .createForm(DECISION_TEMPLATE);
        return Response.fromResponse(form).header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store").build();
    }

    // ---- approvals for a bearer token ----

    @GET
    @Path("approvals")
    @Produces(MediaType.APPLICATION_JSON)
    public Response approvals() {
        AdminAccess.Caller caller = AdminAccess.authenticated(session, realm);
        ApprovalDecisions decisions = new ApprovalDecisions(session, realm);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Approval a : decisions.pendingFor(caller.user())) {
            list.add(view(a));
        }
        return json(Response.Status.OK, Map.of("approvals", list));
    }

    @POST
    @Path("approvals/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response decideByApi(@PathParam("id") String id, String body) {
        AdminAccess.Caller caller = AdminAccess.authenticated(session, realm);
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
        ApprovalDecisions.Outcome outcome = decisions.decide(approval.get(), caller.user(), approve, "api",
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
        v.put("status", a.statusAt(System.currentTimeMillis()).name());
        v.put("createdAt", a.createdAt());
        v.put("expiresAt", a.expiresAt());
        v.put("ip", a.requesterIp());
        v.put("methods", a.methods());
        v.put("decidedBy", a.decidedBy());
        v.put("decidedAt", a.decidedAt());
        v.put("decidedVia", a.decidedVia());
        return v;
    }

    // ---- break-glass accounts ----

    @GET
    @Path("break-glass")
    @Produces(MediaType.APPLICATION_JSON)
    public Response breakGlass() {
        AdminAccess.require(session, realm, "view-users");
        TierDefinition definition = definition();
        if (definition == null) {
            return error(Response.Status.CONFLICT, "The privileged-account condition of this realm is misconfigured; "
                    + "see the server log.");
        }
        return json(Response.Status.OK, BreakGlassRecords.status(session, realm, definition,
                System.currentTimeMillis()));
    }

    @POST
    @Path("break-glass/{userId}/tests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response recordTest(@PathParam("userId") String userId, String body) {
        AdminAccess.Caller caller = AdminAccess.caller(session, realm, "manage-users");
        JsonNode node = parse(body);
        if (node == null || !node.isObject()) {
            return error(Response.Status.BAD_REQUEST, "Send a JSON object: {\"ticket\": \"CHG-1234\", \"note\": \"...\"}.");
        }
        JsonNode ticket = node.get("ticket");
        if (ticket == null || !ticket.isTextual() || !BreakGlassRecords.TICKET.matcher(ticket.asText()).matches()) {
            return error(Response.Status.BAD_REQUEST, "'ticket' is required: 1 to 64 letters, digits or . _ : / # -");
        }
        JsonNode note = node.get("note");
        if (note != null && !note.isNull() && (!note.isTextual() || note.asText().length() > 200)) {
            return error(Response.Status.BAD_REQUEST, "'note' must be text of at most 200 characters.");
        }
        TierDefinition definition = definition();
        if (definition == null) {
            return error(Response.Status.CONFLICT, "The privileged-account condition of this realm is misconfigured; "
                    + "see the server log.");
        }
        UserModel user = findUser(userId);
        if (user == null || !Tiers.isBreakGlass(session, realm, user, definition)) {
            return error(Response.Status.NOT_FOUND, "No break-glass account with this id.");
        }
        long now = System.currentTimeMillis();
        long until = now + definition.breakGlassTestWindowMinutes() * 60_000L;
        BreakGlassRecords.recordTest(user, now, caller.user().getUsername(), ticket.asText(), until);

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("userId", user.getId());
        record.put("username", user.getUsername());
        record.put("at", now);
        record.put("by", caller.user().getUsername());
        record.put("ticket", ticket.asText());
        if (note != null && note.isTextual()) {
            record.put("note", note.asText());
        }
        record.put("testUntil", until);
        adminEvent(caller, user, "break-glass-tests", record);
        LOG.infof("Governed Recovery: break-glass test recorded for an account of realm '%s' by %s, ticket %s",
                realm.getName(), caller.user().getUsername(), ticket.asText());
        return json(Response.Status.CREATED, record);
    }

    // ---- temporary access passes ----

    private static final java.util.Set<String> EVIDENCE = java.util.Set.of("callback", "manager", "in-person",
            "video", "other");
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    @POST
    @Path("users/{userId}/temporary-access-passes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issuePass(@PathParam("userId") String userId, String body) {
        AdminAccess.Caller caller = AdminAccess.helpdesk(session, realm);
        JsonNode node = parse(body);
        if (node == null || !node.isObject()) {
            return error(Response.Status.BAD_REQUEST, "Send a JSON object: {\"evidence\": \"callback\", \"ticket\": "
                    + "\"INC-1234\", \"lifetimeMinutes\": 60, \"oneTime\": true, \"length\": 12}.");
        }
        Integer minutes = intField(node, "lifetimeMinutes", 60, 1, 480);
        Integer length = intField(node, "length", 12, 8, 24);
        JsonNode oneTime = node.get("oneTime");
        String evidence = node.path("evidence").isTextual() ? node.path("evidence").asText() : null;
        String ticket = node.path("ticket").isTextual() ? node.path("ticket").asText() : null;
        JsonNode note = node.get("note");
        if (minutes == null) {
            return error(Response.Status.BAD_REQUEST, "'lifetimeMinutes' must be a whole number from 1 to 480.");
        }
        if (length == null) {
            return error(Response.Status.BAD_REQUEST, "'length' must be a whole number from 8 to 24.");
        }
        if (oneTime != null && !oneTime.isBoolean()) {
            return error(Response.Status.BAD_REQUEST, "'oneTime' must be true or false.");
        }
        if (evidence == null || !EVIDENCE.contains(evidence)) {
            return error(Response.Status.BAD_REQUEST, "'evidence' is required: how you checked who the person is, "
                    + "one of " + new java.util.TreeSet<>(EVIDENCE) + ".");
        }
        if (ticket == null || !BreakGlassRecords.TICKET.matcher(ticket).matches()) {
            return error(Response.Status.BAD_REQUEST, "'ticket' is required: 1 to 64 letters, digits or . _ : / # -");
        }
        if (note != null && !note.isNull() && (!note.isTextual() || note.asText().length() > 200)) {
            return error(Response.Status.BAD_REQUEST, "'note' must be text of at most 200 characters.");
        }
        UserModel user = findUser(userId);
        if (user == null) {
            return error(Response.Status.NOT_FOUND, "No user with this id.");
        }
        if (user.getId().equals(caller.user().getId())) {
            return error(Response.Status.FORBIDDEN, "You cannot issue a temporary access pass to yourself.");
        }
        if (!user.isEnabled()) {
            return error(Response.Status.CONFLICT, "The account is disabled.");
        }
        String tier = Tiers.of(session, realm, user);
        if (io.governedrecovery.core.event.EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return error(Response.Status.CONFLICT, "Break-glass accounts never recover by self-service; rotate their "
                    + "credentials through your break-glass procedure.");
        }
        long now = System.currentTimeMillis();
        io.governedrecovery.tap.TemporaryAccessPasses.removeExpired(user, now);
        boolean privileged = io.governedrecovery.core.event.EventDetails.TIER_PRIVILEGED.equals(tier);
        var details = new io.governedrecovery.tap.TemporaryAccessPasses.Details(now, now + minutes * 60_000L,
                oneTime == null || oneTime.asBoolean(), caller.user().getUsername(), null, evidence, ticket, 0,
                privileged, 0);
        String pass = privileged ? null : io.governedrecovery.tap.TemporaryAccessPasses.generate(random, length);
        var credential = io.governedrecovery.tap.TemporaryAccessPasses.store(user, random, pass, details);
        Map<String, Object> view = passView(credential.getId(), details, now);
        view.put("length", length);
        adminEvent(caller, user, "temporary-access-passes", view);
        if (privileged) {
            // The pass is generated only when a second helpdesk member approves; they hand it over.
            return json(Response.Status.ACCEPTED, view);
        }
        Map<String, Object> answer = new LinkedHashMap<>(view);
        answer.put("pass", pass);
        return json(Response.Status.CREATED, answer);
    }

    @POST
    @Path("users/{userId}/temporary-access-passes/{passId}/approval")
    @Produces(MediaType.APPLICATION_JSON)
    public Response approvePass(@PathParam("userId") String userId, @PathParam("passId") String passId) {
        AdminAccess.Caller caller = AdminAccess.helpdesk(session, realm);
        UserModel user = findUser(userId);
        var credential = findPass(user, passId);
        if (credential == null) {
            return error(Response.Status.NOT_FOUND, "No such temporary access pass.");
        }
        var details = io.governedrecovery.tap.TemporaryAccessPasses.details(credential).orElse(null);
        long now = System.currentTimeMillis();
        if (details == null || !details.pending() || now >= details.expiresAt()) {
            return error(Response.Status.CONFLICT, "This pass is not waiting for approval.");
        }
        if (caller.user().getUsername().equals(details.issuedBy()) || caller.user().getId().equals(user.getId())) {
            return error(Response.Status.FORBIDDEN, "A second helpdesk member, not the issuer or the account itself, "
                    + "approves a pass for a privileged account.");
        }
        var approved = new io.governedrecovery.tap.TemporaryAccessPasses.Details(details.issuedAt(),
                details.expiresAt(), details.oneTime(), details.issuedBy(), caller.user().getUsername(),
                details.evidence(), details.ticket(), 0, false, 0);
        String pass = io.governedrecovery.tap.TemporaryAccessPasses.generate(random, 12);
        io.governedrecovery.tap.TemporaryAccessPasses.activate(user, credential, random, pass, approved);
        Map<String, Object> view = passView(credential.getId(), approved, now);
        adminEvent(caller, user, "temporary-access-passes/" + credential.getId() + "/approval", view);
        Map<String, Object> answer = new LinkedHashMap<>(view);
        answer.put("pass", pass);
        return json(Response.Status.OK, answer);
    }

    @GET
    @Path("users/{userId}/temporary-access-passes")
    @Produces(MediaType.APPLICATION_JSON)
    public Response passes(@PathParam("userId") String userId) {
        AdminAccess.helpdesk(session, realm);
        UserModel user = findUser(userId);
        if (user == null) {
            return error(Response.Status.NOT_FOUND, "No user with this id.");
        }
        long now = System.currentTimeMillis();
        List<Map<String, Object>> list = new ArrayList<>();
        for (var credential : io.governedrecovery.tap.TemporaryAccessPasses.of(user)) {
            io.governedrecovery.tap.TemporaryAccessPasses.details(credential)
                    .ifPresent(d -> list.add(passView(credential.getId(), d, now)));
        }
        return json(Response.Status.OK, Map.of("passes", list));
    }

    @jakarta.ws.rs.DELETE
    @Path("users/{userId}/temporary-access-passes/{passId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokePass(@PathParam("userId") String userId, @PathParam("passId") String passId) {
        AdminAccess.Caller caller = AdminAccess.helpdesk(session, realm);
        UserModel user = findUser(userId);
        var credential = findPass(user, passId);
        if (credential == null) {
            return error(Response.Status.NOT_FOUND, "No such temporary access pass.");
        }
        user.credentialManager().removeStoredCredentialById(passId);
        adminEvent(caller, user, "temporary-access-passes/" + passId + "/revocation", Map.of("id", passId));
        return Response.noContent().build();
    }

    private UserModel findUser(String userId) {
        return userId == null || userId.length() > 36 ? null : session.users().getUserById(realm, userId);
    }

    /** The temporary access pass {@code passId} of {@code user}, or null. */
    private static org.keycloak.credential.CredentialModel findPass(UserModel user, String passId) {
        var credential = user == null || passId == null || passId.length() > 36 ? null
                : user.credentialManager().getStoredCredentialById(passId);
        return credential != null && io.governedrecovery.tap.TemporaryAccessPasses.TYPE.equals(credential.getType())
                ? credential : null;
    }

    private static Map<String, Object> passView(String id, io.governedrecovery.tap.TemporaryAccessPasses.Details d,
                                                long now) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("status", d.status(now));
        v.put("issuedAt", d.issuedAt());
        v.put("expiresAt", d.expiresAt());
        v.put("oneTime", d.oneTime());
        v.put("uses", d.uses());
        v.put("issuedBy", d.issuedBy());
        v.put("approvedBy", d.approvedBy());
        v.put("evidence", d.evidence());
        v.put("ticket", d.ticket());
        return v;
    }

    private static Integer intField(JsonNode node, String name, int fallback, int min, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isInt() || value.asInt() < min || value.asInt() > max) {
            return null;
        }
        return value.asInt();
    }

    private void adminEvent(AdminAccess.Caller caller, UserModel user, String path, Map<String, Object> representation) {
        new AdminEventBuilder(realm, new AdminAuth(caller.realm(), caller.token(), caller.user(), caller.client()),
                session, session.getContext().getConnection())
                .operation(OperationType.ACTION).resource(ResourceType.USER)
                .resourcePath("users", user.getId(), "governed-recovery", path)
                .representation(representation).success();
    }

    // ---- policy summary ----

    @GET
    @Path("policy")
    @Produces(MediaType.APPLICATION_JSON)
    public Response policy() {
        AdminAccess.require(session, realm, "view-realm");
        return json(Response.Status.OK, io.governedrecovery.governance.PolicySummary.of(session, realm));
    }

    // ---- registration compliance ----

    @GET
    @Path("compliance")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response compliance(@QueryParam("format") String format, @QueryParam("department") String department,
                               @QueryParam("group") String groupFilter) {
        AdminAccess.require(session, realm, "view-users");
        String attribute = department == null || department.isBlank() ? "department" : department.trim();
        if (attribute.length() > 64 || !attribute.matches("[A-Za-z0-9._-]+")) {
            return error(Response.Status.BAD_REQUEST, "'department' names a user attribute: letters, digits, . _ -");
        }
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            return error(Response.Status.BAD_REQUEST, "'format' is json or csv.");
        }
        org.keycloak.models.GroupModel only = null;
        if (groupFilter != null && !groupFilter.isBlank()) {
            only = groupFilter.length() > 255 ? null
                    : org.keycloak.models.utils.KeycloakModelUtils.findGroupByPath(session, realm, groupFilter);
            if (only == null) {
                return error(Response.Status.NOT_FOUND, "No group " + groupFilter);
            }
        }
        var report = io.governedrecovery.governance.ComplianceReport.of(session, realm, only, attribute);
        if ("csv".equals(format)) {
            return Response.ok(report.asCsv(), "text/csv; charset=utf-8").header("Cache-Control", "no-store")
                    .header("Content-Disposition", "attachment; filename=\"recovery-compliance.csv\"").build();
        }
        return json(Response.Status.OK, report.asMap());
    }

    private TierDefinition definition() {
        try {
            return TierDefinition.forRealm(realm);
        } catch (IllegalArgumentException broken) {
            return null;
        }
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
