package io.governedrecovery.events.store;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import org.keycloak.models.KeycloakSession;

/**
 * What a sink's runner needs of the outbox: the records it has still to deliver, and their acknowledgement or refusal,
 * each checked against the sink's lease epoch so a node that lost the lease changes nothing. The {@link Outbox}
 * keeps them in Keycloak's database.
 */
public interface DeliveryStore {

    /** A record a sink has still to deliver, with the refused attempts it has had so far. */
    record Pending(OutboxRecord record, int attempts) {
    }

    /** The oldest {@code limit} records {@code sink} has still to deliver (parked ones excluded), in sequence order. */
    List<Pending> pending(String sink, int limit);

    /** Marks records delivered if {@code epoch} is still the sink's lease epoch; false (nothing changed) otherwise. */
    boolean delivered(String sink, long epoch, Collection<Long> seqs);

    /**
     * Marks records delivered and runs {@code work} in the same transaction (a transactional sink's delivery), if
     * {@code epoch} is still the sink's lease epoch; false, without running {@code work}, otherwise. What {@code work}
     * throws rolls the acknowledgement back.
     */
    boolean deliveredWith(String sink, long epoch, Collection<Long> seqs, Consumer<KeycloakSession> work);

    /**
     * Counts a permanent refusal of one record by {@code sink}; after {@code parkAfter} of them the record is parked.
     * True when it was parked now; nothing changes without the lease.
     */
    boolean refused(String sink, long epoch, long seq, String error, int parkAfter);
}
