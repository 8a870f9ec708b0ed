package io.governedrecovery.events.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;

class OutboxConflictTest {

    @Test
    void a_unique_key_conflict_is_recognised_through_its_wrappers() {
        assertThat(Outbox.duplicate(new ModelDuplicateException("Duplicate resource error"))).isTrue();
        assertThat(Outbox.duplicate(new RuntimeException("job failed",
                new ModelDuplicateException("Duplicate resource error")))).isTrue();
    }

    @Test
    void other_failures_are_not_taken_for_a_record_already_stored() {
        assertThat(Outbox.duplicate(new ModelException("Database operation failed"))).isFalse();
        assertThat(Outbox.duplicate(new RuntimeException("deadlock detected",
                new IllegalStateException("no connection")))).isFalse();
    }
}
