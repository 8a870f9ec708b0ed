package io.governedrecovery.it.reliability;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;

/**
 * What hostile input must not change, read through the admin API: every account of the realm (profile, attributes,
 * required actions, groups, and every credential with its id, creation time, label and public data, so a new password,
 * a removed app, a used recovery code or a pass's use all show) and the approval requests waiting for a decision.
 * The event pipeline's tables and the rate-limit counters are allowed to grow and are not compared.
 */
public final class StateSnapshot {

    /** One credential as the admin API shows it (never its secret). */
    public record Credential(String id, String type, Long createdDate, String label, String data) {

        String shown() {
            return type + " " + id + " created " + createdDate + " label '" + label + "' data " + data;
        }
    }

    /** One account. */
    public record UserState(String id, String username, Map<String, String> profile, List<Credential> credentials,
                            List<String> groups) {
    }

    /** One approval request waiting for a decision. */
    public record Pending(String id, String userId, String username, String status, long expiresAt) {
    }

    private final Map<String, UserState> users;
    private final Map<String, Pending> approvals;
    private final int userCount;

    private StateSnapshot(Map<String, UserState> users, Map<String, Pending> approvals, int userCount) {
        this.users = users;
        this.approvals = approvals;
        this.userCount = userCount;
    }

    /** Every account of the fixture's realm and the approvals waiting for the fixture's first approver. */
    public static StateSnapshot take(FuzzFixture fixture) {
        TestRealm realm = fixture.realm;
        Map<String, UserState> users = new TreeMap<>();
        // Every account with its attributes in one request, group memberships by group, credentials per account.
        List<UserRepresentation> all = realm.admin().users().search(null, 0, 10_000, false);
        Map<String, List<String>> groups = new TreeMap<>();
        for (GroupRepresentation g : realm.admin().groups().groups(null, 0, 1000, false)) {
            for (UserRepresentation member : realm.admin().groups().group(g.getId()).members(0, 10_000, true)) {
                groups.computeIfAbsent(member.getId(), k -> new ArrayList<>()).add(g.getPath());
            }
        }
        for (UserRepresentation u : all) {
            List<String> paths = new ArrayList<>(groups.getOrDefault(u.getId(), List.of()));
            paths.sort(null);
            users.put(u.getId(), state(realm, u, paths));
        }
        return new StateSnapshot(users, pending(fixture), realm.admin().users().count());
    }

    /** One account's state (with its groups when {@code groups}: one more request). */
    public static UserState user(TestRealm realm, String id, boolean groups) {
        UserRepresentation rep = realm.userResource(id).toRepresentation();
        List<String> groupPaths = List.of();
        if (groups) {
            groupPaths = realm.userResource(id).groups().stream().map(GroupRepresentation::getPath).sorted().toList();
        }
        return state(realm, rep, groupPaths);
    }

    private static UserState state(TestRealm realm, UserRepresentation rep, List<String> groupPaths) {
        String id = rep.getId();
        Map<String, String> profile = new TreeMap<>();
        profile.put("username", rep.getUsername());
        profile.put("enabled", String.valueOf(rep.isEnabled()));
        profile.put("email", String.valueOf(rep.getEmail()));
        profile.put("emailVerified", String.valueOf(rep.isEmailVerified()));
        profile.put("firstName", String.valueOf(rep.getFirstName()));
        profile.put("lastName", String.valueOf(rep.getLastName()));
        if (rep.getAttributes() != null) {
            rep.getAttributes().forEach((k, v) -> profile.put("attribute " + k, String.valueOf(v)));
        }
        List<String> actions = new ArrayList<>(rep.getRequiredActions() == null ? List.of() : rep.getRequiredActions());
        actions.sort(null);
        profile.put("requiredActions", actions.toString());
        // Unmanaged attributes (a recovery freeze among them) are not in the admin representation: asked separately.
        HttpResponse<String> freeze = RestCall.send("GET", Helpdesk.adminApi(realm) + "users/" + id
                + "/recovery-freeze", realm.server().adminToken(), null);
        profile.put("recovery freeze", freeze.statusCode() + " " + freeze.body());
        List<Credential> credentials = new ArrayList<>();
        for (CredentialRepresentation c : realm.userResource(id).credentials()) {
            credentials.add(new Credential(c.getId(), c.getType(), c.getCreatedDate(), c.getUserLabel(),
                    c.getCredentialData()));
        }
        credentials.sort(Comparator.comparing(Credential::type).thenComparing(Credential::id));
        return new UserState(id, rep.getUsername(), profile, credentials, groupPaths);
    }

