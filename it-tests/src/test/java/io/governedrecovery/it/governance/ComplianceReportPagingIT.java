package io.governedrecovery.it.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.GroupRepresentation;

import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.reliability.ComplianceDownload;

/**
 * The compliance report has no cap and is streamed: the shared server reads {@value TestEnvironment#COMPLIANCE_PAGE_SIZE}
 * users per page, so a realm of some forty users spans many pages, each read in a transaction of its own. Every user is
 * listed exactly once in JSON and CSV, the answer is sent as it is written (chunked, no length known ahead), and a
 * helpdesk limited by fine-grained permissions to one group sees exactly that group's members across the pages. The
 * scale suite (benchmarks/scale.md) does the same at 100,000 users.
 */
@ExtendWith(RealKeycloak.class)
class ComplianceReportPagingIT {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static final int USERS = 36;

    @BeforeAll
    static void aRealmOfManyPages(TestRealm realm) {
        GroupRepresentation sales = new GroupRepresentation();
        sales.setName("sales");
        realm.admin().groups().add(sales).close();
        for (int i = 0; i < USERS; i++) {
            var user = realm.user(String.format("page-%02d", i)).attribute("department", "d" + i % 3);
            if (i % 4 == 1) {
                user.group("/sales");
            }
            if (i % 5 == 0) {
                user.totp("page-secret-" + i);
            }
            switch (i) {
                case 9 -> user.group("/recovery-helpdesk"); // privileged by group (in /sales too)
                case 13 -> user.clientRole("realm-management", "manage-users"); // privileged by role
                case 17 -> user.group("/realm-admins").totp("page-secret-17"); // by a group's composite role
                case 21 -> user.group("/break-glass"); // out of scope
                case 25 -> user.recoveryCodes("11111111", "22222222"); // and an app (every fifth): two strong
                case 29 -> user.noEmail();
                default -> { }
            }
            user.create();
        }
        realm.user("page-desk").clientRole("realm-management", "query-users").password("Desk-password-1").create();
        realm.user("page-nobody").clientRole("realm-management", "query-users").password("Nobody-password-1")
                .create();
        realm.user("page-viewer").clientRole("realm-management", "query-users").password("Viewer-password-1")
                .create();
        realm.user("page-plain").password("Plain-password-1").create();
    }

