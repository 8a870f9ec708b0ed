package io.governedrecovery.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

class KeycloakApiTest {

    private static RoleModel role(String name) {
        return (RoleModel) Proxy.newProxyInstance(KeycloakApiTest.class.getClassLoader(),
                new Class<?>[] {RoleModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "toString" -> "role " + name;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ClientModel client(Map<String, RoleModel> roles) {
        return (ClientModel) Proxy.newProxyInstance(KeycloakApiTest.class.getClassLoader(),
                new Class<?>[] {ClientModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRole" -> roles.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static RealmModel realm(Map<String, ClientModel> clients, Map<String, RoleModel> realmRoles) {
        return (RealmModel) Proxy.newProxyInstance(KeycloakApiTest.class.getClassLoader(),
                new Class<?>[] {RealmModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getClientByClientId" -> clients.get((String) args[0]);
                    case "getRole" -> realmRoles.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final RoleModel manageUsers = role("manage-users");
    private final RoleModel dottedRole = role("ops.admin");
    private final RoleModel realmAdmin = role("admin");
    private final RealmModel realm = realm(
            Map.of("realm-management", client(Map.of("manage-users", manageUsers)),
                    "corp.portal", client(Map.of("ops.admin", dottedRole))),
            Map.of("admin", realmAdmin, "a.b", realmAdmin));

    @Test
    void resolvesClientRolesLikeKeycloak() {
        assertThat(KeycloakApi.roleFromString(realm, "realm-management.manage-users")).isSameAs(manageUsers);
        // The right-most split whose client exists decides, so client ids and role names may both hold dots.
        assertThat(KeycloakApi.roleFromString(realm, "corp.portal.ops.admin")).isSameAs(dottedRole);
        assertThat(KeycloakApi.roleFromString(realm, "realm-management.no-such-role")).isNull();
    }

    @Test
    void aNameWithoutAnExistingClientIsARealmRole() {
        assertThat(KeycloakApi.roleFromString(realm, "admin")).isSameAs(realmAdmin);
        assertThat(KeycloakApi.roleFromString(realm, "a.b")).isSameAs(realmAdmin);
        assertThat(KeycloakApi.roleFromString(realm, "nobody.role")).isNull();
        assertThat(KeycloakApi.roleFromString(realm, null)).isNull();
    }
}
