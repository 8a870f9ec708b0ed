package io.governedrecovery.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApprovalRulesTest {

    @Test
    void settings_need_a_group_and_a_lifetime_from_5_minutes_to_a_day() {
        assertThat(ApprovalSettings.from(Map.of("approvers-group", " /recovery-approvers ")))
                .isEqualTo(new ApprovalSettings("/recovery-approvers", Duration.ofMinutes(30)));
        assertThat(ApprovalSettings.from(Map.of("approvers-group", "/a", "approval-minutes", "5")).lifetime())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ApprovalSettings.from(Map.of())).hasMessageContaining("approvers-group");
        assertThatThrownBy(() -> ApprovalSettings.from(null)).hasMessageContaining("approvers-group");
        for (String bad : List.of("4", "1441", "ten", "-1")) {
            assertThatThrownBy(() -> ApprovalSettings.from(Map.of("approvers-group", "/a", "approval-minutes", bad)))
                    .as(bad).hasMessageContaining("approval-minutes");
        }
    }

    @Test
    void a_pending_request_past_its_expiry_counts_as_expired_and_decided_ones_keep_their_status() {
        Approval pending = approval(Approval.Status.PENDING);
        assertThat(pending.statusAt(999)).isEqualTo(Approval.Status.PENDING);
        assertThat(pending.statusAt(1000)).isEqualTo(Approval.Status.EXPIRED);
        assertThat(approval(Approval.Status.APPROVED).statusAt(5000)).isEqualTo(Approval.Status.APPROVED);
        assertThat(approval(Approval.Status.CONSUMED).statusAt(5000)).isEqualTo(Approval.Status.CONSUMED);
    }

    @Test
    void a_flow_binding_depends_on_both_session_and_tab() {
        assertThat(Approvals.sha256("a\u0000b")).hasSize(64).isNotEqualTo(Approvals.sha256("a\u0000c"));
    }

    private static Approval approval(Approval.Status status) {
        return new Approval("id", "realm", "user", "binding", "group", status, 0, 1000, "127.0.0.1",
                List.of("totp", "webauthn"), null, null, null, null);
    }
}
