package io.governedrecovery.events.store;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * Resets counted in one department in one hour, the history its spike baseline is computed from. Every node writes the
 * counts it saw (keeping the larger), and every node that starts reads them: so all nodes and restarts share one
 * baseline. The department is kept as the scorer's realm-scoped hash, never its name.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_BASELINE")
@IdClass(BaselineEntity.Key.class)
@NamedQueries({
        @NamedQuery(name = "governedRecoveryBaselineRaise",
                query = "update BaselineEntity b set b.resets = :resets where b.department = :department "
                        + "and b.hour = :hour and b.resets < :resets"),
        @NamedQuery(name = "governedRecoveryBaselineSince",
                query = "select b from BaselineEntity b where b.hour >= :from and b.hour < :to "
                        + "order by b.department, b.hour"),
        @NamedQuery(name = "governedRecoveryBaselineDeleteOlder",
                query = "delete from BaselineEntity b where b.hour < :before")
})
public class BaselineEntity {

    @Id
    @Column(name = "DEPARTMENT_KEY")
    private long department;

    @Id
    @Column(name = "HOUR_NO")
    private long hour;

    @Column(name = "RESETS", nullable = false)
    private int resets;

    protected BaselineEntity() {
    }

    BaselineEntity(long department, long hour, int resets) {
        this.department = department;
        this.hour = hour;
        this.resets = resets;
    }

    public long getDepartment() {
        return department;
    }

    public long getHour() {
        return hour;
    }

    public int getResets() {
        return resets;
    }

    /** The composite key: department and hour. */
    public static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private long department;
        private long hour;

        public Key() {
        }

        public Key(long department, long hour) {
            this.department = department;
            this.hour = hour;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.department == department && k.hour == hour;
        }

        @Override
        public int hashCode() {
            return Objects.hash(department, hour);
        }
    }
}
