package io.governedrecovery.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.GroupRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.NewUser;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.privileged.PrivilegedFlows;

/**
 * What the recovery console's admin endpoints show, over REST: the queue of passes waiting for a second helpdesk
 * member (newest first, read past other groups' and expired requests until it is full, {@code truncated} when cut;
 * an expired request says so), the addresses in an account's recovery picture (only for callers who may view
 * events), and the picture's resets (found however many sign-ins the account had since).
 */
@ExtendWith(RealKeycloak.class)
class ConsoleApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** More requests than the queue shows at once (200). */
    private static final int OTHERS = 201;
    private static final String REQUEST = "{\"evidence\":\"manager\",\"ticket\":\"INC-Q\"}";

    @BeforeAll
    static void aGroupLimitedHelpdeskAndMoreRequestsThanTheQueueShows(TestRealm realm) throws IOException {
        GroupRepresentation sales = new GroupRepresentation();
        sales.setName("sales");
        realm.admin().groups().add(sales).close();
        // May query users, and view and manage (so reset) only the members of /sales.
        realm.user("q-sales-desk").clientRole("realm-management", "query-users").password("Sales-password-1").create();
        Helpdesk.grantManageOfGroupMembers(realm, "sales", realm.userIdOf("q-sales-desk"));

        // Members of /recovery-approvers are privileged accounts: their passes wait for a second helpdesk member.
        List<NewUser> users = new ArrayList<>();
        users.add(realm.user("q-sales-old").group("/sales").group("/recovery-approvers").noPassword());
        for (int i = 0; i < OTHERS; i++) {
            users.add(realm.user(String.format("q-other-%03d", i)).group("/recovery-approvers").noPassword());
        }
        users.add(realm.user("q-sales-new").group("/sales").group("/recovery-approvers").noPassword());
        Map<String, String> ids = NewUser.createAll(realm, users);
        // The oldest request is of /sales, then more than a queue's worth of others, then /sales again.
        for (NewUser user : users) {
            request(realm, ids.get(user.username()), REQUEST);
        }
    }

    @Test
    void a_group_limited_helpdesk_sees_its_groups_requests_behind_more_than_a_queue_of_others(TestRealm realm,
                                                                                              KeycloakServer server)
            throws IOException {
        JsonNode desk = pending(realm, realm.accessToken("q-sales-desk", "Sales-password-1", null));
        assertThat(desk.path("pending").findValuesAsText("username"))
                .as("the oldest and the newest request of /sales, none of another group")
                .contains("q-sales-old", "q-sales-new").allMatch(name -> name.startsWith("q-sales-"));
        assertThat(desk.path("truncated").asBoolean()).isFalse();

        JsonNode all = pending(realm, server.adminToken());
        List<String> names = all.path("pending").findValuesAsText("username");
        assertThat(names).as("a full queue").hasSize(200).doesNotHaveDuplicates();
        assertThat(all.path("truncated").asBoolean()).as("cut at 200").isTrue();
        List<String> others = names.stream().filter(name -> name.startsWith("q-other-")).toList();
        assertThat(others).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder())
                .startsWith(String.format("q-other-%03d", OTHERS - 1));
        assertThat(names).contains("q-sales-new").doesNotContain("q-sales-old", "q-other-000");
        assertThat(names.indexOf("q-sales-new")).isLessThan(names.indexOf(others.get(0)));
    }

    @Test
    void expired_requests_leave_the_queue_say_expired_and_do_not_hide_a_new_one(TestRealm realm,
                                                                                KeycloakServer server)
            throws IOException {
        String late = realm.user("q-sales-late").group("/sales").group("/recovery-approvers").noPassword().create();
        String passId = request(realm, late, "{\"evidence\":\"manager\",\"ticket\":\"INC-LATE\",\"lifetimeMinutes\":1}");
        try (var later = server.clockAhead(Duration.ofMinutes(2))) {
            JsonNode passes = json(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + late
                    + "/temporary-access-passes", server.adminToken(), null), 200);
            assertThat(passes.path("passes").path(0).path("id").asText()).isEqualTo(passId);
            assertThat(passes.path("passes").path(0).path("status").asText()).as("a dead request")
                    .isEqualTo("expired");
            JsonNode picture = json(RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + late + "/recovery",
                    server.adminToken(), null), 200);
            assertThat(picture.path("passes").path(0).path("status").asText()).isEqualTo("expired");
            assertThat(pending(realm, realm.accessToken("q-sales-desk", "Sales-password-1", null)).path("pending")
                    .findValuesAsText("username")).doesNotContain("q-sales-late");
        }

        // Past the longest lifetime of a pass (480 minutes) every request made before is dead: a new one shows,
        // however many dead ones there are.
        try (var nextDay = server.clockAhead(Duration.ofMinutes(481))) {
            String fresh = realm.user("q-sales-fresh").group("/sales").group("/recovery-approvers").noPassword()
                    .create();
            request(realm, fresh, REQUEST);
            JsonNode desk = pending(realm, realm.accessToken("q-sales-desk", "Sales-password-1", null));
            assertThat(desk.path("pending").findValuesAsText("username")).containsExactly("q-sales-fresh");
            assertThat(desk.path("truncated").asBoolean()).isFalse();
            JsonNode all = pending(realm, server.adminToken());
            assertThat(all.path("pending").findValuesAsText("username")).containsExactly("q-sales-fresh");
            assertThat(all.path("truncated").asBoolean()).isFalse();
        }
    }

    @Test
    void addresses_in_the_picture_are_shown_only_to_who_may_view_events(TestRealm realm, KeycloakServer server)
            throws IOException {
        realm.user("v-approver").group("/recovery-approvers").noPassword().create();
        realm.user("v-users").clientRole("realm-management", "query-users").clientRole("realm-management", "view-users")
                .password("Users-password-1").create();
        realm.user("v-events").clientRole("realm-management", "query-users")
                .clientRole("realm-management", "view-users").clientRole("realm-management", "view-events")
                .password("Events-password-1").create();
        String id = realm.user("v-admin").group("/realm-admins").totp("v-admin-secret")
                .recoveryCodes("VADMIN234567", "VADMIN765432").noPassword().create();
        // A privileged reset that proves two strong methods and waits for approval: an attempt and an approval
        // request, each from the browser's address.
        new PrivilegedFlows().proveBoth(new FlowClient(), realm, "v-admin", "v-admin-secret", "VADMIN234567");
        String path = "users/" + id + "/recovery";
        // The reset's events reach the outbox after their transaction.
        JsonNode admin = Await.until("the reset and its approval request in the picture", Duration.ofSeconds(60),
                () -> {
                    JsonNode picture = get(realm, path, server.adminToken());
                    return picture.path("attempts").size() > 0 && picture.path("approvals").size() > 0 ? picture
                            : null;
                });
        JsonNode users = get(realm, path, realm.accessToken("v-users", "Users-password-1", null));
        assertThat(users.path("attempts").size()).as("the resets themselves are shown").isPositive();
        assertThat(users.path("approvals").size()).isPositive();
        assertThat(users.path("attempts").path(0).path("ip").isNull()).as("no address without view-events: "
                + users.path("attempts").path(0).path("ip")).isTrue();
        for (JsonNode step : users.path("attempts").path(0).path("steps")) {
            assertThat(step.path("ip").isNull()).as(step.toString()).isTrue();
        }
        assertThat(users.path("approvals").path(0).path("ip").isNull()).as(users.path("approvals").toString())
                .isTrue();
        assertThat(users.toString()).doesNotContain("127.0.0.1");
        assertThat(users.path("addressesShown").asBoolean(true)).isFalse();

        for (JsonNode picture : List.of(admin, get(realm, path, realm.accessToken("v-events", "Events-password-1",
                null)))) {
            assertThat(picture.path("attempts").path(0).path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(picture.path("attempts").path(0).path("steps").findValuesAsText("ip")).isNotEmpty()
                    .allMatch("127.0.0.1"::equals);
            assertThat(picture.path("approvals").path(0).path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(picture.path("addressesShown").asBoolean()).isTrue();
        }
    }

    @Test
    void a_reset_stays_in_the_picture_behind_hundreds_of_failed_sign_ins(TestRealm realm, KeycloakServer server)
            throws Exception {
        // No password: a wrong one is refused without hashing, so the sign-ins are quick.
        String id = realm.user("e-many").noPassword().create();
        FlowClient client = new FlowClient();
        client.requestReset(client.openResetPage(realm), "e-many");
        String path = "users/" + id + "/recovery";
        Await.until("the reset in the picture", Duration.ofSeconds(60),
                () -> get(realm, path, server.adminToken()).path("attempts").size() > 0);

        int failures = 301;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < failures; i++) {
                String password = "Wrong-password-" + i;
                answers.add(pool.submit(() -> realm.signInStatus("e-many", password, null)));
            }
            for (var answer : answers) {
                assertThat(answer.get()).isBetween(400, 401);
            }
        } finally {
            pool.shutdownNow();
        }
        Await.until(failures + " failed sign-ins in the outbox", Duration.ofSeconds(120), () -> {
            JsonNode events = get(realm, "events?user=" + id + "&limit=1000", server.adminToken());
            int errors = 0;
            for (JsonNode event : events) {
                errors += "LOGIN_ERROR".equals(event.path("type").asText()) ? 1 : 0;
            }
            return errors >= failures;
        });

        JsonNode picture = get(realm, path, server.adminToken());
        assertThat(picture.path("attempts").size()).as("the reset, behind " + failures + " newer sign-in errors")
                .isEqualTo(1);
        assertThat(picture.path("attempts").path(0).path("steps").findValuesAsText("type"))
                .isNotEmpty().allMatch(type -> type.contains("RESET_PASSWORD"));
    }

    @Test
    void the_activity_and_the_department_counts_come_as_csv_and_bad_periods_are_refused(TestRealm realm,
                                                                                        KeycloakServer server) {
        String token = server.adminToken();
        var csv = RestCall.send("GET", Helpdesk.adminApi(realm) + "activity?days=1&format=csv", token, null);
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("hour,attempts,completions,findings");
        assertThat(lines).as("every hour of the day, zeros too, oldest first").hasSizeBetween(25, 26);
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00Z(,\\d+){3}"));
        for (String bad : List.of("days=0", "days=31", "days=seven", "days=7&format=xml")) {
            var refused = RestCall.send("GET", Helpdesk.adminApi(realm) + "activity?" + bad, token, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("error").doesNotContain("Exception");
        }
        var departments = RestCall.send("GET", Helpdesk.adminApi(realm) + "compliance?format=summary-csv", token, null);
        assertThat(departments.statusCode()).as(departments.body()).isEqualTo(200);
        assertThat(departments.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(departments.body().lines().findFirst().orElse(""))
                .isEqualTo("department,users,meeting,missing,not_applicable");
        assertThat(departments.body()).as("counts only, no user rows").doesNotContain("q-other-");
    }

    // ---- helpers ----

    private static JsonNode get(TestRealm realm, String path, String token) {
        try {
            return json(RestCall.send("GET", Helpdesk.adminApi(realm) + path, token, null), 200);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asks for a pass for a privileged account (as the server's admin): the request's id. */
    private static String request(TestRealm realm, String userId, String body) throws IOException {
        return json(RestCall.send("POST", Helpdesk.adminApi(realm) + "users/" + userId + "/temporary-access-passes",
                realm.server().adminToken(), body), 202).path("id").asText();
    }

    private static JsonNode pending(TestRealm realm, String token) throws IOException {
        return json(RestCall.send("GET", Helpdesk.adminApi(realm) + "temporary-access-passes/pending", token, null),
                200);
    }

    private static JsonNode json(HttpResponse<String> answer, int status) throws IOException {
        assertThat(answer.statusCode()).as(answer.uri() + ": " + answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }
}
