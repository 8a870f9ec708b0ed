package io.governedrecovery.events.sink.notice;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.events.store.NoticeLedger;
import io.governedrecovery.events.store.OutboxRecord;
import io.governedrecovery.reset.OwnerNotices;
import io.governedrecovery.reset.ResetConsequences;

/**
 * Tells an account's owner that it signed in from a network it was not seen from (the scorer's {@code new-subnet}
 * finding on a successful sign-in): when, from which network and address, to which application, with "This was not
 * me". Off unless the realm turns it on (the reset step's "Notify sign-ins from a new network"); at most one notice per
 * account and network a day, whichever node sends it.
 */
final class NewNetworkNotices {

    private static final Logger LOG = Logger.getLogger(NewNetworkNotices.class);
    static final String KIND = "new-network";
    private static final long ONCE_PER_MILLIS = Duration.ofDays(1).toMillis();

    private NewNetworkNotices() {
    }

    static boolean wants(OutboxRecord record) {
        return AnomalyScorer.NEW_SUBNET.equals(record.rule()) && record.userId() != null;
    }

    static void send(KeycloakSession session, Finding f, long now) {
        if (!AnomalyScorer.ON_SIGN_IN.equals(f.evidence().get(AnomalyScorer.EVIDENCE_ON)) || f.userId() == null) {
            return; // a reset from a new network: the reset's own notice tells the owner
        }
        RealmModel realm = session.realms().getRealm(f.realmId());
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        if (!ResetConsequences.ownerDefence(session, realm).newNetworkNotice()) {
            return;
        }
        UserModel owner = session.users().getUserById(realm, f.userId());
        if (owner == null || !owner.isEnabled()) {
            return;
        }
        String network = f.evidence().getOrDefault("subnet", "-");
        if (!NoticeLedger.due(session, realm.getId(), KIND, owner.getId() + '|' + network, now, ONCE_PER_MILLIS)) {
            return; // this account and network had its notice today
        }
        Optional<String> notMe = ResetConsequences.notMeLink(session, realm, owner, KIND, f.time());
        String when = MailTimes.format(f.time());
        String ip = f.ipAddress() == null ? "-" : f.ipAddress();
        String application = f.evidence().getOrDefault(AnomalyScorer.EVIDENCE_CLIENT, "-");
        int sent = OwnerNotices.toEveryChannel(session, realm, owner, "governed-recovery-new-network.ftl",
                "governedRecoveryNewNetworkSubject",
                Map.of("when", when, "network", network, "ip", ip, "application", application),
                "governedRecoveryNewNetworkSms", List.of(OwnerNotices.realmName(realm), when, network, ip), notMe,
                "new-network-notice");
        LOG.debugf("Governed Recovery: new-network notice for an account of realm '%s' queued to %d channels",
                realm.getName(), sent);
    }
}
