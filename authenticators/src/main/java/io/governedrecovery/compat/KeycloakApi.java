package io.governedrecovery.compat;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The few Keycloak calls whose form differs between the supported Keycloak lines (26.4, 26.5, 26.7), written once in
 * a form every one of them links against. One JAR serves all three lines; a call added elsewhere must exist, with the
 * same signature, in each of them (compile with {@code -Dkeycloak.version=26.4.7} and {@code 26.5.6} to check).
 *
 * <ul>
 *   <li>{@link AuthenticationManager.AuthResult} is a class with getters on 26.4 and a record on 26.5+, where the
 *       getters remain, deprecated for removal. The getters are the only accessors all three lines have.</li>
 *   <li>{@code KeycloakModelUtils.getRoleFromString(KeycloakSession, RealmModel, String)} exists only from 26.6 on,
 *       and the two-argument form it replaces is deprecated for removal there: {@link #roleFromString} resolves a
 *       role name the same way with the model API alone.</li>
 * </ul>
 */
public final class KeycloakApi {

    /** Keycloak's own bound on client lookups when it resolves a dotted role name. */
    private static final int MAX_LOOKUPS = 25;

    private KeycloakApi() {
    }

    /** The authenticated user of a bearer-token or identity-cookie check. */
    @SuppressWarnings("removal")
    public static UserModel user(AuthenticationManager.AuthResult result) {
        return result.getUser();
    }

    /** The verified token of a bearer-token or identity-cookie check. */
    @SuppressWarnings("removal")
    public static AccessToken token(AuthenticationManager.AuthResult result) {
        return result.getToken();
    }

    /**
     * The role a {@code clientId.roleName} or realm-role name names, or null, resolved as Keycloak's
     * {@code KeycloakModelUtils.getRoleFromString} does: client ids may contain dots, so every split is tried from
     * the right, and the first existing client decides; with no such client the whole name is a realm role.
     */
    public static RoleModel roleFromString(RealmModel realm, String name) {
        if (name == null) {
            return null;
        }
        int lookups = 0;
        int dot = name.lastIndexOf('.');
        while (dot >= 0 && lookups < MAX_LOOKUPS) {
            lookups++;
            ClientModel client = realm.getClientByClientId(name.substring(0, dot));
            if (client != null) {
                return client.getRole(name.substring(dot + 1));
            }
            dot = name.lastIndexOf('.', dot - 1);
        }
        return lookups >= MAX_LOOKUPS ? null : realm.getRole(name);
    }
}
