package io.governedrecovery.events.intake;

import java.util.EnumSet;
import java.util.Set;

import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.ResourceType;

/** Which Keycloak events the recovery pipeline takes. */
public final class RecoveryEventSelection {


    public static final Set<EventType> USER_EVENTS = EnumSet.of(
            EventType.RESET_PASSWORD, EventType.RESET_PASSWORD_ERROR,
            EventType.SEND_RESET_PASSWORD, EventType.SEND_RESET_PASSWORD_ERROR,
            EventType.UPDATE_PASSWORD, EventType.UPDATE_PASSWORD_ERROR,
            EventType.UPDATE_CREDENTIAL, EventType.UPDATE_CREDENTIAL_ERROR,
            EventType.REMOVE_CREDENTIAL, EventType.REMOVE_CREDENTIAL_ERROR,
            EventType.UPDATE_TOTP, EventType.UPDATE_TOTP_ERROR, EventType.REMOVE_TOTP, EventType.REMOVE_TOTP_ERROR,
            EventType.UPDATE_EMAIL, EventType.UPDATE_EMAIL_ERROR, EventType.VERIFY_EMAIL,
            EventType.UPDATE_PROFILE, EventType.UPDATE_PROFILE_ERROR,
            EventType.CUSTOM_REQUIRED_ACTION, EventType.CUSTOM_REQUIRED_ACTION_ERROR,
            EventType.EXECUTE_ACTIONS, EventType.EXECUTE_ACTION_TOKEN, EventType.EXECUTE_ACTION_TOKEN_ERROR,
            EventType.LOGIN, EventType.LOGIN_ERROR,
            EventType.USER_DISABLED_BY_PERMANENT_LOCKOUT, EventType.USER_DISABLED_BY_TEMPORARY_LOCKOUT);

    private static final Set<ResourceType> ADMIN_RESOURCES = EnumSet.of(
            ResourceType.USER, ResourceType.REALM_ROLE_MAPPING, ResourceType.CLIENT_ROLE_MAPPING,
            ResourceType.GROUP_MEMBERSHIP, ResourceType.AUTH_FLOW, ResourceType.AUTH_EXECUTION,
            ResourceType.AUTHENTICATOR_CONFIG, ResourceType.REQUIRED_ACTION);

    private RecoveryEventSelection() {
    }

    public static boolean matters(Event event) {
        return event.getType() != null && USER_EVENTS.contains(event.getType());
    }

    /** The resource type of our own admin events that are not about an account (a finding's triage). */
    public static final String FINDING_RESOURCE = "GOVERNED_RECOVERY_FINDING";

    public static boolean matters(AdminEvent event) {
        return event.getResourceType() != null && ADMIN_RESOURCES.contains(event.getResourceType())
                || FINDING_RESOURCE.equals(event.getResourceTypeAsString());
    }
}
