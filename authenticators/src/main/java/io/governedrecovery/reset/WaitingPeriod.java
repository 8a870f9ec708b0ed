package io.governedrecovery.reset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import jakarta.ws.rs.core.NewCookie;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.freeze.NotMeLinks;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.waiting.WaitingRecoveries;
import io.governedrecovery.waiting.WaitingRecovery;

/**
 * Waiting-period recovery: a user who proved one method of a standard account that cannot meet the policy may wait
 * instead of calling the helpdesk. The wait is bound to the requesting browser by a random secret in a cookie, of which
 * only the hash is stored; every channel of the account is told at its start and halfway, each notice with "This was
 * not me" and a plain cancel link. A sign-in of the account, a cancel, a method proven in another browser, an owner's
 * report, the helpdesk or a risk above normal ends it. After the period, the same browser proves the same method again
 * and sets the new password.
 */
public final class WaitingPeriod {

    private static final Logger LOG = Logger.getLogger(WaitingPeriod.class);

    /** The cookie holding the browser's secret, per realm (path /realms/<realm>/). */
    static final String COOKIE = "GOVERNED_RECOVERY_WAIT";
    /** The notice kind of "This was not me" links in waiting notices. */
    public static final String NOTICE = "waiting-started";
    /** The event step of every waiting-period event. */
    public static final String STEP = "waiting";

    /** Why a wait ended. */
    public static final String SIGN_IN = "sign-in";
    public static final String CANCEL = "cancel";
    public static final String NEW_RESET = "new-reset";
    public static final String RESTARTED = "restarted";
    public static final String RISK = "risk";
    public static final String NOT_ME = "not-me";
    public static final String HELPDESK = "helpdesk";
    /** An analyst froze the account's recovery (a finding's triage). */
    public static final String FROZEN = "frozen";
    public static final String COMPLETED = "completed";
    /** Ends that block a new wait for the account for one period: the owner (or the helpdesk) stopped one. */
    private static final Set<String> BLOCKING = Set.of(SIGN_IN, CANCEL, NEW_RESET, RISK, NOT_ME, HELPDESK, FROZEN);

    private WaitingPeriod() {
    }

