package io.governedrecovery.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

import jakarta.persistence.EntityManager;

/**
 * Approval requests in Keycloak's database, so every cluster node sees one state. Every change is a conditional
 * update (compare and set): an approval is decided once and used once, whatever races.
 */
public final class Approvals {

    private final KeycloakSession session;

    public Approvals(KeycloakSession session) {
        this.session = session;
    }

    /** The binding of a browser tab's flow: which authentication session and tab may use an approval. */
    public static String binding(AuthenticationSessionModel authSession) {
        return sha256(authSession.getParentSession().getId() + "\u0000" + authSession.getTabId());
    }

    Approval create(String realmId, String userId, String binding, String approverGroupId, long now, long expiresAt,
                    String requesterIp, List<String> methods) {
        String id = UUID.randomUUID().toString();
        String ip = requesterIp == null ? null : requesterIp.length() > 64 ? requesterIp.substring(0, 64) : requesterIp;
        String joined = String.join(",", methods);
        ApprovalEntity entity = new ApprovalEntity(id, realmId, userId, binding, approverGroupId, now, expiresAt, ip,
                joined.length() > 255 ? joined.substring(0, 255) : joined);
        em().persist(entity);
        em().flush();
        return entity.toApproval();
    }

    public Optional<Approval> find(String realmId, String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        ApprovalEntity entity = em().find(ApprovalEntity.class, id);
        if (entity == null) {
            return Optional.empty();
        }
        em().refresh(entity);
        Approval approval = entity.toApproval();
        return approval.realmId().equals(realmId) ? Optional.of(approval) : Optional.empty();
    }

    /** Decides a pending, unexpired request; false when it was already decided or has expired. */
    public boolean decide(String id, boolean approve, String approverId, String via, String reason, long now) {
        return em().createNamedQuery("governedRecoveryApprovalDecide")
                .setParameter("status", (approve ? Approval.Status.APPROVED : Approval.Status.DENIED).name())
                .setParameter("by", approverId).setParameter("now", now).setParameter("via", via)
                .setParameter("reason", reason).setParameter("id", id).executeUpdate() == 1;
    }

    /** Moves a request from one status to another; false when it was not in {@code from}. */
    boolean transition(String id, Approval.Status from, Approval.Status to) {
        return em().createNamedQuery("governedRecoveryApprovalTransition").setParameter("id", id)
                .setParameter("from", from.name()).setParameter("to", to.name()).executeUpdate() == 1;
    }

    public List<Approval> pending(String realmId, long now) {
        return em().createNamedQuery("governedRecoveryApprovalPending", ApprovalEntity.class)
                .setParameter("realmId", realmId).setParameter("now", now).setMaxResults(500)
                .getResultStream().map(ApprovalEntity::toApproval).toList();
    }

    /** Removes requests that expired more than a week ago (the event export keeps the history). */
    public static void deleteOld(KeycloakSession session, long now) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("governedRecoveryApprovalDeleteOld")
                .setParameter("before", now - 7L * 24 * 3600 * 1000).executeUpdate();
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