    /**
     * HEAD checks the caller and the parameters and reads no user: it answers without a body and takes none of the
     * node's report slots (four), so a burst of HEAD requests leaves the report free for the next GET.
     */
    @Test
    void head_checks_caller_and_parameters_and_holds_no_report_slot(TestRealm realm, KeycloakServer server) {
        String url = Helpdesk.adminApi(realm) + "compliance";
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> head = RestCall.send("HEAD", url + (i % 2 == 0 ? "" : "?format=csv"),
                    server.adminToken(), null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
        assertThat(RestCall.send("HEAD", url + "?format=xml", server.adminToken(), null).statusCode()).isEqualTo(400);
        assertThat(RestCall.send("HEAD", url, realm.accessToken("page-plain", "Plain-password-1", null), null)
                .statusCode()).isEqualTo(403);
        ComplianceDownload report = ComplianceDownload.get(url, server.adminToken(), false, null);
        assertThat(report.complete()).as("a report right after the HEAD requests: " + report).isTrue();
        assertThat(report.rows()).isGreaterThanOrEqualTo(USERS);
    }

    @Test
    void every_user_is_listed_once_across_many_pages_as_json_and_csv_sent_as_written(TestRealm realm,
                                                                                      KeycloakServer server) {
        int users = realm.admin().users().count();
        assertThat(users).as("the realm spans many pages").isGreaterThan(5 * TestEnvironment.COMPLIANCE_PAGE_SIZE);
        String url = Helpdesk.adminApi(realm) + "compliance";

        ComplianceDownload json = ComplianceDownload.get(url, server.adminToken(), false, null);
        assertThat(json.complete()).as(json.toString()).isTrue();
        assertThat(json.rows()).isEqualTo(users);
        assertThat(json.duplicates()).isZero();
        assertThat(json.usernames()).containsAll(expectedPageUsers());
        assertThat(json.fields().get("totals").path("users").asInt()).isEqualTo(users);
        assertThat(json.fields().get("totals").path("meeting").asLong())
                .isEqualTo(json.statuses().getOrDefault("meets", 0L));
        assertThat(json.fields().get("byDepartment").path("d0").path("users").asInt()).isEqualTo(12);
        assertThat(json.transferEncoding()).as("streamed: sent in chunks as it is written").isEqualTo("chunked");
        assertThat(json.contentLength()).as("no length known ahead").isEqualTo(-1);
        assertThat(json.contentType()).startsWith("application/json");

        ComplianceDownload csv = ComplianceDownload.get(url + "?format=csv", server.adminToken(), true, null);
        assertThat(csv.complete()).as(csv.toString()).isTrue();
        assertThat(csv.rows()).isEqualTo(users);
        assertThat(csv.duplicates()).isZero();
        assertThat(csv.usernames()).isEqualTo(json.usernames());
        assertThat(csv.statuses()).isEqualTo(json.statuses());
        assertThat(csv.transferEncoding()).isEqualTo("chunked");

        ComplianceDownload group = ComplianceDownload.get(url + "?group=/sales", server.adminToken(), false, null);
        assertThat(group.usernames()).isEqualTo(sales());
    }

    @Test
    void a_helpdesk_limited_to_one_group_sees_exactly_its_members_across_the_pages(TestRealm realm,
                                                                                  KeycloakServer server)
            throws Exception {
        AdminApiAuthorizationIT.grantManageOfGroupMembers(realm, server, "sales", realm.userIdOf("page-desk"));
        String desk = realm.accessToken("page-desk", "Desk-password-1", null);

        ComplianceDownload json = ComplianceDownload.get(Helpdesk.adminApi(realm) + "compliance", desk, false, null,
                true);
        assertThat(json.complete()).as(json.toString()).isTrue();
        assertThat(json.usernames()).isEqualTo(sales());
        // The helpdesk's report comes through Keycloak's user model, user by user; the admin's reads whole pages at
        // once: both must say the same of every user.
        ComplianceDownload admin = ComplianceDownload.get(Helpdesk.adminApi(realm) + "compliance", server.adminToken(),
                false, null, true);
        assertThat(json.rowsByUsername()).isNotEmpty();
        json.rowsByUsername().forEach((name, row) -> assertThat(row).as(name)
                .isEqualTo(admin.rowsByUsername().get(name)));
        assertThat(json.rowsByUsername().get("page-09").path("tier").asText()).isEqualTo("privileged");
        assertThat(json.rowsByUsername().get("page-13").path("tier").asText()).isEqualTo("privileged");
        assertThat(json.rowsByUsername().get("page-17").path("tier").asText()).isEqualTo("privileged");
        assertThat(json.rowsByUsername().get("page-21").path("status").asText()).isEqualTo("not-applicable");
        assertThat(json.rowsByUsername().get("page-25").path("methods").toString())
                .contains("recovery-codes", "totp");
        assertThat(json.fields().get("totals").path("users").asInt()).isEqualTo(sales().size());
        ComplianceDownload csv = ComplianceDownload.get(Helpdesk.adminApi(realm) + "compliance?format=csv", desk,
                true, null);
        assertThat(csv.usernames()).isEqualTo(sales());
    }

    /**
     * Fine-grained admin permissions (v2) let a person view every user but one: a permission on that user with a
     * policy that denies this person wins over the permission on all users: Keycloak refuses to show that user to this
     * person, and so must the report, although the caller "may view users" in general. (Keycloak decides user by user
     * here, as its {@code GET /users/<id>} does: another test of this class may give a group a permission of its own.)
     */
    @Test
    void a_user_the_caller_is_denied_stays_out_of_the_report_of_a_caller_who_may_view_all_others(TestRealm realm,
                                                                                               KeycloakServer server)
            throws Exception {
        String viewer = realm.userIdOf("page-viewer");
        String admin = server.baseUrl() + "/admin/realms/" + realm.name();
        assertThat(RestCall.send("PUT", admin, server.adminToken(), "{\"realm\":\"" + realm.name()
                + "\",\"adminPermissionsEnabled\":true}").statusCode()).isEqualTo(204);
        String clientId = JSON.readTree(RestCall.send("GET", admin + "/clients?clientId=admin-permissions",
                server.adminToken(), null).body()).path(0).path("id").asText();
        String authz = admin + "/clients/" + clientId + "/authz/resource-server";
        for (String[] policy : new String[][] {{"viewer allowed", "POSITIVE"}, {"viewer denied", "NEGATIVE"}}) {
            HttpResponse<String> created = RestCall.send("POST", authz + "/policy/user", server.adminToken(),
                    "{\"name\":\"" + policy[0] + "\",\"users\":[\"" + viewer + "\"],\"logic\":\"" + policy[1]
                            + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        HttpResponse<String> all = RestCall.send("POST", authz + "/permission/scope", server.adminToken(),
                "{\"name\":\"viewer views all users\",\"resourceType\":\"Users\",\"resources\":[],"
                        + "\"scopes\":[\"view\"],\"policies\":[\"viewer allowed\"]}");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(201);
        HttpResponse<String> one = RestCall.send("POST", authz + "/permission/scope", server.adminToken(),
                "{\"name\":\"viewer never views page-05\",\"resourceType\":\"Users\",\"resources\":[\""
                        + realm.userIdOf("page-05") + "\"],\"scopes\":[\"view\"],\"policies\":[\"viewer denied\"]}");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
        String token = realm.accessToken("page-viewer", "Viewer-password-1", null);

        // Keycloak's own answer, user by user: the users this caller may open in the admin API.
        Set<String> keycloaks = new TreeSet<>();
        for (var user : realm.admin().users().list(0, 1000)) {
            if (RestCall.send("GET", admin + "/users/" + user.getId(), token, null).statusCode() == 200) {
                keycloaks.add(user.getUsername());
            }
        }
        assertThat(keycloaks).as("the users Keycloak lets this caller open").contains("page-04", "page-06")
                .doesNotContain("page-05");
        for (boolean csv : new boolean[] {false, true}) {
            ComplianceDownload report = ComplianceDownload.get(Helpdesk.adminApi(realm) + "compliance"
                    + (csv ? "?format=csv" : ""), token, csv, null);
            assertThat(report.complete()).as(report.toString()).isTrue();
            assertThat(report.usernames()).as(csv ? "CSV" : "JSON").isEqualTo(keycloaks);
        }
    }

    @Test
    void a_caller_who_may_query_users_but_view_none_gets_an_empty_report(TestRealm realm) {
        String token = realm.accessToken("page-nobody", "Nobody-password-1", null);
        for (boolean csv : new boolean[] {false, true}) {
            ComplianceDownload report = ComplianceDownload.get(Helpdesk.adminApi(realm) + "compliance"
                    + (csv ? "?format=csv" : ""), token, csv, null);
            assertThat(report.complete()).as(report.toString()).isTrue();
            assertThat(report.rows()).as(csv ? "CSV" : "JSON").isZero();
            if (!csv) {
                assertThat(report.fields().get("totals").path("users").asInt()).isZero();
            }
        }
    }

    /** The members of /sales: every fourth user from page-01, and page-09 ... page-29 (1 mod 4 as well). */
    private static Set<String> sales() {
        Set<String> names = new TreeSet<>();
        for (int i = 1; i < USERS; i += 4) {
            names.add(String.format("page-%02d", i));
        }
        return names;
    }

    private static Set<String> expectedPageUsers() {
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < USERS; i++) {
            names.add(String.format("page-%02d", i));
        }
        return names;
    }
}
