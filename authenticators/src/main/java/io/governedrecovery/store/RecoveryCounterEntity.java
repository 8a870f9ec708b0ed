package io.governedrecovery.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One fixed time window of one counter (failures of a method for a user, sends to a user, starts from an IP...), kept
 * in Keycloak's database so every cluster node sees the same count. The subject key is stored only as a hash.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_COUNTER")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryCounterIncrement",
                query = "update RecoveryCounterEntity c set c.hits = c.hits + 1 where c.id = :id"),
        @NamedQuery(name = "governedRecoveryCounterDecrement",
                query = "update RecoveryCounterEntity c set c.hits = c.hits - 1 where c.id = :id and c.hits > 0"),
        @NamedQuery(name = "governedRecoveryCounterDeleteExpired",
                query = "delete from RecoveryCounterEntity c where c.expiresAt < :now")
})
public class RecoveryCounterEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "SCOPE", length = 64, nullable = false)
    private String scope;

    @Column(name = "WINDOW_START", nullable = false)
    private long windowStart;

    @Column(name = "HITS", nullable = false)
    private int hits;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    protected RecoveryCounterEntity() {
    }

    RecoveryCounterEntity(String id, String realmId, String scope, long windowStart, int hits, long expiresAt) {
        this.id = id;
        this.realmId = realmId;
        this.scope = scope;
        this.windowStart = windowStart;
        this.hits = hits;
        this.expiresAt = expiresAt;
    }

    public String getId() {
        return id;
    }

    public String getRealmId() {
        return realmId;
    }

    public String getScope() {
        return scope;
    }

    public long getWindowStart() {
        return windowStart;
    }

    public int getHits() {
        return hits;
    }

    public long getExpiresAt() {
        return expiresAt;
    }
}
