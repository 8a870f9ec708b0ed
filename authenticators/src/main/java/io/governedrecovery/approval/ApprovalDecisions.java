package io.governedrecovery.approval;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.RoleUtils;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.clock.Clocks;

/**
 * Deciding approval requests, the same way whether an approver follows the mailed link or calls the REST endpoint:
 * only an enabled member of the request's approvers group (or a subgroup), never the requester, decides a pending,
 * unexpired request, and only once. Each decision is an event and a mail to the requester.
 */
public final class ApprovalDecisions {

    /** Why a decision was not taken. */
    public enum Refusal { NOT_FOUND, NOT_AN_APPROVER, OWN_REQUEST, NOT_PENDING }

    /** The outcome of a decision attempt: the refusal, or none when the decision was recorded. */
    public record Outcome(Optional<Refusal> refusal, Approval approval) {
        public boolean decided() {
            return refusal.isEmpty();
        }
    }

    private static final int MAX_REASON = 200;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Approvals approvals;

    public ApprovalDecisions(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.approvals = new Approvals(session);
    }

    /** The approval a link's key names, if the key is a valid, unexpired key of this realm for that approver. */
    public Optional<Keyed> fromKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 4096) {
            return Optional.empty();
        }
        ApprovalToken token;
        try {
            token = session.tokens().decode(key, ApprovalToken.class);
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        if (token == null || !ApprovalToken.TYPE.equals(token.getType()) || !token.isActive()
                || !ApprovalLinks.issuer(session, realm).equals(token.getIssuer()) || token.getSubject() == null) {
            return Optional.empty();
        }
        Optional<Approval> approval = approvals.find(realm.getId(), token.getApprovalId());
        UserModel approver = session.users().getUserById(realm, token.getSubject());
        if (approval.isEmpty() || approver == null) {
            return Optional.empty();
        }
        return Optional.of(new Keyed(approval.get(), approver));
    }

    /** An approval together with the approver its key was sent to. */
    public record Keyed(Approval approval, UserModel approver) {
    }

    /** Whether {@code user} may decide {@code approval} now, and if not, why. */
    public Optional<Refusal> check(Approval approval, UserModel user) {
        if (user.getId().equals(approval.userId())) {
            return Optional.of(Refusal.OWN_REQUEST);
        }
        if (!isApprover(approval, user)) {
            return Optional.of(Refusal.NOT_AN_APPROVER);
        }
        if (approval.statusAt(Clocks.millis()) != Approval.Status.PENDING) {
            return Optional.of(Refusal.NOT_PENDING);
        }
        return Optional.empty();
    }

    public boolean isApprover(Approval approval, UserModel user) {
        if (!user.isEnabled()) {
            return false;
        }
        GroupModel group = realm.getGroupById(approval.approverGroupId());
        return group != null && RoleUtils.isMember(user.getGroupsStream(), group);
    }

    /**
     * Whether {@code user} is an enabled member of the approvers group the realm's approval step names (or of a
     * subgroup): someone the realm expects to decide requests, whether one is pending or not.
     */
    public boolean isApproverOfRealm(UserModel user) {
        if (!user.isEnabled()) {
            return false;
        }
        return io.governedrecovery.flow.ResetFlow.config(realm, ApprovalAuthenticatorFactory.PROVIDER_ID)
                .map(c -> c.get(ApprovalSettings.APPROVERS_GROUP)).map(String::trim).filter(g -> !g.isEmpty())
                .map(path -> org.keycloak.models.utils.KeycloakModelUtils.findGroupByPath(session, realm, path))
                .map(group -> RoleUtils.isMember(user.getGroupsStream(), group)).orElse(false);
    }

    /** The approvals pending in this realm that {@code user} may decide. */
    public List<Approval> pendingFor(UserModel user) {
        long now = Clocks.millis();
        return approvals.pending(realm.getId(), now).stream()
                .filter(a -> check(a, user).isEmpty()).toList();
    }

    public Optional<Approval> find(String id) {
        return approvals.find(realm.getId(), id);
    }

    /**
     * Decides {@code approval} as {@code approver} through {@code via} ({@code link} or {@code api}); every check is
     * made again here, and the update itself only succeeds on a pending, unexpired row.
     */
    public Outcome decide(Approval approval, UserModel approver, boolean approve, String via, String reason) {
        Optional<Refusal> refusal = check(approval, approver);
        if (refusal.isPresent()) {
            return new Outcome(refusal, approval);
        }
        String trimmed = reason == null ? null : reason.strip();
        if (trimmed != null && trimmed.length() > MAX_REASON) {
            trimmed = trimmed.substring(0, MAX_REASON);
        }
        long now = Clocks.millis();
        if (!approvals.decide(approval.id(), approve, approver.getId(), via, trimmed, now)) {
            return new Outcome(Optional.of(Refusal.NOT_PENDING), approval);
        }
        Approval decided = approvals.find(realm.getId(), approval.id()).orElse(approval);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.RESET_PASSWORD).user(approval.userId())
                .detail(EventDetails.STEP, "approval-decision")
                .detail(EventDetails.OUTCOME, approve ? "approved" : "denied")
                .detail(EventDetails.TIER, EventDetails.TIER_PRIVILEGED)
                .detail(EventDetails.APPROVAL_ID, approval.id())
                .detail(EventDetails.APPROVER, approver.getId())
                .detail("gr_via", via);
        event.success();
        notifyRequester(approval, approve);
        return new Outcome(Optional.empty(), decided);
    }

    private void notifyRequester(Approval approval, boolean approved) {
        UserModel requester = session.users().getUserById(realm, approval.userId());
        if (requester == null || requester.getEmail() == null || requester.getEmail().isBlank()) {
            return;
        }
        session.getProvider(RecoveryDelivery.class).afterCommit(new OutboundMessage.Email(realm.getId(),
                requester.getId(), requester.getEmail(), "governed-recovery-approval-decided.ftl",
                "governedRecoveryApprovalDecidedSubject", List.of(),
                Map.of("decision", approved ? "approved" : "denied"),
                session.getContext().resolveLocale(requester), "approval-decided", null));
    }

    /** A time for pages and mails. */
    public static String time(long millis) {
        return io.governedrecovery.delivery.MailTimes.format(millis);
    }
}
