package io.governedrecovery.governance;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.jpa.UserAdapter;
import org.keycloak.models.jpa.entities.UserEntity;
import org.keycloak.models.utils.RoleUtils;
import org.keycloak.models.utils.UserModelDelegate;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * A page of a realm's own users (those Keycloak stores in its database) read with a handful of queries instead of a
 * few per user: the users (after the previous page's last username), then their attributes, credentials, groups and
 * roles, each for the whole page at once, as plain values. Read through Keycloak's model one by one, 100,000 users
 * cost some 300,000 round trips to the database (benchmarks/scale.md: minutes).
 *
 * <p>Used only where it sees exactly what Keycloak's own user query would: when the caller may view every user (so no
 * fine-grained permission filters the query) and the realm has no user federation (so every user is in the database,
 * and nothing but the database says what a user has). Each user answers from what the page read (the account's
 * fields, attributes, groups, role mappings and stored credentials) as Keycloak's JPA model answers; anything else
 * comes from that model, made on first use. Read-only.
 */
final class PageOfUsers {

    /** The provider type of user federation components (LDAP, Kerberos, custom user storage). */
    private static final String USER_STORAGE = "org.keycloak.storage.UserStorageProvider";

    private PageOfUsers() {
    }

    /** Whether pages of {@code realm} may be read this way: no user federation (LDAP, Kerberos, custom). */
    static boolean applies(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), USER_STORAGE).findAny().isEmpty();
    }

    /** The users of one page and the last one's username (where the next page starts). */
    record Page(List<UserModel> users, String last) {
    }

    /**
     * The {@code max} users after the username {@code after} (or from position {@code first} when it is null) in
     * username order: of the realm, without service accounts, or the members of the group {@code groupId} (as
     * Keycloak lists them). Every query of a page is the same text whatever the page, so the ORM plans it once, and
     * each reads plain values (no entity to track).
     */
    static Page read(KeycloakSession session, RealmModel realm, String groupId, String after, int first, int max) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        String which = groupId == null ? "u.realmId = :realmId and u.serviceAccountClientLink is null"
                : "u.id in (select gm.user.id from UserGroupMembershipEntity gm where gm.groupId = :groupId)";
        TypedQuery<Object[]> query = em.createQuery("select u.id, u.username, u.email, u.emailVerified, u.enabled,"
                + " u.firstName, u.lastName, u.createdTimestamp, u.federationLink from UserEntity u where " + which
                + (after == null ? "" : " and u.username > :after") + " order by u.username", Object[].class);
        which(query, realm, groupId);
        if (after != null) {
            query.setParameter("after", after);
        }
        List<Object[]> rows = query.setFirstResult(after == null ? first : 0).setMaxResults(max).getResultList();
        if (rows.isEmpty()) {
            return new Page(List.of(), after);
        }
        // The page again, as the username range it covers: its users' attributes, credentials, groups and roles.
        String from = (String) rows.get(0)[1];
        String to = (String) rows.get(rows.size() - 1)[1];
        String range = which + " and u.username between :from and :to";
        Map<String, List<String[]>> attributes = new HashMap<>();
        for (Object[] a : range(em.createQuery("select u.id, a.name, a.value, a.longValue from UserAttributeEntity a"
                + " join a.user u where " + range, Object[].class), realm, groupId, from, to).getResultList()) {
            attributes.computeIfAbsent((String) a[0], k -> new ArrayList<>())
                    .add(new String[] {(String) a[1], a[2] != null ? (String) a[2] : (String) a[3]});
        }
        Map<String, List<CredentialModel>> credentials = new HashMap<>();
        for (Object[] c : range(em.createQuery("select u.id, c.id, c.type, c.userLabel, c.createdDate, c.secretData,"
                + " c.credentialData, c.salt from CredentialEntity c join c.user u where " + range
                + " order by c.priority", Object[].class), realm, groupId, from, to).getResultList()) {
            credentials.computeIfAbsent((String) c[0], k -> new ArrayList<>()).add(credential(c));
        }
        Map<String, List<String>> groups = pairs(range(em.createQuery("select u.id, m.groupId from "
                + "UserGroupMembershipEntity m join m.user u where " + range, Object[].class), realm, groupId, from,
                to));
        Map<String, List<String>> roles = pairs(range(em.createQuery("select u.id, m.roleId from "
                + "UserRoleMappingEntity m join m.user u where " + range, Object[].class), realm, groupId, from, to));
        List<UserModel> users = new ArrayList<>(rows.size());
        Map<String, Boolean> implied = new HashMap<>();
        for (Object[] row : rows) {
            String id = (String) row[0];
            if (row[8] != null) {
                // A leftover of a removed federation: Keycloak's own model decides what such a user has.
                UserModel user = session.users().getUserById(realm, id);
                if (user != null) {
                    users.add(user);
                }
                continue;
            }
            users.add(new Read(session, realm, em, row, attributes.getOrDefault(id, List.of()),
                    groups.getOrDefault(id, List.of()), roles.getOrDefault(id, List.of()),
                    credentials.getOrDefault(id, List.of()), implied));
        }
        return new Page(users, to);
    }

    private static <T> TypedQuery<T> which(TypedQuery<T> query, RealmModel realm, String groupId) {
        return groupId == null ? query.setParameter("realmId", realm.getId()) : query.setParameter("groupId", groupId);
    }

    private static <T> TypedQuery<T> range(TypedQuery<T> query, RealmModel realm, String groupId, String from,
                                           String to) {
        return which(query, realm, groupId).setParameter("from", from).setParameter("to", to);
    }

    private static Map<String, List<String>> pairs(TypedQuery<Object[]> query) {
        Map<String, List<String>> byUser = new HashMap<>();
        for (Object[] row : query.getResultList()) {
            byUser.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        return byUser;
    }

    /**
     * Keycloak's JPA model of the user, made only when something beyond what the page read is asked for (a custom
     * recovery method reading more of the account, for example).
     */
    private static UserModel later(KeycloakSession session, RealmModel realm, EntityManager em, String id) {
        UserModel[] real = new UserModel[1];
        InvocationHandler handler = (proxy, method, args) -> {
            if (real[0] == null) {
                UserEntity entity = em.find(UserEntity.class, id);
                if (entity == null) {
                    throw new ModelException("user " + id + " is gone");
                }
                real[0] = new UserAdapter(session, realm, em, entity);
            }
            try {
                return method.invoke(real[0], args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (UserModel) Proxy.newProxyInstance(PageOfUsers.class.getClassLoader(), new Class<?>[] {UserModel.class},
                handler);
    }

    /**
     * A stored credential (user id, id, type, label, created, secret, data, salt) as Keycloak's JPA credential store
     * makes its model: an old salt column folded into the secret.
     */
    private static CredentialModel credential(Object[] c) {
        CredentialModel model = new CredentialModel();
        model.setId((String) c[1]);
        model.setType((String) c[2]);
        model.setUserLabel((String) c[3]);
        model.setCreatedDate((Long) c[4]);
        String secret = (String) c[5];
        if (c[7] != null && secret != null) {
            secret = secret.replace("__SALT__", Base64.getEncoder().encodeToString((byte[]) c[7]));
        }
        model.setSecretData(secret);
        model.setCredentialData((String) c[6]);
        return model;
    }

    /**
     * A user of the page: what the page read (the account's fields, attributes, groups, role mappings and stored
     * credentials) answered as Keycloak's JPA model answers it; anything else from that model, made on first use.
     */
    private static final class Read extends UserModelDelegate {

        private final KeycloakSession session;
        private final RealmModel realm;
        private final Object[] row;
        private final List<String[]> attributes;
        private final List<String> groupIds;
        private final List<String> roleIds;
        private final List<CredentialModel> credentials;
        /**
         * Shared by the page's users: whether a role (by id), or a group (by id, with its parents), grants a role.
         * Most users hold the same few (the realm's default roles), whose composites need walking only once.
         */
        private final Map<String, Boolean> implied;
        /** The groups, looked up once: the tier decision asks about them several times. */
        private List<GroupModel> groups;

        Read(KeycloakSession session, RealmModel realm, EntityManager em, Object[] row, List<String[]> attributes,
             List<String> groupIds, List<String> roleIds, List<CredentialModel> credentials,
             Map<String, Boolean> implied) {
            super(later(session, realm, em, (String) row[0]));
            this.session = session;
            this.realm = realm;
            this.row = row;
            this.attributes = attributes;
            this.groupIds = groupIds;
            this.roleIds = roleIds;
            this.credentials = credentials;
            this.implied = implied;
        }

        @Override
        public String getId() {
            return (String) row[0];
        }

        @Override
        public String getUsername() {
            return (String) row[1];
        }

        @Override
        public String getEmail() {
            return (String) row[2];
        }

        @Override
        public boolean isEmailVerified() {
            return Boolean.TRUE.equals(row[3]);
        }

        @Override
        public boolean isEnabled() {
            return Boolean.TRUE.equals(row[4]);
        }

        @Override
        public String getFirstName() {
            return (String) row[5];
        }

        @Override
        public String getLastName() {
            return (String) row[6];
        }

        @Override
        public Long getCreatedTimestamp() {
            return (Long) row[7];
        }

        @Override
        public String getFederationLink() {
            return null;
        }

        @Override
        public String getServiceAccountClientLink() {
            return null;
        }

        /** Whether the model keeps {@code name} as a field of the account (not among its attributes). */
        private static boolean field(String name) {
            return UserModel.FIRST_NAME.equals(name) || UserModel.LAST_NAME.equals(name)
                    || UserModel.EMAIL.equals(name) || UserModel.USERNAME.equals(name);
        }

        private String fieldValue(String name) {
            return switch (name) {
                case UserModel.FIRST_NAME -> getFirstName();
                case UserModel.LAST_NAME -> getLastName();
                case UserModel.EMAIL -> getEmail();
                default -> getUsername();
            };
        }

        @Override
        public String getFirstAttribute(String name) {
            if (field(name)) {
                return fieldValue(name);
            }
            for (String[] a : attributes) {
                if (a[0].equals(name)) {
                    return a[1];
                }
            }
            return null;
        }

        @Override
        public Stream<String> getAttributeStream(String name) {
            if (field(name)) {
                return Stream.of(fieldValue(name));
            }
            return attributes.stream().filter(a -> Objects.equals(a[0], name)).map(a -> a[1]);
        }

        @Override
        public Map<String, List<String>> getAttributes() {
            MultivaluedHashMap<String, String> result = new MultivaluedHashMap<>();
            for (String[] a : attributes) {
                result.add(a[0], a[1]);
            }
            result.add(UserModel.FIRST_NAME, getFirstName());
            result.add(UserModel.LAST_NAME, getLastName());
            result.add(UserModel.EMAIL, getEmail());
            result.add(UserModel.USERNAME, getUsername());
            return result;
        }

        @Override
        public Stream<GroupModel> getGroupsStream() {
            if (groups == null) {
                groups = groupIds.isEmpty() ? List.of()
                        : session.groups().getGroupsStream(realm, groupIds.stream()).toList();
            }
            return groups.stream();
        }

        @Override
        public Stream<GroupModel> getGroupsStream(String search, Integer first, Integer max) {
            return session.groups().getGroupsStream(realm, groupIds.stream(), search, first, max);
        }

        @Override
        public boolean isMemberOf(GroupModel group) {
            return RoleUtils.isMember(getGroupsStream(), group);
        }

        @Override
        public Stream<RoleModel> getRoleMappingsStream() {
            return roleIds.stream().map(realm::getRoleById).filter(Objects::nonNull);
        }

        @Override
        public Stream<RoleModel> getRealmRoleMappingsStream() {
            return getRoleMappingsStream().filter(RoleUtils::isRealmRole);
        }

        @Override
        public Stream<RoleModel> getClientRoleMappingsStream(ClientModel app) {
            return getRoleMappingsStream().filter(r -> RoleUtils.isClientRole(r, app));
        }

        @Override
        public boolean hasDirectRole(RoleModel role) {
            return roleIds.contains(role.getId());
        }

        /**
         * As Keycloak's user models decide it ({@code RoleUtils.hasRole} over the role mappings, then
         * {@code RoleUtils.hasRoleFromGroup} over the groups and their parents), each role's and group's answer
         * remembered for the page.
         */
        @Override
        public boolean hasRole(RoleModel role) {
            for (String id : roleIds) {
                if (implied.computeIfAbsent("role " + id + " " + role.getId(), k -> {
                    RoleModel mapped = realm.getRoleById(id);
                    return mapped != null && RoleUtils.hasRole(Stream.of(mapped), role);
                })) {
                    return true;
                }
            }
            for (String id : groupIds) {
                if (implied.computeIfAbsent("group " + id + " " + role.getId(), k -> {
                    GroupModel group = session.groups().getGroupById(realm, id);
                    return group != null && RoleUtils.hasRoleFromGroup(group, role, true);
                })) {
                    return true;
                }
            }
            return false;
        }

        /** Stored credentials from the page; anything else (checking, changing) from Keycloak's own manager. */
        @Override
        public SubjectCredentialManager credentialManager() {
            InvocationHandler read = (proxy, method, args) -> switch (method.getName()) {
                case "getStoredCredentialsStream" -> stored();
                case "getStoredCredentialsByTypeStream" -> stored().filter(c -> Objects.equals(args[0], c.getType()));
                case "getStoredCredentialById" -> stored().filter(c -> Objects.equals(args[0], c.getId()))
                        .findFirst().orElse(null);
                case "getStoredCredentialByNameAndType" -> stored()
                        .filter(c -> Objects.equals(args[0], c.getUserLabel()) && Objects.equals(args[1], c.getType()))
                        .findFirst().orElse(null);
                default -> {
                    try {
                        yield method.invoke(super.credentialManager(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            };
            return (SubjectCredentialManager) Proxy.newProxyInstance(PageOfUsers.class.getClassLoader(),
                    new Class<?>[] {SubjectCredentialManager.class}, read);
        }

        /** Copies, as Keycloak's cache hands them out, so nothing a caller changes sticks. */
        private Stream<CredentialModel> stored() {
            return credentials.stream().map(CredentialModel::shallowClone);
        }
    }
}
