package io.governedrecovery.privileged;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.keycloak.models.AuthenticatorConfigModel;

import io.governedrecovery.settings.InvalidSetting;

/**
 * What makes an account privileged, read null-safely from the condition's authenticator config.
 *
 * <p>Unset lists fall back to the defaults: every realm-management role that can manage users, the realm, clients or
 * authorization, and realm-admin. An admin who sets a list replaces that default for the list.
 */
public record PrivilegedAccountConfig(List<String> realmRoles, List<String> clientRoles, List<String> groups,
                                      Optional<AttributeMatch> attribute) {

    public static final String REALM_ROLES = "privileged-realm-roles";
    public static final String CLIENT_ROLES = "privileged-client-roles";
    public static final String GROUPS = "privileged-groups";
    public static final String ATTRIBUTE = "privileged-attribute";

    /** Keycloak's delimiter for multivalued authenticator config values. */
    private static final Pattern MULTIVALUED = Pattern.compile("##");

    /**
     * Every realm-management role that can change who may do what, or act as someone else: manage users (and so issue
     * temporary access passes), the realm, clients, authorization, events or identity providers, impersonate, and
     * realm-admin.
     */
    public static final List<String> DEFAULT_CLIENT_ROLES = List.of(
            "realm-management.realm-admin",
            "realm-management.manage-users",
            "realm-management.manage-realm",
            "realm-management.manage-clients",
            "realm-management.manage-authorization",
            "realm-management.manage-events",
            "realm-management.manage-identity-providers",
            "realm-management.impersonation");

    public static final PrivilegedAccountConfig DEFAULTS =
            new PrivilegedAccountConfig(List.of(), DEFAULT_CLIENT_ROLES, List.of(), Optional.empty());

    public PrivilegedAccountConfig {
        realmRoles = List.copyOf(realmRoles);
        clientRoles = List.copyOf(clientRoles);
        groups = List.copyOf(groups);
    }

    public static PrivilegedAccountConfig from(AuthenticatorConfigModel model) {
        if (model == null || model.getConfig() == null) {
            return DEFAULTS;
        }
        Map<String, String> config = model.getConfig();
        return new PrivilegedAccountConfig(
                list(config.get(REALM_ROLES), List.of()),
                list(config.get(CLIENT_ROLES), DEFAULT_CLIENT_ROLES),
                list(config.get(GROUPS), List.of()),
                AttributeMatch.parse(config.get(ATTRIBUTE)));
    }

    private static List<String> list(String raw, List<String> fallback) {
        if (raw == null) {
            return fallback;
        }
        return Arrays.stream(MULTIVALUED.split(raw)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A user attribute that marks an account, written {@code name=value} (or {@code name} for any non-empty value). */
    public record AttributeMatch(String name, Optional<String> value) {

        public static Optional<AttributeMatch> parse(String raw) {
            if (raw == null || raw.isBlank()) {
                return Optional.empty();
            }
            int eq = raw.indexOf('=');
            if (eq < 0) {
                return Optional.of(new AttributeMatch(raw.trim(), Optional.empty()));
            }
            String name = raw.substring(0, eq).trim();
            if (name.isEmpty()) {
                throw new InvalidSetting(ATTRIBUTE, raw, "name=value or just name");
            }
            return Optional.of(new AttributeMatch(name, Optional.of(raw.substring(eq + 1).trim())));
        }

        public boolean matches(List<String> values) {
            return value.map(values::contains).orElseGet(() -> values.stream().anyMatch(v -> !v.isBlank()));
        }
    }
}
