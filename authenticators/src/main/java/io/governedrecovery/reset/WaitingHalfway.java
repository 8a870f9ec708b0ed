package io.governedrecovery.reset;

import io.governedrecovery.flow.RecoveryEvents;
import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.waiting.WaitingRecoveries;
import io.governedrecovery.waiting.WaitingRecovery;

/**
 * The waiting recoveries' background task (one node per run, Keycloak's timer and cluster lock, every 10 seconds):
 * <ul>
 *   <li>ends every wait under way whose account or requesting address the scorer now rates above normal risk;</li>
 *   <li>finds the waits past their halfway point on Keycloak's clock, marks each (a compare and set, so a notice goes
 *       out once whatever the nodes do) and tells every channel of the account again, with the same links;</li>
 *   <li>deletes the waits that ended long ago.</li>
 * </ul>
 */
final class WaitingHalfway {

    private static final Logger LOG = Logger.getLogger(WaitingHalfway.class);
    static final long INTERVAL_MILLIS = 10_000L;
    private static final int PER_RUN = 100;

    private WaitingHalfway() {
    }

    /** Schedules the task once Keycloak's database is ready. */
    static void schedule(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                try (KeycloakSession session = factory.create()) {
                    session.getProvider(TimerProvider.class).schedule(new ClusterAwareScheduledTaskRunner(factory,
                            WaitingHalfway::run, INTERVAL_MILLIS), INTERVAL_MILLIS,
                            "governed-recovery-waiting-halfway");
                }
            }
        });
    }

    static void run(KeycloakSession session) {
        long now = Clocks.millis();
        WaitingRecoveries store = new WaitingRecoveries(session);
        endRisky(session, store);
        for (WaitingRecovery wait : store.halfwayDue(now, PER_RUN)) {
            if (!store.halfwaySent(wait.id(), now)) {
                continue; // ended meanwhile
            }
            RealmModel realm = session.realms().getRealm(wait.realmId());
            if (realm == null) {
                continue;
            }
            session.getContext().setRealm(realm);
            UserModel user = session.users().getUserById(realm, wait.userId());
            if (user == null) {
                continue;
            }
            int sent = WaitingPeriod.notifyOwner(session, realm, user, wait, "halfway");
            new EventBuilder(realm, session).event(EventType.RESET_PASSWORD).user(user)
                    .detail(RecoveryEvents.STEP, WaitingPeriod.STEP).detail(RecoveryEvents.OUTCOME, "halfway")
                    .detail(EventDetails.TIER, EventDetails.TIER_STANDARD).success();
            LOG.debugf("Governed Recovery: halfway notice of a waiting recovery of realm '%s' queued to %d channels",
                    realm.getName(), sent);
        }
        WaitingRecoveries.deleteOld(session, now);
    }

    /** Ends the waits under way whose account or requesting address is now above normal risk. */
    private static void endRisky(KeycloakSession session, WaitingRecoveries store) {
        io.governedrecovery.risk.RecoveryRisk scorer = session.getProvider(io.governedrecovery.risk.RecoveryRisk.class);
        if (scorer == null) {
            return;
        }
        for (WaitingRecovery wait : store.waitingEverywhere(PER_RUN * 5)) {
            RealmModel realm = session.realms().getRealm(wait.realmId());
            if (realm == null) {
                continue;
            }
            session.getContext().setRealm(realm);
            UserModel user = session.users().getUserById(realm, wait.userId());
            if (user == null || scorer.of(realm, user, null, wait.requesterIp()).level()
                    == io.governedrecovery.core.risk.Risk.Level.NORMAL) {
                continue;
            }
            WaitingPeriod.end(session, wait, user, WaitingPeriod.RISK, new EventBuilder(realm, session));
        }
    }
}
