package io.governedrecovery.governance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.web.Csv;

/**
 * The registration compliance of a realm's users (or one group's members): each user's standing, and counts in
 * total, by group and by department, as JSON-ready maps or as CSV.
 */
public final class ComplianceReport {

    public static final int MAX_USERS = 50_000;

    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final int[] total = new int[3];
    private final Map<String, int[]> byGroup = new TreeMap<>();
    private final Map<String, int[]> byDepartment = new TreeMap<>();
    private final String departmentAttribute;

    private ComplianceReport(String departmentAttribute) {
        this.departmentAttribute = departmentAttribute;
    }

    /**
     * The report over {@code group}'s members, or over every user when it is null, of the users {@code visible}
     * accepts (those the caller may view).
     */
    public static ComplianceReport of(KeycloakSession session, RealmModel realm, GroupModel group,
                                      String departmentAttribute, java.util.function.Predicate<UserModel> visible) {
        ComplianceReport report = new ComplianceReport(departmentAttribute);
        Compliance compliance = new Compliance(session, realm);
        Stream<UserModel> users = group == null
                ? session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"), 0,
                        MAX_USERS)
                : session.users().getGroupMembersStream(realm, group, 0, MAX_USERS);
        for (UserModel user : users.filter(visible).toList()) {
            report.add(user, compliance.of(user));
        }
        return report;
    }

    private void add(UserModel user, Compliance.Standing standing) {
        String department = user.getFirstAttribute(departmentAttribute);
        List<String> groups = user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).sorted().toList();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", user.getId());
        row.put("username", user.getUsername());
        row.put("tier", standing.tier());
        row.put("status", !standing.applicable() ? "not-applicable" : standing.meets() ? "meets" : "misses");
        row.put("reason", standing.reason());
        row.put("methods", standing.methods());
        row.put("inCooldown", standing.inCooldown());
        row.put("requiredMethods", standing.requiredMethods());
        row.put("requiredStrong", standing.requiredStrong());
        row.put("department", department);
        row.put("groups", groups);
        rows.add(row);
        int column = !standing.applicable() ? 2 : standing.meets() ? 0 : 1;
        total[column]++;
        for (String g : groups) {
            byGroup.computeIfAbsent(g, k -> new int[3])[column]++;
        }
        byDepartment.computeIfAbsent(department == null || department.isBlank() ? "(none)" : department,
                k -> new int[3])[column]++;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totals", counts(total));
        Map<String, Object> groups = new LinkedHashMap<>();
        byGroup.forEach((k, v) -> groups.put(k, counts(v)));
        body.put("byGroup", groups);
        Map<String, Object> departments = new LinkedHashMap<>();
        byDepartment.forEach((k, v) -> departments.put(k, counts(v)));
        body.put("departmentAttribute", departmentAttribute);
        body.put("byDepartment", departments);
        body.put("users", rows);
        return body;
    }

    /** One row per user; cells quoted, and a leading formula character defused for spreadsheets. */
    @SuppressWarnings("unchecked")
    public String asCsv() {
        StringBuilder csv = new StringBuilder("id,username,tier,status,reason,methods,in_cooldown,department,groups\r\n");
        for (Map<String, Object> row : rows) {
            csv.append(Csv.cell((String) row.get("id"))).append(',').append(Csv.cell((String) row.get("username"))).append(',')
                    .append(Csv.cell((String) row.get("tier"))).append(',').append(Csv.cell((String) row.get("status"))).append(',')
                    .append(Csv.cell((String) row.get("reason"))).append(',')
                    .append(Csv.cell(String.join(" ", (List<String>) row.get("methods")))).append(',')
                    .append(Csv.cell(String.join(" ", (List<String>) row.get("inCooldown")))).append(',')
                    .append(Csv.cell((String) row.get("department"))).append(',')
                    .append(Csv.cell(String.join(" ", (List<String>) row.get("groups")))).append("\r\n");
        }
        return csv.toString();
    }

    private static Map<String, Object> counts(int[] c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", c[0] + c[1] + c[2]);
        m.put("meeting", c[0]);
        m.put("missing", c[1]);
        m.put("notApplicable", c[2]);
        return m;
    }
}
