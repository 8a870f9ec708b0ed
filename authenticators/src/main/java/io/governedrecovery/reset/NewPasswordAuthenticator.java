package io.governedrecovery.reset;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.DefaultActionTokenKey;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ModelException;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.validation.Validation;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.flow.PilotFallback;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.flow.Step;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.method.tap.TemporaryAccessPassMethodFactory;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.tap.TemporaryAccessPasses;

import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The last step of a governed reset: the new password, and with it, in the same request and the same transaction,
 * everything a reset must cause: the user's other sessions (and offline sessions) end, every channel the user has is
 * told, and the finish event is recorded. Whatever the user does after this page (a lost-device offer, required actions
 * of the account, closing the tab), the consequences have happened, because they are part of the password change.
 *
 * <p>It sets a password only for the user whose recovery policy this flow met (or whose reset link of the realm's
 * pilot fallback came back), never for anyone else, and never before the privileged branch's approval.
 */
final class NewPasswordAuthenticator implements Step {

    private static final Logger LOG = Logger.getLogger(NewPasswordAuthenticator.class);

    static final String TEMPLATE = "governed-recovery-new-password.ftl";
    static final String LOST_TEMPLATE = "governed-recovery-lost.ftl";
    /** Set once the password was changed in this flow: the user id; the step then only offers the lost devices. */
    static final String PASSWORD_SET = ResetState.PREFIX + "password-set";
    static final String LOST_OFFERED = ResetState.PREFIX + "lost-devices";
    static final String LOST_REMOVED = ResetState.PREFIX + "lost-removed";
    static final String DONE_TEMPLATE = "governed-recovery-done.ftl";

    static final NewPasswordAuthenticator SINGLETON = new NewPasswordAuthenticator();

