package io.governedrecovery.admin;

import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.AdminRoles;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;

/**
 * Who may call Governed Recovery's admin endpoints of a realm: a bearer token of that realm whose user holds the
 * named realm-management role (or realm-admin), or a token of the master realm whose user holds the master realm's
 * admin role or the matching role of the realm's master client. Anything else is 401 or 403, never a 500.
 */
public final class AdminAccess {

    private AdminAccess() {
    }

    /** Who called: the user, the token and the client it was issued to, and the realm that issued it. */
    public record Caller(UserModel user, org.keycloak.representations.AccessToken token, ClientModel client,
                         RealmModel realm) {
    }

    public static UserModel require(KeycloakSession session, RealmModel realm, String realmManagementRole) {
        return caller(session, realm, realmManagementRole).user();
    }

    /** The caller of a realm's endpoint with its bearer token, any role: 401 without a valid token of that realm. */
    public static Caller authenticated(KeycloakSession session, RealmModel realm) {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm)
                .authenticate();
        if (auth == null || !auth.user().isEnabled()) {
            throw new NotAuthorizedException("Bearer");
        }
        return new Caller(auth.user(), auth.token(), auth.client(), realm);
    }

    public static Caller caller(KeycloakSession session, RealmModel realm, String realmManagementRole) {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm)
                .authenticate();
        RealmModel master = session.realms().getRealmByName(Config.MASTER);
        if (auth == null && master != null && !master.getId().equals(realm.getId())) {
            // As Keycloak's own admin API does: verify a master token with the master realm in context.
            session.getContext().setRealm(master);
            try {
                auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(master).authenticate();
            } finally {
                session.getContext().setRealm(realm);
            }
            if (auth != null) {
                UserModel user = auth.user();
                RoleModel admin = master.getRole(AdminRoles.ADMIN);
                ClientModel realmClient = master.getClientByClientId(realm.getName() + "-realm");
                if ((admin != null && user.hasRole(admin)) || hasClientRole(user, realmClient, realmManagementRole)) {
                    return new Caller(user, auth.token(), auth.client(), master);
                }
                throw new ForbiddenException("missing role " + realmManagementRole);
            }
        }
        if (auth == null) {
            throw new NotAuthorizedException("Bearer");
        }
        ClientModel management = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        if (hasClientRole(auth.user(), management, realmManagementRole)
                || hasClientRole(auth.user(), management, AdminRoles.REALM_ADMIN)) {
            return new Caller(auth.user(), auth.token(), auth.client(), realm);
        }
        throw new ForbiddenException("missing role " + realmManagementRole);
    }

    /** The realm role that may issue temporary access passes besides realm-management's manage-users. */
    public static final String HELPDESK_ROLE = "recovery-helpdesk";

    /**
     * A caller who may issue temporary access passes: an admin who may manage the realm's users, or a user of the
     * realm holding its {@value #HELPDESK_ROLE} role. 401 without a token, 403 without either.
     */
    public static Caller helpdesk(KeycloakSession session, RealmModel realm) {
        try {
            return caller(session, realm, "manage-users");
        } catch (ForbiddenException notAnAdmin) {
            AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session)
                    .setRealm(realm).authenticate();
            RoleModel role = realm.getRole(HELPDESK_ROLE);
            if (auth != null && auth.user().isEnabled() && role != null && auth.user().hasRole(role)) {
                return new Caller(auth.user(), auth.token(), auth.client(), realm);
            }
            throw notAnAdmin;
        }
    }

    private static boolean hasClientRole(UserModel user, ClientModel client, String role) {
        if (client == null) {
            return false;
        }
        RoleModel r = client.getRole(role);
        return r != null && user.hasRole(r);
    }

    private static final class Config {
        static final String MASTER = org.keycloak.Config.getAdminRealm();
    }
}
