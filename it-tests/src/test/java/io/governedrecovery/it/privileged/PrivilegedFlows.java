package io.governedrecovery.it.privileged;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/** Steps the privileged-account tests share: proving methods over HTTP, approval links, the REST endpoints. */
public final class PrivilegedFlows {

    public static final String METHODS_FORM = "governed-recovery-methods-form";
    public static final String CODE_FORM = "governed-recovery-code-form";
    public static final String WAITING_FORM = "governed-recovery-approval-form";
    public static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";

    /** An authenticator-app code Keycloak has not seen yet (see {@link Totp#unused}). */
    public String totp(String secret) {
        return Totp.unused(secret);
    }

    /** Requests a reset and proves the app and a recovery code: ends on the waiting page. */
    public FlowClient.Page proveBoth(FlowClient client, TestRealm realm, String name, String secret, String recoveryCode) {
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), name);
        FlowClient.Page afterApp = prove(client, methods, "totp", () -> totp(secret));
        FlowClient.Page waiting = prove(client, afterApp, "recovery-codes", () -> recoveryCode);
        if (!waiting.has(WAITING_FORM)) {
            throw new AssertionError("after two strong methods the reset should wait for approval; page:\n"
                    + waiting.body());
        }
        return waiting;
    }

    static FlowClient.Page prove(FlowClient client, FlowClient.Page methods, String method,
                                 java.util.function.Supplier<String> code) {
        return client.prove(methods, method, code);
    }

    public static FlowClient.Page check(FlowClient client, FlowClient.Page waiting) {
        return client.postFollowing(waiting.formAction(WAITING_FORM), Map.of("action", "check"));
    }

    public static FlowClient.Page setPassword(FlowClient client, FlowClient.Page newPassword, String password) {
        return client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", password, "password-confirm", password));
    }

    /** The approval link of {@code requester}'s request in the approver's mailbox. */
    public static String approvalLink(MailCatcher mail, String approverAddress, String requester) {
        return mail.await(approverAddress, m -> m.subject().contains(requester))
                .linkContaining("/governed-recovery/approval");
    }

    static String keyOf(String link) {
        String query = URI.create(link).getRawQuery();
        return URLDecoder.decode(query.substring(query.indexOf("key=") + 4), StandardCharsets.UTF_8);
    }

    /** Opens an approval link as the approver's browser would, and presses approve or deny on it. */
    public static FlowClient.Page decideByLink(String link, String decision) {
        FlowClient approver = new FlowClient();
        FlowClient.Page page = approver.get(link);
        if (!page.has("governed-recovery-decision-form")) {
            return page;
        }
        return approver.post(page.formAction("governed-recovery-decision-form"),
                Map.of("key", keyOf(link), "decision", decision));
    }

    /** Our admin API under Keycloak's ({@code /admin/realms/<realm>/governed-recovery/...}). */
    static String adminEndpoint(TestRealm realm, String path) {
        return io.governedrecovery.it.harness.Helpdesk.adminApi(realm) + path;
    }

    /** The approvers' endpoints and the approval page ({@code /realms/<realm>/governed-recovery/...}). */
    static String endpoint(KeycloakServer server, TestRealm realm, String path) {
        return server.baseUrl() + "/realms/" + realm.name() + "/governed-recovery/" + path;
    }

    static HttpResponse<String> call(String method, String url, String token, String body) {
        return io.governedrecovery.it.harness.RestCall.send(method, url, token, body);
    }
}