    private NewPasswordAuthenticator() {
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (passwordSetFor(authSession, user)) {
            lostDevicesOrDone(context, user);
            return;
        }
        if (!mayReset(context, user)) {
            return;
        }
        context.challenge(form(context, user, null).createForm(TEMPLATE));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (passwordSetFor(authSession, user)) {
            if (authSession.getAuthNote(LOST_OFFERED) != null && !authSession.getAuthNote(LOST_OFFERED).isEmpty()) {
                removeLost(context, user, form.getOrDefault("remove", List.of()));
            } else {
                done(context, user);
            }
            return;
        }
        if (!mayReset(context, user)) {
            return;
        }
        String password = form.getFirst("password-new");
        String confirm = form.getFirst("password-confirm");
        if (Validation.isBlank(password)) {
            refused(context, user, Errors.PASSWORD_MISSING,
                    new FormMessage(Validation.FIELD_PASSWORD, Messages.MISSING_PASSWORD));
            return;
        }
        if (!password.equals(confirm)) {
            refused(context, user, Errors.PASSWORD_CONFIRM_ERROR,
                    new FormMessage(Validation.FIELD_PASSWORD_CONFIRM, Messages.NOTMATCH_PASSWORD));
            return;
        }
        boolean passProven = ResetState.provenMethods(authSession, user)
                .contains(TemporaryAccessPassMethodFactory.ID);
        Optional<CredentialModel> pass = passProven ? provenPass(authSession, user) : Optional.empty();
        if (passProven && pass.flatMap(TemporaryAccessPasses::details)
                .map(d -> !d.usable(Time.currentTimeMillis())).orElse(true)) {
            // The pass this reset proved was revoked, or used up by another reset, meanwhile: this reset no longer
            // meets the policy.
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.REASON, "pass revoked or used meanwhile",
                    RecoveryEvents.METHOD, TemporaryAccessPassMethodFactory.ID))
                    .error(RecoveryEvents.ERROR_POLICY_UNREACHABLE);
            ResetState.forget(authSession);
            context.resetFlow();
            return;
        }
        String waited = ResetState.waited(authSession, user);
        if (waited != null && !WaitingPeriod.stillWaiting(context.getSession(), context.getRealm(), user, waited)) {
            // The wait this reset matured was ended meanwhile (a sign-in of the account, a cancel, a report).
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.REASON, "wait ended meanwhile"))
                    .error(RecoveryEvents.ERROR_POLICY_UNREACHABLE);
            ResetState.forget(authSession);
            context.resetFlow();
            return;
        }
        try {
            user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        } catch (ModelException rejected) {
            context.getEvent().clone().event(EventType.UPDATE_CREDENTIAL_ERROR).user(user)
                    .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD)
                    .detail(Details.REASON, rejected.getMessage()).error(Errors.PASSWORD_REJECTED);
            context.challenge(form(context, user, null).setError(rejected.getMessage(), rejected.getParameters())
                    .createForm(TEMPLATE));
            return;
        }
        if (waited != null && !WaitingPeriod.complete(context.getSession(), waited)) {
            // Ended in the instant between the check above and now: nothing of this request is kept.
            context.getSession().getTransactionManager().setRollbackOnly();
            ResetState.forget(authSession);
            context.resetFlow();
            return;
        }
        // A one-time pass is spent by the reset that reached the new password, and only by it.
        pass.ifPresent(p -> TemporaryAccessPasses.use(user, p, Time.currentTimeMillis()));
        // The new password satisfies an "Update password" the account may have been asked for.
        user.removeRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
        authSession.removeRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
        context.getEvent().clone().event(EventType.UPDATE_CREDENTIAL).user(user)
                .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD)
                .detail(EventDetails.STEP, "new_password").success();
        authSession.setAuthNote(PASSWORD_SET, user.getId());
        ResetConsequences.apply(context, user);
        if (context.getRealm().isBruteForceProtected()) {
            // As a sign-in would: a temporary lockout from wrong passwords ends with the new password.
            context.getSession().loginFailures().removeUserLoginFailure(context.getRealm(), user.getId());
        }
        // The reset never signs anyone in: the last page says what happened and links to the sign-in, where the user
        // proves the new password and the usual second factor; the account's own required actions run there, after
        // a full sign-in, never inside the reset.
        authSession.setAuthNote(AuthenticationManager.END_AFTER_REQUIRED_ACTIONS, "true");
        if (waited != null) {
            // The person waited because they lost their other methods: those the wait did not prove go, and the
            // registration campaign asks for new ones at the next sign-in.
            List<String> lost = LostDevices.candidates(user, ResetState.provenMethods(authSession, user));
            List<String> removed = LostDevices.remove(context, user, lost, lost);
            authSession.setAuthNote(LOST_REMOVED, String.join(",", removed));
            authSession.setAuthNote(LOST_OFFERED, "");
            user.addRequiredAction(io.governedrecovery.flow.RequiredActions.REGISTER);
            RecoveryEvents.step(context, WaitingPeriod.STEP, Map.of(RecoveryEvents.OUTCOME, "completed",
                    EventDetails.REMOVED, String.join(",", removed))).success();
        }
        lostDevicesOrDone(context, user);
    }

    /** Whether this flow may set a password for {@code user}; if not, ends the flow as tampered. */
    private boolean mayReset(AuthenticationFlowContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String refusal = refusal(context, user);
        if (refusal == null) {
            return true;
        }
        LOG.debugf("Governed Recovery refused a new password in realm '%s': %s", context.getRealm().getName(),
                refusal);
        RecoveryEvents.step(context, "flow_tampered", Map.of(RecoveryEvents.REASON, refusal))
                .error(refusal.equals(FROZEN) ? RecoveryEvents.ERROR_FROZEN : RecoveryEvents.ERROR_FLOW_TAMPERED);
        ResetState.forget(authSession);
        context.resetFlow();
        return false;
    }

    private static final String FROZEN = "recovery frozen";

    /** Why this flow may not set {@code user}'s password, or null when it may. */
    private static String refusal(AuthenticationFlowContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (user == null || !user.isEnabled()) {
            return "no account";
        }
        String tier = Tiers.of(context.getSession(), context.getRealm(), user);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return "break-glass account";
        }
        if (RecoveryFreeze.isFrozen(user)) {
            return FROZEN; // frozen while this reset was under way (its owner reported, or an analyst)
        }
        ResetSettings.Branch branch = ResetState.satisfiedBranch(authSession, user);
        if (branch == ResetSettings.Branch.STANDARD) {
            return EventDetails.TIER_STANDARD.equals(tier) ? null : "privileged account in the standard branch";
        }
        if (branch == ResetSettings.Branch.PRIVILEGED) {
            return ResetState.approved(authSession, user) ? null : "privileged reset without approval";
        }
        if (!EventDetails.TIER_STANDARD.equals(tier)) {
            return "privileged account outside the privileged branch";
        }
        if (PilotFallback.isFallback(authSession, user)
                && user.getId().equals(authSession.getAuthNote(DefaultActionTokenKey.ACTION_TOKEN_USER_ID))) {
            return null; // the realm's fallback (Keycloak's reset link) proved the mailbox during a pilot
        }
        return "recovery policy not met";
    }

    /** The temporary access pass this flow proved for {@code user}, while the account still has it. */
    private static Optional<CredentialModel> provenPass(AuthenticationSessionModel authSession, UserModel user) {
        return TemporaryAccessPasses.find(user, authSession.getAuthNote(ResetState.PREFIX
                + TemporaryAccessPassMethodFactory.ID + "." + TemporaryAccessPassMethodFactory.PROVEN_NOTE));
    }

    private static boolean passwordSetFor(AuthenticationSessionModel authSession, UserModel user) {
        return user != null && user.getId().equals(authSession.getAuthNote(PASSWORD_SET));
    }

    private void refused(AuthenticationFlowContext context, UserModel user, String error, FormMessage message) {
        context.getEvent().clone().event(EventType.UPDATE_CREDENTIAL_ERROR).user(user)
                .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD).error(error);
        context.challenge(form(context, user, null).addError(message).createForm(TEMPLATE));
    }

    private static org.keycloak.forms.login.LoginFormsProvider form(AuthenticationFlowContext context, UserModel user,
                                                                    String error) {
        var form = context.form().setAttribute("username", user.getUsername())
                .setResponseHeader("Cache-Control", "no-store");
        if (error != null) {
            form.setError(error);
        }
        return form;
    }

    /** After the new password: the offer to remove unproven strong methods (a lost phone or key), or the end. */
    private void lostDevicesOrDone(AuthenticationFlowContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession.getAuthNote(LOST_OFFERED) == null) {
            // Only a governed reset proved enough to remove a method: after the pilot's fallback (one mailbox) the
            // account's app and passkeys stay, whatever was proven.
            List<String> lost = ResetState.satisfiedBranch(authSession, user) == null ? List.of()
                    : LostDevices.candidates(user, ResetState.provenMethods(authSession, user));
            if (!lost.isEmpty()) {
                authSession.setAuthNote(LOST_OFFERED, String.join(",", lost));
                context.challenge(context.form().setAttribute("lost", new LostDevicesBean(lost))
                        .setResponseHeader("Cache-Control", "no-store").createForm(LOST_TEMPLATE));
                return;
            }
        } else if (!authSession.getAuthNote(LOST_OFFERED).isEmpty()) {
            List<String> lost = List.of(authSession.getAuthNote(LOST_OFFERED).split(","));
            context.challenge(context.form().setAttribute("lost", new LostDevicesBean(lost))
                    .setResponseHeader("Cache-Control", "no-store").createForm(LOST_TEMPLATE));
            return;
        }
        done(context, user);
    }

    private void removeLost(AuthenticationFlowContext context, UserModel user, List<String> chosen) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String offered = authSession.getAuthNote(LOST_OFFERED);
        if (offered != null && !offered.isEmpty()) {
            List<String> removed = LostDevices.remove(context, user, List.of(offered.split(",")), chosen);
            authSession.setAuthNote(LOST_REMOVED, String.join(",", removed));
        }
        authSession.setAuthNote(LOST_OFFERED, "");
        done(context, user);
    }

    /**
     * The last page: what happened (new password, other sessions ended, the notice, methods removed as lost) and what
     * to do next (sign in). The flow ends here; its "Sign in" link restarts the sign-in for the same application.
     */
    private static void done(AuthenticationFlowContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        ResetState.forget(authSession);
        String removed = authSession.getAuthNote(LOST_REMOVED);
        context.challenge(context.form()
                .setAttribute("done", new DoneBean(removed == null || removed.isEmpty() ? List.of()
                        : List.of(removed.split(","))))
                .setResponseHeader("Cache-Control", "no-store").createForm(DONE_TEMPLATE));
    }

    /** What the last page shows: the methods removed as lost (a JavaBean, as FreeMarker reads it). */
    public static final class DoneBean {

        private final List<String> removed;

        DoneBean(List<String> removed) {
            this.removed = List.copyOf(removed);
        }

        public List<String> getRemoved() {
            return removed;
        }
    }
}