    /** The approvals waiting for a decision, as the first approver sees them. */
    public static Map<String, Pending> pending(FuzzFixture fixture) {
        HttpResponse<String> answer = RestCall.send("GET", fixture.approvalsUrl(), fixture.consoleToken("fz-appr-1"),
                null);
        if (answer.statusCode() != 200) {
            throw new AssertionError("cannot list the pending approvals: " + answer.statusCode() + " " + answer.body());
        }
        Map<String, Pending> pending = new TreeMap<>();
        try {
            for (JsonNode a : FuzzFixture.JSON.readTree(answer.body()).path("approvals")) {
                pending.put(a.path("id").asText(), new Pending(a.path("id").asText(), a.path("userId").asText(),
                        a.path("username").asText(), a.path("status").asText(), a.path("expiresAt").asLong()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + answer.body(), e);
        }
        return pending;
    }

    /**
     * How an account changed from {@code before} to {@code after}, ignoring only what {@code allowed} tolerates
     * (changes the walks to the pages make themselves); empty when nothing changed.
     */
    public static List<String> differences(UserState before, UserState after, Set<FuzzFixture.Allowance> allowed) {
        return differences(before, after, allowed, Set.of(), x -> { });
    }

    /**
     * The same; a new {@code locale} attribute whose value is one of {@code keycloakLocales} (kc_locale values sent to
     * the pages) is Keycloak's own change, handed to {@code keycloakOwn} instead.
     */
    public static List<String> differences(UserState before, UserState after, Set<FuzzFixture.Allowance> allowed,
                                           Set<String> keycloakLocales, java.util.function.Consumer<String> keycloakOwn) {
        List<String> out = new ArrayList<>();
        String who = before.username();
        Map<String, String> p0 = before.profile();
        Map<String, String> p1 = after.profile();
        for (String key : union(p0.keySet(), p1.keySet())) {
            String a = p0.get(key);
            String b = p1.get(key);
            if (key.equals("attribute locale") && b != null && !b.equals(a)
                    && keycloakLocales.stream().anyMatch(v -> b.equals(List.of(v).toString()))) {
                keycloakOwn.accept(who + ": attribute locale was " + FuzzInputs.shown(a) + ", is "
                        + FuzzInputs.shown(b));
                continue;
            }
            if (a == null ? b != null : !a.equals(b)) {
                out.add(who + ": " + key + " was " + FuzzInputs.shown(a) + ", is " + FuzzInputs.shown(b));
            }
        }
        Map<String, Credential> c0 = masked(before.credentials(), allowed);
        Map<String, Credential> c1 = masked(after.credentials(), allowed);
        for (String key : union(c0.keySet(), c1.keySet())) {
            Credential a = c0.get(key);
            Credential b = c1.get(key);
            if (a == null) {
                out.add(who + ": a credential was added: " + b.shown());
            } else if (b == null) {
                out.add(who + ": a credential was removed: " + a.shown());
            } else if (!a.equals(b)) {
                out.add(who + ": a credential changed: was " + a.shown() + ", is " + b.shown());
            }
        }
        if (!before.groups().isEmpty() || !after.groups().isEmpty()) {
            if (!before.groups().equals(after.groups())) {
                out.add(who + ": groups were " + before.groups() + ", are " + after.groups());
            }
        }
        return out;
    }

    /** Credentials by a key that survives the tolerated changes (a new password has a new id). */
    private static Map<String, Credential> masked(List<Credential> credentials, Set<FuzzFixture.Allowance> allowed) {
        Map<String, Credential> out = new TreeMap<>();
        for (Credential c : credentials) {
            boolean password = "password".equals(c.type()) && allowed.contains(FuzzFixture.Allowance.PASSWORD);
            boolean codes = "recovery-authn-codes".equals(c.type())
                    && allowed.contains(FuzzFixture.Allowance.RECOVERY_CODES);
            boolean pass = "governed-recovery-tap".equals(c.type())
                    && allowed.contains(FuzzFixture.Allowance.PASS_USES);
            if (password) {
                out.put("password", new Credential("*", c.type(), null, c.label(), "*"));
            } else if (codes || pass) {
                out.put(c.type() + " " + c.id(), new Credential(c.id(), c.type(), c.createdDate(), c.label(), "*"));
            } else {
                out.put(c.type() + " " + c.id(), c);
            }
        }
        return out;
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    /**
     * Every difference between this snapshot (before the run) and {@code after}: accounts by their allowances, and
     * approvals, of which only new ones of the waiting-page targets' accounts (their walks ask for one each time) may
     * appear and none may go before it expires.
     */
    public Map<String, List<String>> differences(StateSnapshot after, FuzzFixture fixture, long now,
                                                 Set<String> keycloakLocales,
                                                 java.util.function.Consumer<String> keycloakOwn) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (userCount != after.userCount) {
            out.computeIfAbsent("(realm)", k -> new ArrayList<>()).add("the realm had " + userCount
                    + " accounts, has " + after.userCount);
        }
        Map<String, String> ownerById = new LinkedHashMap<>();
        Map<String, Set<FuzzFixture.Allowance>> allowedById = new LinkedHashMap<>();
        for (FuzzFixture.FuzzUser u : fixture.users()) {
            ownerById.put(u.id(), u.owner());
            allowedById.put(u.id(), u.allowances());
        }
        for (String id : union(users.keySet(), after.users.keySet())) {
            UserState a = users.get(id);
            UserState b = after.users.get(id);
            String owner = ownerById.getOrDefault(id, "(not a fixture account)");
            if (a == null || b == null) {
                out.computeIfAbsent(owner, k -> new ArrayList<>()).add("account " + id + " "
                        + (a == null ? "appeared: " + b.username() : "disappeared: " + a.username()));
                continue;
            }
            List<String> d = differences(a, b, allowedById.getOrDefault(id, Set.of()), keycloakLocales, keycloakOwn);
            if (!d.isEmpty()) {
                out.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(d);
            }
        }
        for (Pending p : approvals.values()) {
            if (!after.approvals.containsKey(p.id()) && p.expiresAt() > now) {
                out.computeIfAbsent("approval", k -> new ArrayList<>()).add("the approval request " + p.id() + " of "
                        + p.username() + " no longer waits, although it expires only at " + p.expiresAt());
            }
        }
        for (Pending p : after.approvals.values()) {
            if (!approvals.containsKey(p.id()) && !p.username().startsWith("fz-wait-")) {
                out.computeIfAbsent("approval", k -> new ArrayList<>()).add("a new approval request " + p.id()
                        + " of " + p.username() + " appeared");
            }
        }
        return out;
    }

    public int accounts() {
        return users.size();
    }

    public int credentials() {
        return users.values().stream().mapToInt(u -> u.credentials().size()).sum();
    }

    public int approvals() {
        return approvals.size();
    }

    Map<String, Pending> pendingApprovals() {
        return approvals;
    }
}