    /**
     * The hours of the wait this flow may offer, or 0: the realm offers waits, this is the standard branch of a
     * standard account that is not frozen, at least one method was proven in this flow, the risk is normal, the account
     * has no wait under way, and none of its waits was stopped (by a sign-in, a cancel, a proof in another browser, a
     * report, the helpdesk, a risk) within one period.
     */
    static long offer(AuthenticationFlowContext context, ResetSettings policy, ResetState state, boolean riskElevated) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        ResetSettings.OwnerDefence owner = ResetConsequences.ownerDefence(session, realm);
        UserModel user = context.getUser();
        if (!owner.waitingPeriod() || user == null || policy.branch() != ResetSettings.Branch.STANDARD
                || !policy.selfService() || state.verified().isEmpty() || riskElevated
                || RecoveryFreeze.isFrozen(user)
                || !EventDetails.TIER_STANDARD.equals(Tiers.of(session, realm, user))) {
            return 0;
        }
        if (NotMeLinks.base(realm).isEmpty() || !RecoveryEvents.listenerOn(realm)) {
            // Without links the owner cannot stop it, and without the pipeline a sign-in would not end it.
            return 0;
        }
        if (!toldElsewhere(session, realm, user, state.verified().get(0).methodId())) {
            // Every notice would go to the channel just proven: whoever holds that mailbox or phone would read them.
            return 0;
        }
        WaitingRecoveries store = store(session);
        if (store.of(realm.getId(), user.getId()).isPresent()) {
            return 0; // one wait at a time (a proof in another browser has ended the older one already)
        }
        long since = Clocks.millis() - owner.waitingPeriodLength().toMillis();
        boolean stopped = store.endedSince(realm.getId(), user.getId(), since, BLOCKING).isPresent();
        return stopped ? 0 : owner.waitingPeriodLength().toHours();
    }

    /** Whether the account has a notice channel other than the one {@code provenMethod} proved. */
    static boolean toldElsewhere(KeycloakSession session, RealmModel realm, UserModel user, String provenMethod) {
        boolean mail = user.getEmail() != null && !user.getEmail().isBlank()
                && !io.governedrecovery.method.email.EmailCodeMethodFactory.ID.equals(provenMethod);
        boolean text = ResetConsequences.verifiedPhone(session, realm, user) != null
                && !io.governedrecovery.method.sms.SmsCodeMethodFactory.ID.equals(provenMethod);
        return mail || text;
    }

    /** What a proof in a reset means for the account's wait, and when the wait ends. */
    record Proof(AtProof kind, long endsAt) {
    }

    /** What a proof in a reset means for the account's wait. */
    enum AtProof {
        /** No wait concerns this flow: the policy decides as usual. */
        NONE,
        /** The same browser, before the end: nothing works until then. */
        STILL_WAITING,
        /** The same browser after the end proved the wait's method again: the new password may be set. */
        COMPLETE,
        /** The wait ended now (a risk above normal): the helpdesk page. */
        ENDED
    }

    /**
     * Looks at the account's wait after {@code methodId} was proven in this flow. A proof in another browser ends the
     * wait (a new reset); the waiting browser sees "still waiting" until the end, and after it completes with the same
     * method, unless the risk is above normal (which ends the wait).
     */
    static Proof atProof(AuthenticationFlowContext context, ResetState state, String methodId,
                         boolean riskElevated, ResetSettings policy) {
        UserModel user = context.getUser();
        if (user == null || policy.branch() != ResetSettings.Branch.STANDARD
                || !ResetConsequences.ownerDefence(context.getSession(), context.getRealm()).waitingPeriod()) {
            return new Proof(AtProof.NONE, 0); // turned off: waits under way can no longer complete
        }
        Optional<WaitingRecovery> found = store(context.getSession()).of(context.getRealm().getId(), user.getId());
        if (found.isEmpty()) {
            return new Proof(AtProof.NONE, 0);
        }
        WaitingRecovery wait = found.get();
        long now = Clocks.millis();
        if (!sameBrowser(context, wait)) {
            end(context, wait, NEW_RESET);
            return new Proof(AtProof.NONE, 0);
        }
        if (!wait.matured(now)) {
            RecoveryEvents.step(context, STEP, Map.of(RecoveryEvents.OUTCOME, "still_waiting")).success();
            return new Proof(AtProof.STILL_WAITING, wait.endsAt());
        }
        if (riskElevated || !policy.selfService()) {
            end(context, wait, RISK);
            return new Proof(AtProof.ENDED, wait.endsAt());
        }
        if (!wait.method().equals(methodId)) {
            return new Proof(AtProof.NONE, 0); // another method: the person may still prove the one they waited with
        }
        state.markWaited(user, wait.id());
        RecoveryEvents.step(context, STEP, Map.of(RecoveryEvents.OUTCOME, "matured", RecoveryEvents.METHOD,
                methodId)).success();
        return new Proof(AtProof.COMPLETE, wait.endsAt());
    }

    /**
     * Starts a wait of {@code hours} for this flow's user, with the method it proved; returns it and the cookie, or
     * empty when another request started one for the account at the same moment.
     */
    static Optional<Started> start(AuthenticationFlowContext context, String method, long hours, String ip) {
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        WaitingRecoveries store = store(context.getSession());
        long now = Clocks.millis();
        store.of(realm.getId(), user.getId()).ifPresent(old -> {
            if (store.end(old.id(), WaitingRecovery.Status.ENDED, RESTARTED, now)) {
                RecoveryEvents.step(context, STEP, Map.of(RecoveryEvents.OUTCOME, "ended",
                        RecoveryEvents.REASON, RESTARTED)).success();
            }
        });
        Binding binding = Binding.fresh();
        WaitingRecovery wait;
        try {
            wait = store.start(realm.getId(), user.getId(), binding.hash(), method, now, now + hours * 3_600_000L,
                    ip);
        } catch (jakarta.persistence.PersistenceException raced) {
            // Another request started a wait for this account at the same moment (the unique active key): this
            // request keeps nothing.
            LOG.debugf("Governed Recovery: a second wait for one account at once was refused: %s", raced);
            context.getSession().getTransactionManager().setRollbackOnly();
            return Optional.empty();
        }
        RecoveryEvents.step(context, STEP, Map.of(RecoveryEvents.OUTCOME, "started", RecoveryEvents.METHOD, method,
                EventDetails.WAIT_HOURS, Long.toString(hours))).success();
        notifyOwner(context.getSession(), realm, user, wait, "started");
        boolean secure = "https".equals(context.getUriInfo().getBaseUri().getScheme());
        return Optional.of(new Started(wait, cookie(realm, binding, (hours + 7 * 24) * 3600, secure)));
    }

    record Started(WaitingRecovery recovery, NewCookie cookie) {
    }

    /** Ends {@code wait} from the reset flow (an event of the flow); false when it had ended already. */
    private static boolean end(AuthenticationFlowContext context, WaitingRecovery wait, String reason) {
        if (!store(context.getSession()).end(wait.id(), WaitingRecovery.Status.ENDED, reason, Clocks.millis())) {
            return false;
        }
        RecoveryEvents.step(context, STEP, Map.of(RecoveryEvents.OUTCOME, "ended", RecoveryEvents.REASON, reason))
                .success();
        return true;
    }

    /**
     * Ends every wait of the account under way that started at or before {@code at} from outside a reset (a sign-in
     * seen by the event pipeline, an owner's report): one event on {@code event} (a builder of this realm and request);
     * false when the account had none.
     */
    public static boolean endCurrent(KeycloakSession session, RealmModel realm, UserModel user, String reason,
                                     long at, EventBuilder event) {
        if (store(session).endAll(realm.getId(), user.getId(), reason, Clocks.millis(), at) == 0) {
            return false;
        }
        ended(event, user, reason);
        return true;
    }

    /** Ends {@code wait} (of {@code user}) from outside a reset; false when it had ended already. */
    public static boolean end(KeycloakSession session, WaitingRecovery wait, UserModel user, String reason,
                              EventBuilder event) {
        return end(store(session), wait, user, reason, event);
    }

    private static boolean end(WaitingRecoveries store, WaitingRecovery wait, UserModel user, String reason,
                               EventBuilder event) {
        if (!store.end(wait.id(), WaitingRecovery.Status.ENDED, reason, Clocks.millis())) {
            return false;
        }
        ended(event, user, reason);
        LOG.debugf("Governed Recovery: waiting recovery %s ended: %s", wait.id(), reason);
        return true;
    }

    /**
     * Whether the wait {@code waitId} of {@code user} is still under way: not ended by anything, and no session of the
     * account started since it began (a sign-in the event pipeline has not handled yet ends it here).
     */
    static boolean stillWaiting(KeycloakSession session, RealmModel realm, UserModel user, String waitId) {
        Optional<WaitingRecovery> wait = store(session).byId(realm.getId(), waitId)
                .filter(w -> w.status() == WaitingRecovery.Status.WAITING && w.userId().equals(user.getId()));
        if (wait.isEmpty()) {
            return false;
        }
        long startedSeconds = wait.get().startedAt() / 1000;
        boolean signedIn = session.sessions().getUserSessionsStream(realm, user)
                .anyMatch(s -> s.getStarted() >= startedSeconds);
        if (signedIn) {
            store(session).end(waitId, WaitingRecovery.Status.ENDED, SIGN_IN, Clocks.millis());
            return false;
        }
        return true;
    }

    /** The event of a wait ended from outside a reset, on {@code event} (a builder of the realm). */
    private static void ended(EventBuilder event, UserModel user, String reason) {
        event.event(EventType.RESET_PASSWORD).user(user).detail(RecoveryEvents.STEP, STEP)
                .detail(RecoveryEvents.OUTCOME, "ended").detail(RecoveryEvents.REASON, reason)
                .detail(EventDetails.TIER, EventDetails.TIER_STANDARD).success();
    }

    /** Completes the wait this flow matured, before the new password is stored; false when it ended meanwhile. */
    static boolean complete(KeycloakSession session, String waitId) {
        return store(session).end(waitId, WaitingRecovery.Status.COMPLETED, COMPLETED, Clocks.millis());
    }

    /**
     * Tells every channel of the account about its wait ({@code stage}: started, halfway): when it started, from
     * where, when it ends, with "This was not me" and the plain cancel link (both when the realm has a known address).
     */
    public static int notifyOwner(KeycloakSession session, RealmModel realm, UserModel user, WaitingRecovery wait,
                                  String stage) {
        // Both links work until a day after the wait's end (the report link at least its usual lifetime).
        Duration lifetime = Duration.ofMillis(Math.max(0, wait.endsAt() - Clocks.millis())).plusDays(1);
        Duration reportLifetime = ResetConsequences.ownerDefence(session, realm).notMeLinkLifetime();
        Duration notMeLifetime = lifetime.compareTo(reportLifetime) > 0 ? lifetime : reportLifetime;
        Optional<String> notMe = NotMeLinks.base(realm).map(base -> NotMeLinks.link(session, realm, user, NOTICE,
                wait.startedAt(), notMeLifetime, base));
        Optional<String> cancel = NotMeLinks.base(realm).map(base -> NotMeLinks.cancelLink(session, realm, user,
                wait.id(), wait.startedAt(), lifetime, base));
        String started = MailTimes.format(wait.startedAt());
        String ends = MailTimes.format(wait.endsAt());
        String ip = wait.requesterIp() == null ? "-" : wait.requesterIp();
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("stage", stage);
        attributes.put("started", started);
        attributes.put("ends", ends);
        attributes.put("ip", ip);
        attributes.put("helpdesk", ResetConsequences.helpdesk(session, realm));
        cancel.ifPresent(link -> attributes.put("cancel", link));
        return OwnerNotices.toEveryChannel(session, realm, user, "governed-recovery-waiting.ftl",
                "governedRecoveryWaitingSubject-" + stage, attributes, "governedRecoveryWaitingSms-" + stage,
                List.of(OwnerNotices.realmName(realm), started, ends,
                        OutboundMessage.MessageKey.ifPresent("governedRecoveryWaitingCancelSms", cancel)),
                notMe, "waiting-notice");
    }

    /** A new browser secret and the cookie that carries it. */
    record Binding(String secret, String hash) {
        static Binding fresh() {
            String secret = SecretGenerator.getInstance().randomString(43);
            return new Binding(secret, sha256(secret));
        }
    }

    static NewCookie cookie(RealmModel realm, Binding binding, long maxAgeSeconds, boolean secure) {
        return new NewCookie.Builder(COOKIE).value(binding.secret()).path("/realms/" + realm.getName() + "/")
                .maxAge((int) Math.min(Integer.MAX_VALUE, maxAgeSeconds)).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Whether this request's browser is the one the wait is bound to (constant-time comparison of the hashes). */
    static boolean sameBrowser(AuthenticationFlowContext context, WaitingRecovery wait) {
        var cookie = context.getHttpRequest().getHttpHeaders().getCookies().get(COOKIE);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().length() > 128) {
            return false;
        }
        return MessageDigest.isEqual(sha256(cookie.getValue()).getBytes(StandardCharsets.US_ASCII),
                wait.binding().getBytes(StandardCharsets.US_ASCII));
    }

    private static WaitingRecoveries store(KeycloakSession session) {
        return new WaitingRecoveries(session);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
