package io.governedrecovery.events.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.keycloak.models.KeycloakSession;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** The database's memory of which administrators' notices were sent when (see {@link NoticeEntity}). */
public final class NoticeLedger {

    private NoticeLedger() {
    }

    /**
     * In the session's transaction: true, and the notice recorded as sent at {@code now}, unless the same notice was
     * sent less than {@code windowMillis} ago. Rolled back with the transaction that would have sent it.
     */
    public static boolean due(KeycloakSession session, String realmId, String kind, String subject, long now,
                              long windowMillis) {
        EntityManager em = Outbox.em(session);
        String key = key(realmId + '\u0000' + kind + '\u0000' + subject);
        NoticeEntity sent = em.find(NoticeEntity.class, key, LockModeType.PESSIMISTIC_WRITE);
        if (sent == null) {
            em.persist(new NoticeEntity(key, now));
            return true;
        }
        if (now - sent.getSentAt() < windowMillis) {
            return false;
        }
        sent.setSentAt(now);
        return true;
    }

    /** Forgets notices sent before {@code before}. */
    public static int forgetBefore(KeycloakSession session, long before) {
        return Outbox.em(session).createNamedQuery("governedRecoveryNoticeDeleteOlder").setParameter("before", before)
                .executeUpdate();
    }

    static String key(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
