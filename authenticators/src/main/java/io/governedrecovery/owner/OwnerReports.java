package io.governedrecovery.owner;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.freeze.NotMeLinks;
import io.governedrecovery.freeze.NotMeToken;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.reset.ResetConsequences;
import io.governedrecovery.reset.WaitingPeriod;

/**
 * An owner's report that a change announced to them was not theirs. In one transaction: the account's self-service
 * recovery and contact changes are frozen (its reset walks the pages of an unknown name to the helpdesk page), every
 * session ends, offline ones included, the account is disabled where the realm chose so, and an event records it
 * (from which the scorer raises a critical finding, the notices sink tells the security contacts and every sink
 * exports it). Sign-in with the password and second factor still works unless the account was disabled.
 */
final class OwnerReports {

    private static final Logger LOG = Logger.getLogger(OwnerReports.class);

    /** The event's {@code action} detail, as Keycloak names the action of an action token. */
    static final String ACTION = NotMeToken.TYPE;
    static final String STEP = EventDetails.STEP_NOT_ME;

    private OwnerReports() {
    }

    /**
     * Reports {@code link}'s change; true when this report froze the account. A report of an account its owner already
     * reported (the same link again, or another) changes nothing more: the link cannot be used to sign the owner out
     * again and again, or to disable an account the helpdesk enabled again.
     */
    static boolean confirm(KeycloakSession session, RealmModel realm, NotMeLinks.Verified link) {
        UserModel user = link.user();
        boolean alreadyFrozen = RecoveryFreeze.isFrozen(user);
        boolean repeat = alreadyFrozen && RecoveryFreeze.of(user).map(f -> RecoveryFreeze.BY_OWNER.equals(f.by()))
                .orElse(false);
        long now = Clocks.millis();
        if (!alreadyFrozen) {
            RecoveryFreeze.freeze(user, now, RecoveryFreeze.BY_OWNER, "not-me:" + link.notice());
        }
        // A waiting recovery under way ends with the report (its own event).
        WaitingPeriod.endCurrent(session, realm, user, WaitingPeriod.NOT_ME, now,
                new EventBuilder(realm, session, session.getContext().getConnection()));
        boolean disable = !repeat && ResetConsequences.ownerDefence(session, realm).reportDisablesAccount();
        if (disable) {
            user.setEnabled(false);
        }
        int ended = 0;
        if (!repeat) {
            // Tokens issued so far stop working too (as an administrator's "sign out" does), not only the sessions.
            session.users().setNotBeforeForUser(realm, user, Time.currentTime());
            ended = endEverySession(session, realm, user);
        }
        new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.EXECUTE_ACTION_TOKEN).user(user)
                .detail("action", ACTION)
                .detail(EventDetails.STEP, STEP)
                .detail(EventDetails.OUTCOME, alreadyFrozen ? "already_frozen" : "frozen")
                .detail(EventDetails.REPORTED, link.notice())
                .detail(EventDetails.FROZEN, "true")
                .detail(EventDetails.DISABLED, Boolean.toString(disable))
                .detail(EventDetails.SESSIONS_ENDED, Integer.toString(ended))
                .success();
        LOG.infof("Governed Recovery: the owner of an account of realm '%s' reported a %s notice as not theirs; "
                + "recovery %s, %d sessions ended%s", realm.getName(), link.notice(),
                alreadyFrozen ? "was frozen already" : "frozen", ended, disable ? ", account disabled" : "");
        return !alreadyFrozen;
    }

    private static int endEverySession(KeycloakSession session, RealmModel realm, UserModel user) {
        List<UserSessionModel> sessions = new ArrayList<>(session.sessions().getUserSessionsStream(realm, user)
                .toList());
        sessions.addAll(session.sessions().getOfflineUserSessionsStream(realm, user).toList());
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(session, realm, userSession, session.getContext().getUri(),
                    session.getContext().getConnection(), session.getContext().getRequestHeaders(), true);
        }
        return sessions.size();
    }
}
