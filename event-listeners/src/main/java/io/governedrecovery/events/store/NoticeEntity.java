package io.governedrecovery.events.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * When administrators were last told about one subject (for example a break-glass account someone tried to reset), so
 * that a throttled notice is sent once per window whichever node sends notices, and after restarts. The key is a
 * SHA-256 of realm, kind and subject.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_NOTICE")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryNoticeDeleteOlder",
                query = "delete from NoticeEntity n where n.sentAt < :before")
})
public class NoticeEntity {

    @Id
    @Column(name = "NOTICE_KEY", length = 64)
    private String key;

    @Column(name = "SENT_AT", nullable = false)
    private long sentAt;

    protected NoticeEntity() {
    }

    NoticeEntity(String key, long sentAt) {
        this.key = key;
        this.sentAt = sentAt;
    }

    public long getSentAt() {
        return sentAt;
    }

    void setSentAt(long sentAt) {
        this.sentAt = sentAt;
    }
}
