package io.governedrecovery.adminapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ReportSlotsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ReportSlots slots = new ReportSlots(2, 60_000, now::get);

    @Test
    void no_more_than_the_capacity_at_once_and_a_released_slot_is_free_again() {
        ReportSlots.Slot a = slots.tryTake();
        ReportSlots.Slot b = slots.tryTake();
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(slots.tryTake()).isNull();
        a.started();
        a.release();
        assertThat(slots.tryTake()).isNotNull();
        assertThat(slots.tryTake()).isNull();
    }

    @Test
    void releasing_twice_frees_one_slot_only() {
        ReportSlots.Slot a = slots.tryTake();
        slots.tryTake();
        a.release();
        a.release();
        assertThat(slots.inUse()).isEqualTo(1);
        assertThat(slots.tryTake()).isNotNull();
        assertThat(slots.tryTake()).isNull();
    }

    @Test
    void a_slot_whose_transfer_never_began_is_taken_back_after_the_timeout() {
        slots.tryTake();
        slots.tryTake();
        now.addAndGet(59_999);
        assertThat(slots.tryTake()).as("not yet").isNull();
        now.addAndGet(1);
        assertThat(slots.tryTake()).isNotNull();
        assertThat(slots.inUse()).isEqualTo(1);
    }

    @Test
    void a_started_transfer_keeps_its_slot_however_long_it_takes() {
        ReportSlots.Slot a = slots.tryTake();
        ReportSlots.Slot b = slots.tryTake();
        a.started();
        b.started();
        now.addAndGet(3_600_000);
        assertThat(slots.tryTake()).isNull();
        b.release();
        assertThat(slots.tryTake()).isNotNull();
    }

    @Test
    void a_late_release_of_a_slot_taken_back_frees_nothing_of_others() {
        ReportSlots.Slot lost = slots.tryTake();
        slots.tryTake().started();
        now.addAndGet(60_000);
        ReportSlots.Slot c = slots.tryTake();
        assertThat(c).isNotNull();
        lost.release();
        assertThat(slots.inUse()).isEqualTo(2);
        assertThat(slots.tryTake()).isNull();
    }
}
