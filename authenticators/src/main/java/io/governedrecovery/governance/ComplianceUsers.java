package io.governedrecovery.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.keycloak.Token;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import jakarta.persistence.FlushModeType;

/**
 * The users of a compliance report, read from Keycloak a page at a time, each page in a session and transaction of
 * its own: what a page loads (user entities, their attributes, credentials and groups) is let go when the page ends,
 * so a report over a million users needs no more memory than one over a thousand. Each page session carries the
 * caller's token, and {@link Visibility} decides there, afresh for each page, which of its users the caller may see
 * (and stops the report when the caller may no longer read it): nothing of the request's own session is used once the
 * answer has started.
 *
 * <p>A page that fails (the database went away) throws, so the report stops instead of ending early.
 *
 * <p>Pages are read in order. Through Keycloak's model they are read by position (its user queries are ordered by
 * username), so a user created or deleted while the report runs may be missed or listed twice; a fast page starts
 * after the previous page's last username, so nobody is listed twice.
 */
public final class ComplianceUsers implements ComplianceReport.Pages {

    private static final String TASK = "governed-recovery compliance report";

    private final KeycloakSessionFactory factory;
    private final KeycloakContext context;
    private final Token token;
    private final String groupId;
    private final String departmentAttribute;
    private final Visibility visibility;
    /** Whether pages are read a few queries each ({@link PageOfUsers}), decided once per report. */
    private final boolean fast;
    /** Where the next page starts, in username order (fast pages), and at which position. */
    private String after;
    private int next;

    /**
     * Which users of a page the caller may see, decided in the page's own session. It throws (the report stops, its
     * transfer is cut off) when the caller may no longer read the report: the token expired, the account went.
     */
    public interface Visibility {
        Predicate<UserModel> inPage(KeycloakSession page);
    }

    /** The caller may view no user at all: the report ends at once, reading nobody. */
    public static final Predicate<UserModel> NOBODY = user -> false;

    /**
     * The users of the realm of {@code request}'s context (of {@code group} and not its subgroups, when not null)
     * that {@code visibility} lets through; {@code everyone} when the caller may view every user with no exception
     * (then, in a realm without user federation, pages are read a few queries each: {@link PageOfUsers}).
     */
    public ComplianceUsers(KeycloakSession request, GroupModel group, String departmentAttribute, boolean everyone,
                           Visibility visibility) {
        this.factory = request.getKeycloakSessionFactory();
        this.context = request.getContext();
        this.token = request.getContext().getBearerToken();
        this.groupId = group == null ? null : group.getId();
        this.departmentAttribute = departmentAttribute;
        this.visibility = visibility;
        this.fast = everyone && request.getContext().getRealm() != null
                && PageOfUsers.applies(request.getContext().getRealm());
    }

    @Override
    public ComplianceReport.Page read(int first, int max) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, context, session -> {
            session.getContext().setBearerToken(token);
            readOnly(session);
            RealmModel realm = session.getContext().getRealm();
            if (realm == null) {
                throw new ModelException("the realm is gone");
            }
            Predicate<UserModel> visible = visibility.inPage(session);
            if (visible == NOBODY) {
                return new ComplianceReport.Page(List.of(), 0);
            }
            List<UserModel> users;
            if (fast) {
                // Read only: ended by a rollback, which has nothing to flush.
                session.getTransactionManager().setRollbackOnly();
                PageOfUsers.Page page = PageOfUsers.read(session, realm, groupId, first == next ? after : null, first,
                        max);
                users = page.users();
                after = page.last();
                next = first + max;
            } else {
                users = users(session, realm, first, max);
            }
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

    /**
     * The page only reads: its queries need not flush first. (Left at AUTO, each of the page's queries would check
     * every entity the page loaded so far for changes, a cost that grows with the square of the page size.)
     */
    private static void readOnly(KeycloakSession session) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa != null) {
            jpa.getEntityManager().setFlushMode(FlushModeType.COMMIT);
        }
    }

    /** Through Keycloak's user model: with fine-grained permissions, federation and all. */
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
        List<UserModel> page;
        try (users) {
            page = users.toList();
        }
        if (page.size() < max) {
            databaseAnswers(session, realm);
        }
        return page;
    }

    /**
     * Keycloak answers a user query whose database fails with no users ("graceful degradation", meant for a directory
     * that is down), which would end the report early and make it look complete. A short or empty page is therefore
     * only the end once the database answers a query of its own.
     */
    private static void databaseAnswers(KeycloakSession session, RealmModel realm) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa != null) {
            jpa.getEntityManager().createQuery("select count(u) from UserEntity u where u.realmId = :realmId")
                    .setParameter("realmId", realm.getId()).getSingleResult();
        }
    }
}
