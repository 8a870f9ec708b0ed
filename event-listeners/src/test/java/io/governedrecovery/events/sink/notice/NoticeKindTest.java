package io.governedrecovery.events.sink.notice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.governedrecovery.core.event.RecoveryEvent;

class NoticeKindTest {

    @Test
    void break_glass_sign_ins_are_a_use_unless_inside_a_recorded_test() {
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "break-glass",
                "gr_break_glass_test", "false")))).contains("break-glass-sign-in");
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "break-glass")))).contains(
                "break-glass-sign-in");
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "break-glass",
                "gr_break_glass_test", "true")))).contains("break-glass-test");
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "privileged")))).isEmpty();
        // A standard account's sign-in (kept only where the realm needs it) ends its waiting recovery.
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "standard")))).contains("sign-in");
    }

    @Test
    void only_a_finished_privileged_reset_and_a_refused_break_glass_reset_are_announced() {
        assertThat(NoticeSink.kind(event("RESET_PASSWORD", null, Map.of("gr_step", "finish", "gr_outcome", "reset",
                "gr_tier", "privileged")))).contains("privileged-reset");
        assertThat(NoticeSink.kind(event("RESET_PASSWORD", null, Map.of("gr_step", "finish", "gr_outcome", "reset",
                "gr_tier", "standard")))).isEmpty();
        assertThat(NoticeSink.kind(event("RESET_PASSWORD", null, Map.of("gr_step", "verify",
                "gr_tier", "privileged")))).isEmpty();
        assertThat(NoticeSink.kind(event("RESET_PASSWORD_ERROR", "governed_recovery_break_glass",
                Map.of("gr_step", "identify")))).contains("break-glass-reset-attempt");
        assertThat(NoticeSink.kind(event("RESET_PASSWORD_ERROR", "governed_recovery_code_invalid",
                Map.of("gr_step", "verify")))).isEqualTo(Optional.empty());
    }

    @Test
    void a_method_added_or_removed_by_any_path_is_told_to_its_owner_once() {
        assertThat(NoticeSink.kind(event("UPDATE_CREDENTIAL", null, Map.of("credential_type", "otp"))))
                .contains("method-added");
        assertThat(NoticeSink.kind(event("UPDATE_TOTP", null, Map.of("credential_type", "otp"))))
                .as("Keycloak's deprecated twin of UPDATE_CREDENTIAL").isEmpty();
        assertThat(NoticeSink.kind(event("UPDATE_CREDENTIAL", null, Map.of("credential_type", "webauthn-passwordless"))))
                .contains("method-added");
        assertThat(NoticeSink.kind(event("REMOVE_CREDENTIAL", null, Map.of("credential_type", "recovery-authn-codes"))))
                .contains("method-removed");
        assertThat(NoticeSink.kind(event("UPDATE_CREDENTIAL", null, Map.of("credential_type", "password"))))
                .as("the owner's own password change").isEmpty();
        assertThat(NoticeSink.kind(event("UPDATE_CREDENTIAL", "invalid_totp", Map.of("credential_type", "otp"))))
                .as("a failed try changed nothing").isEmpty();
        assertThat(NoticeSink.kind(event("REMOVE_CREDENTIAL", null, Map.of("credential_type", "otp",
                "gr_step", "lost_device")))).as("the reset's own notice lists it").isEmpty();

        assertThat(NoticeSink.kind(admin("ACTION_USER", "users/u-1/credentials/c-1"))).contains("method-removed-by-admin");
        assertThat(NoticeSink.kind(admin("DELETE_USER", "users/u-1/credentials/c-1"))).contains("method-removed-by-admin");
        assertThat(NoticeSink.kind(admin("ACTION_USER", "users/u-1/reset-password"))).contains("password-set-by-admin");
        assertThat(NoticeSink.kind(admin("ACTION_USER", "users/u-1/governed-recovery/temporary-access-passes")))
                .contains("pass-issued");
        assertThat(NoticeSink.kind(admin("ACTION_USER",
                "users/u-1/governed-recovery/temporary-access-passes/c-1/revocation"))).isEmpty();
        assertThat(NoticeSink.kind(admin("UPDATE_USER", "users/u-1"))).isEmpty();
        assertThat(MethodChangeNotices.subject(admin("ACTION_USER", "users/u-1/reset-password"))).isEqualTo("u-1");
    }

    @Test
    void an_owners_first_report_tells_the_security_contacts_and_a_repeat_does_not() {
        assertThat(NoticeSink.kind(event("EXECUTE_ACTION_TOKEN", null, Map.of("gr_step", "not_me",
                "gr_outcome", "frozen")))).contains("owner-report");
        assertThat(NoticeSink.kind(event("EXECUTE_ACTION_TOKEN", null, Map.of("gr_step", "not_me",
                "gr_outcome", "already_frozen")))).isEmpty();
        assertThat(NoticeSink.kind(event("EXECUTE_ACTION_TOKEN", null, Map.of("action", "reset-credentials"))))
                .as("Keycloak's own action tokens").isEmpty();
    }

    @Test
    void only_new_subnet_findings_about_an_account_may_call_for_a_new_network_notice() {
        assertThat(NewNetworkNotices.wants(new io.governedrecovery.events.store.OutboxRecord("f-1",
                io.governedrecovery.events.store.OutboxRecord.Kind.FINDING, "realm-1", "FINDING", 1000, "user-1",
                "10.0.0.1", "new-subnet", null, "{}", 0, 0))).isTrue();
        assertThat(NewNetworkNotices.wants(new io.governedrecovery.events.store.OutboxRecord("f-2",
                io.governedrecovery.events.store.OutboxRecord.Kind.FINDING, "realm-1", "FINDING", 1000, null,
                "10.0.0.1", "new-subnet", null, "{}", 0, 0))).isFalse();
        assertThat(NewNetworkNotices.wants(new io.governedrecovery.events.store.OutboxRecord("f-3",
                io.governedrecovery.events.store.OutboxRecord.Kind.FINDING, "realm-1", "FINDING", 1000, "user-1",
                "10.0.0.1", "failed-resets", null, "{}", 0, 0))).isFalse();
    }

    static RecoveryEvent admin(String type, String path) {
        return new RecoveryEvent("id-2", 1000, RecoveryEvent.Kind.ADMIN, type, "realm-1", "r", "admin-cli", null,
                "10.0.0.1", null, Map.of("resource_path", path));
    }

    static RecoveryEvent event(String type, String error, Map<String, String> details) {
        return new RecoveryEvent("id-1", 1000, RecoveryEvent.Kind.USER, type, "realm-1", "r", "client", "user-1",
                "127.0.0.1", error, details);
    }
}
