package io.governedrecovery.reset;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.policy.PolicyEvaluator;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.core.policy.VerifiedMethod;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.method.Verification;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.approval.ApprovalAuthenticatorFactory;
import io.governedrecovery.controls.AppliedControls;
import io.governedrecovery.controls.PilotCondition;
import io.governedrecovery.store.Counters;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * The governed reset step: after the user is chosen, the user proves methods one at a time on Keycloak's login pages
 * until the realm's recovery policy is met; only then does the flow go on to Keycloak's own password update.
 *
 * <p>Until a method is proven, an unknown account, a disabled one and a real one walk the same pages with the same
 * work: every method is offered, a code is kept for every send (only a registered destination receives it) and every
 * code fails the same way. Failures count against a per-method budget kept in the database for all cluster nodes;
 * when it is spent the method pauses, correct codes included. Nothing here reveals or logs a code.
 */
final class GovernedResetAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(GovernedResetAuthenticator.class);

    static final String ACTION = "action";
    static final String METHOD = "method";

    private final KeycloakSession session;
    private final List<String> installed;
    private final SecureRandom random;
    private final StepTiming timing;

    GovernedResetAuthenticator(KeycloakSession session, List<String> installed, SecureRandom random,
                               StepTiming timing) {
        this.session = session;
        this.installed = installed;
        this.random = random;
        this.timing = timing;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Optional<ResetSettings> settings = settings(context);
        if (settings.isEmpty()) {
            return;
        }
        ResetState state = state(context);
        UserModel user = context.getUser();
        if (settings.get().branch() == ResetSettings.Branch.STANDARD && user != null
                && PilotCondition.isFallback(context.getAuthenticationSession(), user)) {
            // Outside the pilot: the realm's fallback subflow before this step already handled the reset.
            context.success();
            return;
        }
        if (settings.get().branch() == ResetSettings.Branch.STANDARD && user != null) {
            var authSession = context.getAuthenticationSession();
            if (ResetState.satisfiedBranch(authSession, user) == ResetSettings.Branch.PRIVILEGED) {
                // The privileged branch already met its stricter policy for this very user, and its approval where the
                // flow has an approval step: never reach the new password around the approval.
                if (ResetState.approved(authSession, user)
                        || !TierDefinition.resetFlowHas(context.getRealm(), ApprovalAuthenticatorFactory.PROVIDER_ID)) {
                    context.success();
                    return;
                }
                RecoveryEvents.step(context, "flow_tampered", Map.of(RecoveryEvents.REASON, "approval skipped"))
                        .error(RecoveryEvents.ERROR_FLOW_TAMPERED);
                ResetState.forget(authSession);
                context.resetFlow();
                return;
            }
            String tier = Tiers.of(session, context.getRealm(), user);
            if (!EventDetails.TIER_STANDARD.equals(tier)) {
                // Secure by default: a privileged or break-glass account never resets through the standard step.
                // It walks the pages of an unknown account; the log says how to give it its own branch.
                LOG.warnf("Governed Recovery in realm '%s': a %s account reached the standard reset step, which refuses "
                        + "it. Add the privileged branch (Condition - privileged account, then a reset step with branch "
                        + "'privileged') before this step so such accounts can recover.", context.getRealm().getName(),
                        tier);
                RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "privileged_unbranched",
                        RecoveryEvents.TIER, tier)).error(RecoveryEvents.ERROR_PRIVILEGED_UNBRANCHED);
                context.clearUser();
            }
        }
        state.beginFor(context.getUser());
        context.challenge(methodsPage(context, settings.get(), state, null, null));
        timing.pad(session, StepTiming.IDENTIFY, context.getUser());
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        Optional<ResetSettings> found = settings(context);
        if (found.isEmpty()) {
            return;
        }
        ResetSettings settings = found.get();
        ResetState state = state(context);
        if (!state.isBoundTo(context.getUser())) {
            // The flow's user changed under a running recovery: never carry proofs across accounts.
            RecoveryEvents.step(context, "flow_tampered", Map.of())
                    .error(RecoveryEvents.ERROR_FLOW_TAMPERED);
            state.clear();
            context.resetFlow();
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String action = form.getFirst(ACTION);
        if (action == null) {
            action = "";
        }
        long start = System.nanoTime();
        switch (action) {
            case "select" -> {
                select(context, settings, state, form.getFirst(METHOD));
                timing.pad(action, context.getUser(), start);
            }
            case "verify" -> {
                if (!verify(context, settings, state)) {
                    timing.pad(action, context.getUser(), start);
                }
            }
            case "resend" -> {
                resend(context, settings, state);
                timing.pad(action, context.getUser(), start);
            }
            case "back" -> {
                state.clearActive();
                context.challenge(methodsPage(context, settings, state, null, null));
            }
            case "helpdesk" -> helpdesk(context, settings, state, "asked");
            default -> {
                RecoveryEvents.step(context, "invalid_request", Map.of(RecoveryEvents.REASON, "unknown action"))
                        .error(RecoveryEvents.ERROR_INVALID_INPUT);
                context.challenge(methodsPage(context, settings, state, "governedRecoveryInvalidRequest", null));
            }
        }
    }

    private void select(AuthenticationFlowContext context, ResetSettings settings, ResetState state, String methodId) {
        Optional<RecoveryMethod> method = offered(settings, methodId);
        if (method.isEmpty()) {
            RecoveryEvents.step(context, "invalid_request", Map.of(RecoveryEvents.REASON, "unknown method"))
                    .error(RecoveryEvents.ERROR_INVALID_INPUT);
            context.challenge(methodsPage(context, settings, state, "governedRecoveryChooseMethod", null));
            return;
        }
        if (state.isVerified(method.get().id())) {
            context.challenge(methodsPage(context, settings, state, "governedRecoveryAlreadyVerified", null));
            return;
        }
        if (paused(context, settings, state, method.get())) {
            pausedPage(context, settings, state, method.get());
            return;
        }
        state.setActive(method.get().id());
        RecoveryMethodContext mctx = methodContext(context, settings, state, method.get());
        method.get().prepare(mctx);
        RecoveryEvents.step(context, "challenge", details(method.get(), Map.of())).success();
        context.challenge(method.get().page(mctx));
    }

    private void resend(AuthenticationFlowContext context, ResetSettings settings, ResetState state) {
        Optional<RecoveryMethod> method = active(settings, state);
        if (method.isEmpty() || !method.get().resendable()) {
            context.challenge(methodsPage(context, settings, state, "governedRecoveryChooseMethod", null));
            return;
        }
        RecoveryMethodContext mctx = methodContext(context, settings, state, method.get());
        if (paused(context, settings, state, method.get())) {
            pausedPage(context, settings, state, method.get());
            return;
        }
        if (mctx.sends() >= settings.maxSends()) {
            mctx.page().setError("governedRecoveryResendLimit");
            context.challenge(method.get().page(mctx));
            return;
        }
        method.get().prepare(mctx);
        RecoveryEvents.step(context, "challenge", details(method.get(), Map.of(RecoveryEvents.OUTCOME, "resent")))
                .success();
        mctx.page().setInfo("governedRecoveryCodeResent");
        context.challenge(method.get().page(mctx));
    }

    /** Checks a submission of the active method; true when it proved the method. */
    private boolean verify(AuthenticationFlowContext context, ResetSettings settings, ResetState state) {
        Optional<RecoveryMethod> found = active(settings, state);
        if (found.isEmpty()) {
            context.challenge(methodsPage(context, settings, state, "governedRecoveryChooseMethod", null));
            return false;
        }
        RecoveryMethod method = found.get();
        if (paused(context, settings, state, method)) {
            pausedPage(context, settings, state, method);
            return false;
        }
        RecoveryMethodContext mctx = methodContext(context, settings, state, method);
        Verification outcome = method.verify(mctx);
        switch (outcome) {
            case VERIFIED -> {
                proven(context, settings, state, method, mctx.registration().orElseThrow());
                return true;
            }
            case INCOMPLETE -> {
                mctx.page().setError(method.missingMessageKey());
                context.challenge(method.page(mctx));
            }
            default -> failed(context, settings, state, method, mctx, outcome);
        }
        return false;
    }

    private void failed(AuthenticationFlowContext context, ResetSettings settings, ResetState state,
                        RecoveryMethod method, RecoveryMethodContext mctx, Verification outcome) {
        double failures = counters().increment(context.getRealm().getId(), "fail:" + method.id(),
                state.budgetSubject(context.getUser()), settings.failureWindow(), Instant.now());
        RecoveryEvents.step(context, "verify", details(method, Map.of(RecoveryEvents.OUTCOME,
                outcome.name().toLowerCase(java.util.Locale.ROOT)))).error(RecoveryEvents.ERROR_INVALID_CODE);
        if (failures >= settings.failureBudget()) {
            pausedPage(context, settings, state, method);
            return;
        }
        mctx.page().setError(switch (outcome) {
            case EXPIRED -> "governedRecoveryCodeExpired";
            case EXHAUSTED -> "governedRecoveryCodeExhausted";
            default -> method.wrongMessageKey();
        });
        context.challenge(method.page(mctx));
    }

    private void proven(AuthenticationFlowContext context, ResetSettings settings, ResetState state,
                        RecoveryMethod method, RegisteredMethod registration) {
        state.addVerified(VerifiedMethod.of(registration));
        state.clearActive();
        Instant now = Instant.now();
        PolicyEvaluator.Progress progress = PolicyEvaluator.evaluate(settings.policy(), registered(context, settings),
                state.verified(), now);
        RecoveryEvents.step(context, "verify", details(method, Map.of(RecoveryEvents.OUTCOME, "verified",
                RecoveryEvents.PROVEN, Integer.toString(progress.channelsProven()),
                RecoveryEvents.REQUIRED, Integer.toString(settings.policy().minChannels())))).success();
        if (!settings.selfService()) {
            // No self-service: privileged accounts of a realm that says so, or any account at high risk. One proof
            // first, so the pages before it stay the same for every account.
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "no_self_service",
                    RecoveryEvents.REASON, settings.riskRefused() ? "high_risk" : "privileged_admin_procedure",
                    RecoveryEvents.TIER, settings.branch() == ResetSettings.Branch.PRIVILEGED
                            ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD))
                    .error(RecoveryEvents.ERROR_POLICY_UNREACHABLE);
            state.clearActive();
            RecoveryPageBean page = bean(context, settings, state);
            context.challenge(RecoveryPages.base(context, settings.riskRefused() ? page : page.adminProcedure())
                    .createForm(RecoveryPages.HELPDESK));
        } else if (progress.satisfied()) {
            finish(context, settings, state, progress, now);
        } else if (!progress.reachable()) {
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "unreachable",
                    RecoveryEvents.PROVEN, Integer.toString(progress.channelsProven())))
                    .error(RecoveryEvents.ERROR_POLICY_UNREACHABLE);
            helpdesk(context, settings, state, null);
        } else {
            context.challenge(methodsPage(context, settings, state, null, "governedRecoveryMethodVerified"));
        }
    }

    private void finish(AuthenticationFlowContext context, ResetSettings settings, ResetState state,
                        PolicyEvaluator.Progress progress, Instant now) {
        RealmModel realm = context.getRealm();
        RequiredActionProviderModel finishAction = realm.getRequiredActionProviderByAlias(FinishResetActionFactory.ID);
        if (finishAction == null || !finishAction.isEnabled()) {
            LOG.errorf("Governed Recovery in realm '%s' is misconfigured: enable the required action '%s' "
                    + "(Authentication, Required actions) so resets end other sessions and notify the user. "
                    + "Resets are refused until then.", realm.getName(), FinishResetActionFactory.ID);
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.REASON, "finish action disabled"))
                    .error(RecoveryEvents.ERROR_MISCONFIGURED);
            helpdesk(context, settings, state, null);
            return;
        }
        state.markSatisfied(now.toEpochMilli(), settings.branch());
        var authSession = context.getAuthenticationSession();
        authSession.setAuthNote(FinishResetAction.END_OFFLINE, Boolean.toString(settings.endOfflineSessions()));
        if (settings.helpdeskText() != null) {
            authSession.setAuthNote(FinishResetAction.HELPDESK_TEXT, settings.helpdeskText());
        }
        if (settings.helpdeskUrl() != null) {
            authSession.setAuthNote(FinishResetAction.HELPDESK_URL, settings.helpdeskUrl());
        }
        registered(context, settings).stream()
                .filter(m -> m.channel().kind() == io.governedrecovery.core.policy.ChannelKind.PHONE)
                .findFirst()
                .ifPresent(m -> authSession.setAuthNote(FinishResetAction.NOTIFY_PHONE,
                        context.getUser().getFirstAttribute(settings.methodSettings().phoneAttribute())));
        authSession.addRequiredAction(FinishResetActionFactory.ID);
        // The reset never signs anyone in: after the new password the user signs in again, second factor included.
        context.getAuthenticationSession().setAuthNote(AuthenticationManager.END_AFTER_REQUIRED_ACTIONS, "true");
        RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "satisfied",
                RecoveryEvents.PROVEN, Integer.toString(progress.channelsProven()),
                RecoveryEvents.REQUIRED, Integer.toString(settings.policy().minChannels()))).success();
        context.success();
    }

    private void helpdesk(AuthenticationFlowContext context, ResetSettings settings, ResetState state, String outcome) {
        if (outcome != null) {
            RecoveryEvents.step(context, "helpdesk", Map.of(RecoveryEvents.OUTCOME, outcome)).success();
        }
        state.clearActive();
        context.challenge(RecoveryPages.base(context, bean(context, settings, state))
                .createForm(RecoveryPages.HELPDESK));
    }

    private void pausedPage(AuthenticationFlowContext context, ResetSettings settings, ResetState state,
                            RecoveryMethod method) {
        RecoveryEvents.step(context, "verify", details(method, Map.of(RecoveryEvents.OUTCOME, "paused")))
                .error(RecoveryEvents.ERROR_METHOD_PAUSED);
        state.clearActive();
        context.challenge(methodsPage(context, settings, state, "governedRecoveryMethodPaused", null));
    }

    private boolean paused(AuthenticationFlowContext context, ResetSettings settings, ResetState state,
                           RecoveryMethod method) {
        return counters().count(context.getRealm().getId(), "fail:" + method.id(),
                state.budgetSubject(context.getUser()), settings.failureWindow(), Instant.now())
                >= settings.failureBudget();
    }

    private Response methodsPage(AuthenticationFlowContext context, ResetSettings settings, ResetState state,
                                 String errorKey, String successKey) {
        var page = RecoveryPages.base(context, bean(context, settings, state));
        if (errorKey != null) {
            page.setError(errorKey);
        } else if (successKey != null) {
            page.setSuccess(successKey);
        }
        return page.createForm(RecoveryPages.METHODS);
    }

    private RecoveryPageBean bean(AuthenticationFlowContext context, ResetSettings settings, ResetState state) {
        List<VerifiedMethod> verified = state.verified();
        List<RecoveryPageBean.MethodEntry> entries = new ArrayList<>();
        for (String id : settings.methods()) {
            RecoveryMethod method = method(id);
            if (method != null) {
                entries.add(new RecoveryPageBean.MethodEntry(id, method.strength() == Strength.STRONG,
                        verified.stream().anyMatch(v -> v.methodId().equals(id))));
            }
        }
        long provenChannels = verified.stream().map(VerifiedMethod::channel).distinct().count();
        long strongChannels = verified.stream().filter(v -> v.strength() == Strength.STRONG)
                .map(VerifiedMethod::channel).distinct().count();
        return new RecoveryPageBean(entries, settings.policy().minChannels(), settings.policy().minStrong(),
                (int) provenChannels, state.active(), settings.helpdeskText(), settings.helpdeskUrl())
                .strongProven((int) strongChannels);
    }

    private RecoveryMethodContext methodContext(AuthenticationFlowContext context, ResetSettings settings,
                                                ResetState state, RecoveryMethod method) {
        Optional<RegisteredMethod> registration = method.registration(context.getRealm(), context.getUser(),
                settings.methodSettings());
        return new RecoveryMethodContext(context, state, method, registration, settings,
                bean(context, settings, state), random, Instant.now());
    }

    private List<RegisteredMethod> registered(AuthenticationFlowContext context, ResetSettings settings) {
        List<RegisteredMethod> registered = new ArrayList<>();
        for (String id : settings.methods()) {
            RecoveryMethod method = method(id);
            if (method != null) {
                method.registration(context.getRealm(), context.getUser(), settings.methodSettings())
                        .ifPresent(registered::add);
            }
        }
        return registered;
    }

    private Optional<RecoveryMethod> offered(ResetSettings settings, String methodId) {
        if (methodId == null || !settings.methods().contains(methodId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(method(methodId));
    }

    private Optional<RecoveryMethod> active(ResetSettings settings, ResetState state) {
        return offered(settings, state.active());
    }

    private RecoveryMethod method(String id) {
        return session.getProvider(RecoveryMethod.class, id);
    }

    private static Map<String, String> details(RecoveryMethod method, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(RecoveryEvents.METHOD, method.id());
        details.put(RecoveryEvents.CHANNEL, method.channelKind().name());
        details.put(RecoveryEvents.STRENGTH, method.strength().name());
        details.putAll(extra);
        return details;
    }

    private ResetState state(AuthenticationFlowContext context) {
        return new ResetState(context.getAuthenticationSession(), installed);
    }

    private Counters counters() {
        return new Counters(session);
    }

    /** The settings, or empty after showing the neutral helpdesk page when they are broken. */
    private Optional<ResetSettings> settings(AuthenticationFlowContext context) {
        Map<String, String> config = context.getAuthenticatorConfig() == null ? new HashMap<>()
                : context.getAuthenticatorConfig().getConfig();
        try {
            ResetSettings configured = ResetSettings.from(config, installed);
            return Optional.of(AppliedControls.of(context.getAuthenticationSession(), context.getUser())
                    .map(c -> configured.withControls(c.extraStrong(), c.refused())).orElse(configured));
        } catch (IllegalArgumentException bad) {
            LOG.errorf("Governed Recovery reset step in realm '%s' is misconfigured; resets are refused until it is "
                    + "fixed: %s", context.getRealm().getName(), bad.getMessage());
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.REASON, "invalid settings"))
                    .error(RecoveryEvents.ERROR_MISCONFIGURED);
            context.challenge(context.form().setAttribute(RecoveryPages.BEAN,
                            new RecoveryPageBean(List.of(), 0, 0, 0, null, null, null))
                    .createForm(RecoveryPages.HELPDESK));
            return Optional.empty();
        }
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // Nothing to set up: methods are registered elsewhere.
    }

    @Override
    public void close() {
        // Per-request object.
    }
}
