package io.governedrecovery.reset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.freeze.NotMeLinks;
import io.governedrecovery.method.RecoveryMethods;

/**
 * What every governed password reset causes, run in the request (and transaction) that stores the new password: the
 * user's other sessions end (and, by default, offline sessions), every channel the user has is told ("your password
 * was reset; not you? ..."), and the finish event is recorded with the account's tier (the event pipeline tells the
 * administrators of a privileged reset from it). Messages go out only if that transaction commits.
 */
public final class ResetConsequences {

    private static final Logger LOG = Logger.getLogger(ResetConsequences.class);

    private ResetConsequences() {
    }

    static void apply(AuthenticationFlowContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        ResetSettings.Branch branch = ResetState.satisfiedBranch(authSession, user);
        Settings settings = settings(context.getSession(), context.getRealm(),
                branch == null ? ResetSettings.Branch.STANDARD : branch);
        int ended = endOtherSessions(context, user, settings.endOffline());
        notifyChannels(context, user, settings);
        context.getEvent().clone().event(EventType.RESET_PASSWORD).user(user)
                .detail(RecoveryEvents.STEP, "finish").detail(RecoveryEvents.OUTCOME, "reset")
                .detail(EventDetails.SESSIONS_ENDED, Integer.toString(ended))
                .detail(RecoveryEvents.TIER, branch == ResetSettings.Branch.PRIVILEGED ? EventDetails.TIER_PRIVILEGED
                        : EventDetails.TIER_STANDARD)
                .detail(EventDetails.PATH, branch == null ? "fallback" : "governed")
                .success();
    }

    /** What the finish needs of the reset step's settings; the defaults where the step's settings are broken. */
    private record Settings(boolean endOffline, String helpdesk, String phoneAttribute, String phoneVerifiedAttribute,
                            ResetSettings.OwnerDefence owner) {
    }

    private static Settings settings(KeycloakSession session, RealmModel realm, ResetSettings.Branch branch) {
        Map<String, String> config = ResetSteps.config(realm, branch).orElse(Map.of());
        try {
            ResetSettings s = ResetSettings.from(config, RecoveryMethods.installed(session.getKeycloakSessionFactory()));
            return new Settings(s.endOfflineSessions(), helpdesk(s.helpdeskText(), s.helpdeskUrl()),
                    s.methodSettings().phoneAttribute(), s.methodSettings().phoneVerifiedAttribute(), s.owner());
        } catch (IllegalArgumentException broken) {
            // A broken step never met a policy; a fallback reset still ends everything and notifies.
            LOG.debugf("Governed Recovery finish in realm '%s' uses default settings: %s", realm.getName(),
                    broken.getMessage());
            return new Settings(true, "", ResetSettings.DEFAULT_PHONE_ATTRIBUTE,
                    ResetSettings.DEFAULT_PHONE_VERIFIED_ATTRIBUTE, ResetSettings.OwnerDefence.DEFAULTS);
        }
    }

    /** The realm's owner-defence settings (the standard branch's step), the defaults where they are broken. */
    public static ResetSettings.OwnerDefence ownerDefence(KeycloakSession session, RealmModel realm) {
        return settings(session, realm, ResetSettings.Branch.STANDARD).owner();
    }

    /** The realm's helpdesk text and link (the standard branch's step), empty when none is set. */
    public static String helpdesk(KeycloakSession session, RealmModel realm) {
        return settings(session, realm, ResetSettings.Branch.STANDARD).helpdesk();
    }

    /**
     * The "This was not me" link for a notice to {@code user} about {@code notice}; empty when the realm has no known
     * address ({@link NotMeLinks#base}).
     */
    public static Optional<String> notMeLink(KeycloakSession session, RealmModel realm, UserModel user, String notice,
                                             long happenedAt) {
        return NotMeLinks.base(realm).map(b -> NotMeLinks.link(session, realm, user, notice, happenedAt,
                ownerDefence(session, realm).notMeLinkLifetime(), b));
    }

    /**
     * The account's confirmed recovery phone number (the attributes the realm's reset step reads), or null: where the
     * owner's notices go besides the email address.
     */
    public static String verifiedPhone(KeycloakSession session, RealmModel realm, UserModel user) {
        return verifiedPhone(user, settings(session, realm, ResetSettings.Branch.STANDARD));
    }

    private static String verifiedPhone(UserModel user, Settings settings) {
        String phone = user.getFirstAttribute(settings.phoneAttribute());
        return phone != null && !phone.isBlank()
                && "true".equalsIgnoreCase(user.getFirstAttribute(settings.phoneVerifiedAttribute())) ? phone : null;
    }

    private static String helpdesk(String text, String url) {
        if (text == null && url == null) {
            return "";
        }
        return text == null ? url : url == null ? text : text + " " + url;
    }

    private static int endOtherSessions(AuthenticationFlowContext context, UserModel user, boolean offlineToo) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        String current = context.getAuthenticationSession().getParentSession().getId();
        List<UserSessionModel> sessions = new ArrayList<>(session.sessions().getUserSessionsStream(realm, user)
                .filter(s -> !s.getId().equals(current)).toList());
        if (offlineToo) {
            sessions.addAll(session.sessions().getOfflineUserSessionsStream(realm, user).toList());
        }
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(session, realm, userSession, context.getUriInfo(),
                    context.getConnection(), context.getHttpRequest().getHttpHeaders(), true);
        }
        return sessions.size();
    }

    private static void notifyChannels(AuthenticationFlowContext context, UserModel user, Settings settings) {
        RecoveryDelivery delivery = context.getSession().getProvider(RecoveryDelivery.class);
        Locale locale = context.getSession().getContext().resolveLocale(user);
        RealmModel realm = context.getRealm();
        long now = Clocks.millis();
        String when = MailTimes.format(now);
        String ip = context.getConnection().getRemoteHost();
        Optional<String> notMe = NotMeLinks.base(realm)
                .map(base -> NotMeLinks.link(context.getSession(), realm, user, "password-reset", now,
                        settings.owner().notMeLinkLifetime(), base));
        if (user.getEmail() != null && !user.getEmail().isBlank()) {
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("when", when);
            attributes.put("ip", ip == null ? "" : ip);
            attributes.put("helpdesk", settings.helpdesk());
            notMe.ifPresent(link -> attributes.put("notMe", link));
            delivery.afterCommit(new OutboundMessage.Email(realm.getId(), user.getId(), user.getEmail(),
                    "governed-recovery-notice.ftl", "governedRecoveryNoticeSubject", List.of(), attributes, locale,
                    "reset-notice", null));
        }
        String phone = verifiedPhone(user, settings);
        if (phone != null) {
            String realmName = realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName();
            delivery.afterCommit(new OutboundMessage.Sms(realm.getId(), user.getId(), phone, "governedRecoveryNoticeSms",
                    List.of(realmName, when, settings.helpdesk(),
                            OutboundMessage.MessageKey.ifPresent("governedRecoveryNotMeSms", notMe)),
                    locale, "reset-notice", null));
        }
    }
}
