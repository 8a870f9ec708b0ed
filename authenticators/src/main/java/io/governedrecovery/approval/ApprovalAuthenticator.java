package io.governedrecovery.approval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.flow.Step;
import io.governedrecovery.privileged.GroupMembers;
import io.governedrecovery.reset.ResetSettings;
import io.governedrecovery.reset.ResetState;

import jakarta.ws.rs.core.Response;

/**
 * Second-person approval of a privileged account's reset. After the privileged branch's methods are proven the reset
 * pauses: members of the approvers group (never the requester) get a signed, single-use, expiring link, and may also
 * decide through the admin REST endpoint. The requester waits on a page that checks by itself and goes on to the new
 * password once approved; a denial or a timeout ends the reset. The request is bound to this user and this browser
 * tab: another tab, another flow or a replayed approval gets nothing from it.
 */
final class ApprovalAuthenticator implements Step {

    private static final Logger LOG = Logger.getLogger(ApprovalAuthenticator.class);

    static final String NOTE = "governed-recovery.approval";
    static final String TEMPLATE = "governed-recovery-approval.ftl";
    private static final int MAX_APPROVERS = 100;

    private final KeycloakSession session;

    ApprovalAuthenticator(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        var authSession = context.getAuthenticationSession();
        if (user == null || ResetState.satisfiedBranch(authSession, user) != ResetSettings.Branch.PRIVILEGED) {
            // Only a flow that met the privileged branch's policy for this very user may ask for approval.
            tampered(context, "approval step reached without the privileged policy met");
            return;
        }
        ApprovalSettings settings;
        try {
            settings = ApprovalSettings.from(context.getAuthenticatorConfig() == null ? null
                    : context.getAuthenticatorConfig().getConfig());
        } catch (IllegalArgumentException bad) {
            LOG.errorf("Governed Recovery approval step in realm '%s' is misconfigured; privileged resets are refused "
                    + "until it is fixed: %s", context.getRealm().getName(), bad.getMessage());
            event(context, "misconfigured", Map.of()).error(io.governedrecovery.flow.RecoveryEvents.ERROR_NO_APPROVERS);
            page(context, "unavailable", 0);
            return;
        }
        String id = authSession.getAuthNote(NOTE);
        if (id == null) {
            request(context, settings, user);
        } else {
            check(context, id);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String action = context.getHttpRequest().getDecodedFormParameters().getFirst("action");
        String id = context.getAuthenticationSession().getAuthNote(NOTE);
        if (id == null || context.getUser() == null) {
            tampered(context, "approval action without a request");
            return;
        }
        if ("cancel".equals(action)) {
            Approvals approvals = new Approvals(session);
            approvals.transition(id, Approval.Status.PENDING, Approval.Status.EXPIRED);
            event(context, "cancelled", Map.of()).error(io.governedrecovery.flow.RecoveryEvents.ERROR_APPROVAL_EXPIRED);
            end(context);
            context.resetFlow();
            return;
        }
        // "check" and anything else: look at the request again.
        check(context, id);
    }

    private void request(AuthenticationFlowContext context, ApprovalSettings settings, UserModel user) {
        RealmModel realm = context.getRealm();
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, settings.approversGroup());
        List<UserModel> approvers = group == null ? List.of() : approvers(realm, group, user);
        if (approvers.isEmpty()) {
            LOG.errorf("Governed Recovery in realm '%s': no one can approve a privileged reset (group '%s' %s). "
                    + "Privileged resets are refused until the group has enabled members with an email address.",
                    realm.getName(), settings.approversGroup(), group == null ? "does not exist" : "has no other "
                            + "enabled member with an email address");
            event(context, "no_approvers", Map.of()).error(io.governedrecovery.flow.RecoveryEvents.ERROR_NO_APPROVERS);
            page(context, "unavailable", 0);
            return;
        }
        long now = Clocks.millis();
        long expires = now + settings.lifetime().toMillis();
        var authSession = context.getAuthenticationSession();
        List<String> methods = ResetState.provenMethods(authSession, user);
        // The address the recovery controls resolved (X-Forwarded-For from trusted proxies), as the events have it.
        String ip = io.governedrecovery.flow.AppliedControls.of(authSession, user)
                .map(io.governedrecovery.flow.AppliedControls::clientAddress)
                .orElse(context.getConnection().getRemoteAddr());
        Approval approval = new Approvals(session).create(realm.getId(), user.getId(), Approvals.binding(authSession),
                group.getId(), now, expires, ip, methods);
        authSession.setAuthNote(NOTE, approval.id());

        RecoveryDelivery delivery = session.getProvider(RecoveryDelivery.class);
        String issuer = issuer(realm);
        for (UserModel approver : approvers) {
            String key = session.tokens().encode(new ApprovalToken(approval.id(), approver.getId(), issuer, expires));
            String link = ApprovalLinks.link(session, realm, key);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("requester", user.getUsername());
            attributes.put("when", MailTimes.format(now));
            attributes.put("ip", ip == null ? "-" : ip);
            attributes.put("methods", String.join(", ", methods));
            attributes.put("link", link);
            attributes.put("minutes", Long.toString(settings.lifetime().toMinutes()));
            Locale locale = session.getContext().resolveLocale(approver);
            delivery.afterCommit(new OutboundMessage.Email(realm.getId(), approver.getId(), approver.getEmail(),
                    "governed-recovery-approval-request.ftl", "governedRecoveryApprovalRequestSubject",
                    List.of(user.getUsername()), attributes, locale, "approval-request", null));
        }
        event(context, "requested", Map.of(EventDetails.APPROVAL_ID, approval.id(),
                "gr_approvers", Integer.toString(approvers.size()))).success();
        page(context, "waiting", settings.lifetime().toMinutes());
    }

