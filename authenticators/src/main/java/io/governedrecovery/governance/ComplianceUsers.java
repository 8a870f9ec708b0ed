package io.governedrecovery.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.keycloak.Token;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The users of a compliance report, read from Keycloak a page at a time, each page in a session and transaction of
 * its own: what a page loads (user entities, their attributes, credentials and groups) is let go when the page ends,
 * so a report over a million users needs no more memory than one over a thousand. Each page session carries the
 * caller's token, so Keycloak's fine-grained admin permissions filter its queries as they would the caller's own;
 * {@code visible} then checks every user as before.
 *
 * <p>Pages are read by position (Keycloak's user queries are ordered by username): a user created or deleted while
 * the report runs may be missed or listed twice.
 */
public final class ComplianceUsers implements ComplianceReport.Pages {

    private static final String TASK = "governed-recovery compliance report";

    private final KeycloakSessionFactory factory;
    private final KeycloakContext context;
    private final Token token;
    private final String groupId;
    private final String departmentAttribute;
    private final Predicate<UserModel> visible;

    /**
     * The users of the realm of {@code request}'s context (of {@code group} and not its subgroups, when not null)
     * that {@code visible} accepts.
     */
    public ComplianceUsers(KeycloakSession request, GroupModel group, String departmentAttribute,
                           Predicate<UserModel> visible) {
        this.factory = request.getKeycloakSessionFactory();
        this.context = request.getContext();
        this.token = request.getContext().getBearerToken();
        this.groupId = group == null ? null : group.getId();
        this.departmentAttribute = departmentAttribute;
        this.visible = visible;
    }

    @Override
    public ComplianceReport.Page read(int first, int max) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, context, session -> {
            session.getContext().setBearerToken(token);
            RealmModel realm = session.getContext().getRealm();
            if (realm == null) {
                throw new ModelException("the realm is gone");
            }
            List<UserModel> users = users(session, realm, first, max);
            Compliance compliance = new Compliance(session, realm);
            List<ComplianceReport.Row> rows = new ArrayList<>(users.size());
            for (UserModel user : users) {
                if (visible.test(user)) {
                    rows.add(ComplianceReport.Row.of(user, compliance.of(user), departmentAttribute));
                }
            }
            return new ComplianceReport.Page(rows, users.size());
        }, TASK);
    }

    private List<UserModel> users(KeycloakSession session, RealmModel realm, int first, int max) {
        Stream<UserModel> users;
        if (groupId == null) {
            users = session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"),
                    first, max);
        } else {
            GroupModel group = session.groups().getGroupById(realm, groupId);
            if (group == null) {
                throw new ModelException("the group is gone");
            }
            users = session.users().getGroupMembersStream(realm, group, first, max);
        }
        try (users) {
            return users.toList();
        }
    }
}
