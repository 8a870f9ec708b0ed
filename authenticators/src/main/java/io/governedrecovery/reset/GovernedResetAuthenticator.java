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
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.policy.PolicyEvaluator;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.core.policy.VerifiedMethod;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.flow.AppliedControls;
import io.governedrecovery.flow.PilotFallback;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.flow.ResetFlow;
import io.governedrecovery.flow.Step;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.limits.FailureBudget;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.method.Verification;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.store.Counters;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * The governed reset step: after the user is chosen, the user proves methods one at a time on Keycloak's login pages
 * until the account's recovery policy is met; only then does the flow go on (to the approval of a privileged reset,
 * then to the new password).
 *
 * <p>One step serves every account: a privileged account is held to the privileged branch's policy here, so its pages
 * come from the same step (the same form addresses) as everyone else's. Until a method is proven, an unknown account,
 * a disabled one, a privileged one and a standard one walk the same pages with the same work: every method is offered,
 * a code is kept for every send (only a registered destination receives it) and every code fails the same way.
 * Failures count against a per-method budget kept in the database for all cluster nodes; when it is spent the method
 * pauses, correct codes included. Nothing here reveals or logs a code.
 */
final class GovernedResetAuthenticator implements Step {

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
        ready(context).ifPresent(own -> start(context, own));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        ready(context).ifPresent(own -> act(context, own));
    }

    /**
     * This step's settings when it may run: the recovery controls judged the request (or are not in the flow), and
     * the step's settings are valid. Otherwise the answer has been given and the step does nothing more.
     */
    private Optional<ResetSettings> ready(AuthenticationFlowContext context) {
        return judgedByControls(context) ? settings(context) : Optional.empty();
    }

    private void start(AuthenticationFlowContext context, ResetSettings own) {
        ResetState state = state(context);
        refuseBreakGlass(context, own);
        UserModel user = context.getUser();
        var authSession = context.getAuthenticationSession();
        if (own.branch() == ResetSettings.Branch.PRIVILEGED && user != null
                && ResetState.satisfiedBranch(authSession, user) == ResetSettings.Branch.PRIVILEGED) {
            // The main reset step before this branch already met the privileged policy for this very account.
            context.success();
            return;
        }
        if (own.branch() == ResetSettings.Branch.STANDARD && user != null
                && PilotFallback.isFallback(authSession, user)) {
            // Outside the pilot: the realm's fallback subflow before this step already handled the reset.
            context.success();
            return;
        }
        if (own.branch() == ResetSettings.Branch.STANDARD && user != null
                && ResetState.satisfiedBranch(authSession, user) == ResetSettings.Branch.PRIVILEGED) {
            // A privileged branch before this step (an older flow layout) already met its stricter policy for this
            // very user, and a second person approved it: never reach the new password around the approval.
            if (ResetState.approved(authSession, user)) {
                context.success();
                return;
            }
            RecoveryEvents.step(context, "flow_tampered", Map.of(RecoveryEvents.REASON, "approval skipped"))
                    .error(RecoveryEvents.ERROR_FLOW_TAMPERED);
            ResetState.forget(authSession);
            context.resetFlow();
            return;
        }
        Tiered settings = tiered(context, own, state);
        state.beginFor(context.getUser());
        context.challenge(methodsPage(context, settings, state, null, null));
        timing.pad(session, StepTiming.IDENTIFY, context.getUser());
    }

    private void act(AuthenticationFlowContext context, ResetSettings own) {
        ResetState state = state(context);
        if (!state.isBoundTo(context.getUser())) {
            // The flow's user changed under a running recovery: never carry proofs across accounts.
            RecoveryEvents.step(context, "flow_tampered", Map.of())
                    .error(RecoveryEvents.ERROR_FLOW_TAMPERED);
            state.clear();
            context.resetFlow();
            return;
        }
        Tiered settings = tiered(context, own, state);
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
            case "wait" -> startWaiting(context, settings, state);
            default -> {
                RecoveryEvents.step(context, "invalid_request", Map.of(RecoveryEvents.REASON, "unknown action"))
                        .error(RecoveryEvents.ERROR_INVALID_INPUT);
                context.challenge(methodsPage(context, settings, state, "governedRecoveryInvalidRequest", null));
            }
        }
    }

    /**
     * Whether the recovery controls judged this very account in this flow. When the flow's account changed after the
     * controls ran (another name typed on an identity-first sign-in page of the same tab, say), the reset starts over
     * so the controls judge the account that is being reset; it never goes on under someone else's decision.
     */
    private boolean judgedByControls(AuthenticationFlowContext context) {
        if (AppliedControls.of(context.getAuthenticationSession(), context.getUser()).isPresent()
                || !ResetFlow.has(context.getRealm(), AppliedControls.STEP_ID)) {
            return true;
        }
        RecoveryEvents.step(context, "flow_tampered", Map.of(RecoveryEvents.REASON, "account changed after controls"))
                .error(RecoveryEvents.ERROR_FLOW_TAMPERED);
        ResetState.forget(context.getAuthenticationSession());
        context.resetFlow();
        return false;
    }

    /**
     * A break-glass account, or one whose recovery is frozen, is never recovered by self-service, whichever reset step
     * it reaches: it walks the pages of an unknown name, and the refusal is an event.
     */
    private void refuseBreakGlass(AuthenticationFlowContext context, ResetSettings settings) {
        UserModel user = context.getUser();
        if (user == null) {
            return;
        }
        boolean breakGlass = EventDetails.TIER_BREAK_GLASS.equals(Tiers.of(session, context.getRealm(), user));
        boolean frozen = !breakGlass && RecoveryFreeze.isFrozen(user);
        if (!breakGlass && !frozen) {
            return;
        }
        String where = settings.branch().name().toLowerCase(java.util.Locale.ROOT) + " step";
        if (breakGlass) {
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "break_glass_refused",
                    RecoveryEvents.TIER, EventDetails.TIER_BREAK_GLASS, RecoveryEvents.REASON, where))
                    .error(RecoveryEvents.ERROR_BREAK_GLASS);
        } else {
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "frozen_refused",
                    EventDetails.FROZEN, "true", RecoveryEvents.REASON, where))
                    .error(RecoveryEvents.ERROR_FROZEN);
        }
        AppliedControls.unbind(context.getAuthenticationSession(), user);
        RecoveryEvents.refusedAccount(context.getAuthenticationSession(), user, frozen);
        context.clearUser();
    }

    /**
     * The settings for this flow's account. A privileged account reset at the main step is held to the privileged
     * branch's policy (the settings of the reset step with branch "privileged"), while its pages until the first proof
     * stay those of the standard branch: same methods, same numbers, same step, so nothing before a proof tells an
     * administrator's name from anyone else's. A privileged account the realm gives no branch to (or a broken one)
     * walks the pages of an unknown name.
     */
    private Tiered tiered(AuthenticationFlowContext context, ResetSettings own, ResetState state) {
        UserModel user = context.getUser();
        if (own.branch() == ResetSettings.Branch.PRIVILEGED || user == null) {
            return new Tiered(own, own);
        }
        String tier = Tiers.of(session, context.getRealm(), user);
        if (EventDetails.TIER_STANDARD.equals(tier)) {
            return new Tiered(own, own);
        }
        RealmModel realm = context.getRealm();
        Optional<Map<String, String>> branch = ResetSteps.config(realm, ResetSettings.Branch.PRIVILEGED);
        String problem = null;
        ResetSettings privileged = null;
        if (branch.isEmpty()) {
            problem = "Add the privileged branch (Condition - privileged account, then a reset step with branch "
                    + "'privileged', then the approval) after this step so such accounts can recover.";
        } else {
            try {
                privileged = withControls(context, ResetSettings.from(branch.get(), installed));
            } catch (IllegalArgumentException bad) {
                problem = "the privileged branch's reset step is misconfigured: " + bad.getMessage();
            }
        }
        if (problem != null) {
            // Secure by default: a privileged or break-glass account never resets under the standard policy.
            LOG.warnf("Governed Recovery in realm '%s': a %s account cannot reset: %s", realm.getName(), tier, problem);
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "privileged_unbranched",
                    RecoveryEvents.TIER, tier)).error(RecoveryEvents.ERROR_PRIVILEGED_UNBRANCHED);
            AppliedControls.unbind(context.getAuthenticationSession(), user);
            context.clearUser();
            return new Tiered(own, own);
        }
        boolean proven = state.isBoundTo(user) && !state.verified().isEmpty();
        return new Tiered(proven ? privileged : own, privileged);
    }

    /**
     * What a reset step works with: {@code shown} decides the pages and their limits (methods offered, the numbers on
     * the page, the helpdesk, sends, failure budget, code rules), {@code policy} what a proof counts for (the account's
     * methods and the policy it must meet). The two differ only for a privileged account before its first proof.
     */
    private record Tiered(ResetSettings shown, ResetSettings policy) {
    }

    private void select(AuthenticationFlowContext context, Tiered settings, ResetState state, String methodId) {
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
        if (method.get().resendable() && mctx.sends() >= settings.shown().maxSends()) {
            // Choosing the method again sends nothing once this reset sent its codes: the last one still counts.
            mctx.page().setError("governedRecoveryResendLimit");
            context.challenge(method.get().page(mctx));
            return;
        }
        method.get().prepare(mctx);
        RecoveryEvents.step(context, "challenge", details(method.get(), Map.of())).success();
        context.challenge(method.get().page(mctx));
    }

    private void resend(AuthenticationFlowContext context, Tiered settings, ResetState state) {
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
        if (mctx.sends() >= settings.shown().maxSends()) {
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
    private boolean verify(AuthenticationFlowContext context, Tiered settings, ResetState state) {
        Optional<RecoveryMethod> found = active(settings, state);
        if (found.isEmpty()) {
            context.challenge(methodsPage(context, settings, state, "governedRecoveryChooseMethod", null));
            return false;
        }
        RecoveryMethod method = found.get();
        FailureBudget budget = budget(settings.shown());
        // The try counts before the answer is checked, so parallel tries cannot outrun the budget.
        FailureBudget.Attempt attempt = budget.begin(budgetSubject(context, method), Clocks.now());
        if (!attempt.allowed()) {
            pausedPage(context, settings, state, method);
            return false;
        }
        RecoveryMethodContext mctx = methodContext(context, settings, state, method);
        Verification outcome = method.verify(mctx);
        switch (outcome) {
            case VERIFIED -> {
                budget.succeeded(attempt);
                proven(context, settings, state, method, mctx.registration().orElseThrow());
                return true;
            }
            case INCOMPLETE -> {
                budget.succeeded(attempt); // nothing was tried
                mctx.page().setError(method.missingMessageKey());
                context.challenge(method.page(mctx));
            }
            default -> failed(context, settings, state, method, mctx, outcome, attempt.spent());
        }
        return false;
    }

    private void failed(AuthenticationFlowContext context, Tiered settings, ResetState state,
                        RecoveryMethod method, RecoveryMethodContext mctx, Verification outcome, boolean spent) {
        RecoveryEvents.step(context, "verify", details(method, Map.of(RecoveryEvents.OUTCOME,
                outcome.name().toLowerCase(java.util.Locale.ROOT)))).error(RecoveryEvents.ERROR_INVALID_CODE);
        if (spent) {
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

    private void proven(AuthenticationFlowContext context, Tiered settings, ResetState state,
                        RecoveryMethod method, RegisteredMethod registration) {
        state.addVerified(registration);
        state.clearActive();
        Instant now = Clocks.now();
        PolicyEvaluator.Progress progress = PolicyEvaluator.evaluate(settings.policy().policy(),
                withProven(registered(context, settings.policy()), state), state.verified(), now);
        RecoveryEvents.step(context, "verify", details(method, Map.of(RecoveryEvents.OUTCOME, "verified",
                RecoveryEvents.PROVEN, Integer.toString(progress.channelsProven()),
                RecoveryEvents.REQUIRED, Integer.toString(settings.policy().policy().minChannels())))).success();
        ResetSettings policy = settings.policy();
        WaitingPeriod.Proof wait = WaitingPeriod.atProof(context, state, method.id(), riskElevated(context), policy);
        switch (wait.kind()) {
            case STILL_WAITING -> {
                state.clearActive();
                context.challenge(RecoveryPages.base(context, bean(context, settings, state)
                        .intro("governedRecoveryWaitingStill", MailTimes.format(wait.endsAt())))
                        .createForm(RecoveryPages.HELPDESK));
                return;
            }
            case ENDED -> {
                state.clearActive();
                context.challenge(RecoveryPages.base(context, bean(context, settings, state)
                        .intro("governedRecoveryWaitingEnded")).createForm(RecoveryPages.HELPDESK));
                return;
            }
            case COMPLETE -> {
                finish(context, settings, state, progress, now);
                return;
            }
            default -> {
                // no wait concerns this flow
            }
        }
        if (!policy.selfService()) {
            // No self-service: privileged accounts of a realm that says so, or any account at high risk. One proof
            // first, so the pages before it stay the same for every account.
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "no_self_service",
                    RecoveryEvents.REASON, policy.riskRefused() ? "high_risk" : "privileged_admin_procedure",
                    RecoveryEvents.TIER, policy.branch() == ResetSettings.Branch.PRIVILEGED
                            ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD))
                    .error(RecoveryEvents.ERROR_POLICY_UNREACHABLE);
            state.clearActive();
            RecoveryPageBean page = bean(context, settings, state);
            context.challenge(RecoveryPages.base(context, policy.riskRefused()
                            ? page.intro("governedRecoveryHelpdeskIntro-risk") : page.adminProcedure())
                    .createForm(RecoveryPages.HELPDESK));
        } else if (progress.satisfied()) {
            finish(context, settings, state, progress, now);
        } else if (!progress.reachable()) {
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "unreachable",
                    RecoveryEvents.PROVEN, Integer.toString(progress.channelsProven())))
                    .error(RecoveryEvents.ERROR_POLICY_UNREACHABLE);
            state.clearActive();
            boolean cooling = withProven(registered(context, settings.policy()), state).stream()
                    .anyMatch(m -> PolicyEvaluator.inCooldown(settings.policy().policy(), m, now));
            context.challenge(RecoveryPages.base(context,
                            whyUnreachable(bean(context, settings, state), progress, cooling)
                                    .waitingOffer(WaitingPeriod.offer(context, policy, state, riskElevated(context))))
                    .createForm(RecoveryPages.HELPDESK));
        } else {
            context.challenge(methodsPage(context, settings, state, null, "governedRecoveryMethodVerified"));
        }
    }

    /** The helpdesk page's words when the account's methods cannot meet the policy: why, so the person can act. */
    private static RecoveryPageBean whyUnreachable(RecoveryPageBean page, PolicyEvaluator.Progress progress,
                                                   boolean cooling) {
        if (cooling) {
            return page.intro("governedRecoveryHelpdeskIntro-cooldown", Long.toString(page.getCooldownHours()));
        }
        if (progress.strongMissing() > 0) {
            return page.intro("governedRecoveryHelpdeskIntro-strong", Integer.toString(progress.strongMissing()));
        }
        return page.intro("governedRecoveryHelpdeskIntro-channels", Integer.toString(progress.channelsMissing()));
    }

    private void finish(AuthenticationFlowContext context, Tiered settings, ResetState state,
                        PolicyEvaluator.Progress progress, Instant now) {
        RealmModel realm = context.getRealm();
        String wiring = ResetSteps.wiringProblem(realm);
        if (wiring != null) {
            LOG.errorf("Governed Recovery in realm '%s' is misconfigured: %s Resets are refused until then.",
                    realm.getName(), wiring);
            RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.REASON, "new-password step missing"))
                    .error(RecoveryEvents.ERROR_MISCONFIGURED);
            helpdesk(context, settings, state, null);
            return;
        }
        state.markSatisfied(now.toEpochMilli(), settings.policy().branch());
        RecoveryEvents.step(context, "policy", Map.of(RecoveryEvents.DECISION, "satisfied",
                RecoveryEvents.PROVEN, Integer.toString(progress.channelsProven()),
                RecoveryEvents.REQUIRED, Integer.toString(settings.policy().policy().minChannels()))).success();
        context.success();
    }

    private void helpdesk(AuthenticationFlowContext context, Tiered settings, ResetState state, String outcome) {
        if (outcome != null) {
            RecoveryEvents.step(context, "helpdesk", Map.of(RecoveryEvents.OUTCOME, outcome)).success();
        }
        state.clearActive();
        RecoveryPageBean bean = bean(context, settings, state)
                .waitingOffer(WaitingPeriod.offer(context, settings.policy(), state, riskElevated(context)));
        context.challenge(RecoveryPages.base(context, bean).createForm(RecoveryPages.HELPDESK));
    }

    /** The scorer's current risk of this account and this flow's address is above normal. */
    private boolean riskElevated(AuthenticationFlowContext context) {
        io.governedrecovery.risk.RecoveryRisk scorer = session.getProvider(io.governedrecovery.risk.RecoveryRisk.class);
        if (scorer == null || context.getUser() == null) {
            return false;
        }
        String ip = clientAddress(context);
        return scorer.of(context.getRealm(), context.getUser(), null, ip).level()
                != io.governedrecovery.core.risk.Risk.Level.NORMAL;
    }

    /**
     * Starts a waiting period instead of the helpdesk: refused, with the helpdesk page, unless this flow may be offered
     * one right now (the form's button is only a request).
     */
    private void startWaiting(AuthenticationFlowContext context, Tiered settings, ResetState state) {
        long hours = WaitingPeriod.offer(context, settings.policy(), state, riskElevated(context));
        if (hours == 0) {
            RecoveryEvents.step(context, "invalid_request", Map.of(RecoveryEvents.REASON, "waiting not offered"))
                    .error(RecoveryEvents.ERROR_INVALID_INPUT);
            helpdesk(context, settings, state, null);
            return;
        }
        String method = state.verified().get(0).methodId();
        String ip = clientAddress(context);
        Optional<WaitingPeriod.Started> begun = WaitingPeriod.start(context, method, hours, ip);
        if (begun.isEmpty()) {
            helpdesk(context, settings, state, null);
            return;
        }
        WaitingPeriod.Started started = begun.get();
        state.clearActive();
        Response page = RecoveryPages.base(context, bean(context, settings, state)
                .intro("governedRecoveryWaitingStarted", MailTimes.format(started.recovery().endsAt())))
                .createForm(RecoveryPages.HELPDESK);
        context.challenge(Response.fromResponse(page).cookie(started.cookie()).build());
    }

    private void pausedPage(AuthenticationFlowContext context, Tiered settings, ResetState state,
                            RecoveryMethod method) {
        RecoveryEvents.step(context, "verify", details(method, Map.of(RecoveryEvents.OUTCOME, "paused")))
                .error(RecoveryEvents.ERROR_METHOD_PAUSED);
        state.clearActive();
        context.challenge(methodsPage(context, settings, state, "governedRecoveryMethodPaused", null));
    }

    private boolean paused(AuthenticationFlowContext context, Tiered settings, ResetState state,
                           RecoveryMethod method) {
        return budget(settings.shown()).paused(budgetSubject(context, method), Clocks.now());
    }

    private FailureBudget budget(ResetSettings settings) {
        return new FailureBudget(new Counters(session), settings.failureBudget(), settings.failureBudgetTotal(),
                settings.failureWindow());
    }

    /** Failures count against the name as typed and the client's address, the same for every account or none. */
    /** The client address the controls counted for this flow's account, else the connection's. */
    private static String clientAddress(AuthenticationFlowContext context) {
        return AppliedControls.of(context.getAuthenticationSession(), context.getUser())
                .map(AppliedControls::clientAddress).orElse(context.getConnection().getRemoteAddr());
    }

    private static FailureBudget.Subject budgetSubject(AuthenticationFlowContext context, RecoveryMethod method) {
        var authSession = context.getAuthenticationSession();
        String typed = authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        String address = clientAddress(context);
        return new FailureBudget.Subject(context.getRealm().getId(), method.id(), typed, address);
    }

    private Response methodsPage(AuthenticationFlowContext context, Tiered settings, ResetState state,
                                 String errorKey, String successKey) {
        var page = RecoveryPages.base(context, bean(context, settings, state));
        if (errorKey != null) {
            page.setError(errorKey);
        } else if (successKey != null) {
            page.setSuccess(successKey);
        }
        return page.createForm(RecoveryPages.METHODS);
    }

    private RecoveryPageBean bean(AuthenticationFlowContext context, Tiered tiered, ResetState state) {
        ResetSettings settings = tiered.shown();
        List<VerifiedMethod> verified = state.verified();
        List<RecoveryPageBean.MethodEntry> entries = new ArrayList<>();
        for (String id : settings.methods()) {
            RecoveryMethod method = method(id);
            if (method != null && method.unavailable(session, context.getRealm(), settings.methodSettings()) == null) {
                entries.add(new RecoveryPageBean.MethodEntry(id, method.strength() == Strength.STRONG,
                        verified.stream().anyMatch(v -> v.methodId().equals(id))));
            }
        }
        long provenChannels = verified.stream().map(VerifiedMethod::channel).distinct().count();
        long strongChannels = verified.stream().filter(v -> v.strength() == Strength.STRONG)
                .map(VerifiedMethod::channel).distinct().count();
        RecoveryPageBean bean = new RecoveryPageBean(entries, settings.policy().minChannels(),
                settings.policy().minStrong(), (int) provenChannels, state.active(), settings.helpdeskText(),
                settings.helpdeskUrl()).strongProven((int) strongChannels);
        if (!verified.isEmpty()) {
            // After a proof the page counts what the server counts, and says why a proof does not count (yet).
            ResetSettings policy = tiered.policy();
            Instant now = Clocks.now();
            List<RegisteredMethod> all = withProven(registered(context, policy), state);
            PolicyEvaluator.Progress progress = PolicyEvaluator.evaluate(policy.policy(), all, verified, now);
            List<RecoveryPageBean.NotCounting> notCounting = new ArrayList<>();
            for (VerifiedMethod v : verified) {
                all.stream().filter(m -> m.methodId().equals(v.methodId()) && m.channel().equals(v.channel()))
                        .findFirst().ifPresent(m -> {
                            boolean strongOnly = !policy.policy().weakMethodsCount()
                                    || policy.policy().minStrong() >= policy.policy().minChannels();
                            if (strongOnly && m.strength() != Strength.STRONG) {
                                notCounting.add(new RecoveryPageBean.NotCounting(v.methodId(), "weak"));
                            } else if (PolicyEvaluator.inCooldown(policy.policy(), m, now)) {
                                notCounting.add(new RecoveryPageBean.NotCounting(v.methodId(), "cooldown"));
                            }
                        });
            }
            // A proof counts towards the reset only as far as the policy can use it: with one strong method required
            // of two, email plus SMS is one usable proof, not two.
            int required = policy.policy().minChannels();
            int usable = Math.min(progress.channelsProven(),
                    progress.strongProven() + (required - policy.policy().minStrong()));
            bean.counted(usable, progress.strongProven(), Math.max(0, required - usable), progress.strongMissing(),
                    notCounting, policy.policy().cooldown().toHours());
        }
        return bean;
    }

    private RecoveryMethodContext methodContext(AuthenticationFlowContext context, Tiered settings,
                                                ResetState state, RecoveryMethod method) {
        // A method the account's policy does not list counts like one the account never registered.
        Optional<RegisteredMethod> registration = settings.policy().methods().contains(method.id())
                ? method.registration(context.getRealm(), context.getUser(), settings.policy().methodSettings())
                : Optional.empty();
        return new RecoveryMethodContext(context, state, method, registration, settings.shown(),
                bean(context, settings, state), random, Clocks.now());
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

    /** The account's registrations, with those of methods this flow proved as they were when proven. */
    private static List<RegisteredMethod> withProven(List<RegisteredMethod> registered, ResetState state) {
        List<RegisteredMethod> all = new ArrayList<>(registered);
        for (RegisteredMethod proven : state.provenRegistrations()) {
            if (all.stream().noneMatch(m -> m.methodId().equals(proven.methodId()))) {
                all.add(proven);
            }
        }
        return all;
    }

    private Optional<RecoveryMethod> offered(Tiered settings, String methodId) {
        if (methodId == null || !settings.shown().methods().contains(methodId)) {
            return Optional.empty();
        }
        RecoveryMethod method = method(methodId);
        return method == null || method.unavailable(session, session.getContext().getRealm(),
                settings.shown().methodSettings()) != null ? Optional.empty() : Optional.of(method);
    }

    private Optional<RecoveryMethod> active(Tiered settings, ResetState state) {
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

    /** The settings, or empty after showing the neutral helpdesk page when they are broken. */
    private Optional<ResetSettings> settings(AuthenticationFlowContext context) {
        Map<String, String> config = context.getAuthenticatorConfig() == null ? new HashMap<>()
                : context.getAuthenticatorConfig().getConfig();
        try {
            return Optional.of(withControls(context, ResetSettings.from(config, installed)));
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

    /** {@code configured} as the recovery controls adjusted it for this flow's account. */
    private static ResetSettings withControls(AuthenticationFlowContext context, ResetSettings configured) {
        return AppliedControls.of(context.getAuthenticationSession(), context.getUser())
                .map(c -> configured.withControls(c.extraStrong(), c.refused())).orElse(configured);
    }
}