    private void check(AuthenticationFlowContext context, String id) {
        Approvals approvals = new Approvals(session);
        var authSession = context.getAuthenticationSession();
        Optional<Approval> found = approvals.find(context.getRealm().getId(), id);
        if (found.isEmpty() || !found.get().userId().equals(context.getUser().getId())
                || !found.get().binding().equals(Approvals.binding(authSession))) {
            tampered(context, "approval request not bound to this flow");
            return;
        }
        Approval approval = found.get();
        long now = Clocks.millis();
        switch (approval.statusAt(now)) {
            case PENDING -> page(context, "waiting", Math.max(1, (approval.expiresAt() - now + 59_999) / 60_000));
            case APPROVED -> {
                if (!approvals.transition(id, Approval.Status.APPROVED, Approval.Status.CONSUMED)) {
                    tampered(context, "approval already used");
                    return;
                }
                event(context, "approved", Map.of(EventDetails.APPROVAL_ID, id,
                        EventDetails.APPROVER, String.valueOf(approval.decidedBy()))).success();
                authSession.removeAuthNote(NOTE);
                ResetState.markApproved(authSession, context.getUser(), id);
                context.success();
            }
            case DENIED -> {
                event(context, "denied", Map.of(EventDetails.APPROVAL_ID, id,
                        EventDetails.APPROVER, String.valueOf(approval.decidedBy())))
                        .error(io.governedrecovery.flow.RecoveryEvents.ERROR_APPROVAL_DENIED);
                end(context);
                page(context, "denied", 0);
            }
            case EXPIRED -> {
                approvals.transition(id, Approval.Status.PENDING, Approval.Status.EXPIRED);
                event(context, "expired", Map.of(EventDetails.APPROVAL_ID, id))
                        .error(io.governedrecovery.flow.RecoveryEvents.ERROR_APPROVAL_EXPIRED);
                end(context);
                page(context, "expired", 0);
            }
            case CONSUMED -> tampered(context, "approval already used");
        }
    }

    /** Ends this reset: the proofs and the request note go, so nothing here can be used again. */
    private static void end(AuthenticationFlowContext context) {
        var authSession = context.getAuthenticationSession();
        authSession.removeAuthNote(NOTE);
        ResetState.forget(authSession);
    }

    private void tampered(AuthenticationFlowContext context, String reason) {
        event(context, "tampered", Map.of(EventDetails.REASON, reason))
                .error(io.governedrecovery.flow.RecoveryEvents.ERROR_FLOW_TAMPERED);
        end(context);
        context.resetFlow();
    }

    private void page(AuthenticationFlowContext context, String state, long minutes) {
        Response page = context.form().setUser(null)
                .setAttribute("approval", new ApprovalPageBean(state, minutes))
                .setResponseHeader("Referrer-Policy", "no-referrer")
                .setResponseHeader("Cache-Control", "no-store")
                .createForm(TEMPLATE);
        context.challenge(page);
    }

    private List<UserModel> approvers(RealmModel realm, GroupModel group, UserModel requester) {
        return GroupMembers.of(session, realm, group, MAX_APPROVERS, u -> u.isEnabled()
                && !u.getId().equals(requester.getId()) && u.getEmail() != null && !u.getEmail().isBlank());
    }

    private String issuer(RealmModel realm) {
        return ApprovalLinks.issuer(session, realm);
    }

    private static EventBuilder event(AuthenticationFlowContext context, String outcome, Map<String, String> details) {
        EventBuilder event = context.getEvent().clone().event(EventType.RESET_PASSWORD)
                .detail(EventDetails.STEP, "approval").detail(EventDetails.OUTCOME, outcome)
                .detail(EventDetails.TIER, EventDetails.TIER_PRIVILEGED);
        if (context.getUser() != null) {
            event.user(context.getUser());
        }
        details.forEach(event::detail);
        return event;
    }
}
