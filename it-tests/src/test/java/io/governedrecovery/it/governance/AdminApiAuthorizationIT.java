package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * Who may call what: the administrative endpoints live under Keycloak's admin API, so a token counts only with the
 * admin roles its client's scope carries and fine-grained admin permissions are honoured; the approvers' endpoint takes
 * only tokens issued for the realm's Governed Recovery client. A token another application received for the same
 * user (a third-party app replaying it) gets 403 everywhere.
 */
@ExtendWith(RealKeycloak.class)
class AdminApiAuthorizationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASS = "{\"evidence\":\"callback\",\"ticket\":\"INC-42\"}";

    @BeforeAll
    static void usersAndAThirdPartyApp(TestRealm realm) {
        ClientRepresentation app = new ClientRepresentation();
        app.setClientId("some-app");
        app.setPublicClient(true);
        app.setDirectAccessGrantsEnabled(true);
        app.setStandardFlowEnabled(false);
        app.setFullScopeAllowed(false);
        realm.admin().clients().create(app).close();
        GroupRepresentation sales = new GroupRepresentation();
        sales.setName("sales");
        realm.admin().groups().add(sales).close();

        realm.user("api-desk").group("/recovery-helpdesk").password("Desk-password-1").create();
        realm.user("api-approver").group("/recovery-approvers").password("Approver-password-1").create();
        realm.user("api-target").create();
        realm.user("api-sales-1").group("/sales").create();
        realm.user("api-other").create();
        // A delegated helpdesk: may query users, and may manage (so reset) only the members of /sales.
        realm.user("api-sales-desk").clientRole("realm-management", "query-users").password("Sales-password-1")
                .create();
    }

    @Test
    void a_token_another_client_received_for_the_same_user_is_refused_everywhere(TestRealm realm,
                                                                                 KeycloakServer server) {
        String target = realm.userIdOf("api-target");
        String foreign = realm.directGrantToken("some-app", "api-desk", "Desk-password-1");
        for (String[] call : List.of(new String[] {"POST", "users/" + target + "/temporary-access-passes", PASS},
                new String[] {"GET", "users/" + target + "/temporary-access-passes", null},
                new String[] {"GET", "policy", null}, new String[] {"GET", "compliance", null},
                new String[] {"GET", "break-glass", null}, new String[] {"GET", "events", null},
                new String[] {"GET", "findings", null}, new String[] {"GET", "waiting-recoveries", null},
                new String[] {"POST", "waiting-recoveries/" + java.util.UUID.randomUUID() + "/end",
                        "{\"ticket\":\"INC-1\"}"})) {
            HttpResponse<String> answer = RestCall.send(call[0], Helpdesk.adminApi(realm) + call[1], foreign, call[2]);
            assertThat(answer.statusCode()).as(call[0] + " " + call[1] + ": " + answer.body()).isEqualTo(403);
        }
        String approvals = server.baseUrl() + "/realms/" + realm.name() + "/governed-recovery/approvals";
        String approverForeign = realm.directGrantToken("some-app", "api-approver", "Approver-password-1");
        assertThat(RestCall.send("GET", approvals, approverForeign, null).statusCode()).isEqualTo(403);
        String approverAdminCli = realm.accessToken("api-approver", "Approver-password-1", null);
        assertThat(RestCall.send("GET", approvals, approverAdminCli, null).statusCode())
                .as("a token for another client of the realm, even Keycloak's own").isEqualTo(403);
        assertThat(RestCall.send("GET", approvals, realm.consoleToken("api-approver", "Approver-password-1", null),
                null).statusCode()).as("the recovery console's token").isEqualTo(200);

        // The same user, through Keycloak's own admin client whose scope carries the admin role: allowed.
        HttpResponse<String> issued = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + target
                + "/temporary-access-passes", realm.accessToken("api-desk", "Desk-password-1", null), PASS);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        assertThat(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + target + "/temporary-access-passes",
                foreign, null).body()).doesNotContain("INC-42");
    }

    @Test
    void the_consoles_token_carries_only_the_admin_roles_the_console_uses(TestRealm realm, KeycloakServer server) {
        realm.user("api-realm-admin").clientRole("realm-management", "realm-admin").totp("api-ra-secret")
                .password("Admin-password-1").create();
        String console = realm.consoleToken("api-realm-admin", "Admin-password-1", Totp.now("api-ra-secret"));
        String admin = server.baseUrl() + "/admin/realms/" + realm.name();
        assertThat(RestCall.send("GET", Helpdesk.adminApi(realm) + "policy", console, null).statusCode())
                .as("the console's own calls").isEqualTo(200);
        HttpResponse<String> changed = RestCall.send("PUT", admin, console,
                "{\"realm\":\"" + realm.name() + "\",\"displayName\":\"owned\"}");
        assertThat(changed.statusCode()).as("a console token cannot change the realm: " + changed.body())
                .isEqualTo(403);
        assertThat(RestCall.send("GET", admin + "/clients", console, null).statusCode())
                .as("nor read what the console never shows").isEqualTo(403);
        assertThat(realm.admin().toRepresentation().getDisplayName()).isNotEqualTo("owned");
    }

    @Test
    void a_helpdesk_limited_to_one_group_issues_passes_there_and_nowhere_else(TestRealm realm, KeycloakServer server)
            throws Exception {
        grantManageOfGroupMembers(realm, server, "sales", realm.userIdOf("api-sales-desk"));
        String desk = realm.accessToken("api-sales-desk", "Sales-password-1", null);
        String member = realm.userIdOf("api-sales-1");
        String outsider = realm.userIdOf("api-other");

        HttpResponse<String> inGroup = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + member
                + "/temporary-access-passes", desk, PASS);
        assertThat(inGroup.statusCode()).as(inGroup.body()).isEqualTo(201);
        HttpResponse<String> outside = RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + outsider
                + "/temporary-access-passes", desk, PASS);
        assertThat(outside.statusCode()).as(outside.body()).isEqualTo(403);
        assertThat(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + outsider + "/temporary-access-passes",
                desk, null).statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + outsider
                + "/temporary-access-passes", server.adminToken(), null).body()).path("passes"))
                .as("nothing was issued outside the group").isEmpty();

        JsonNode report = JSON.readTree(RestCall.send("GET", Helpdesk.adminApi(realm) + "compliance", desk, null)
                .body());
        List<String> listed = report.path("users").findValuesAsText("username");
        assertThat(listed).as("the report lists the users this helpdesk may see").contains("api-sales-1")
                .doesNotContain("api-other", "api-desk");
    }

    /** Fine-grained admin permissions (v2): {@code userId} may manage the members of the top-level group. */
    static void grantManageOfGroupMembers(TestRealm realm, KeycloakServer server, String group, String userId) {
        Helpdesk.grantManageOfGroupMembers(realm, group, userId);
    }
}
