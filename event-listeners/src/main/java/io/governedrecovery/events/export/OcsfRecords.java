package io.governedrecovery.events.export;


import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Shapes outbox rows as OCSF 1.8.0 records (see the README's table). Keycloak's and our own events about an account:
 * Account Change (3001) or, for sign-ins, Authentication (3002); administrators' role mappings: User Access Management
 * (3005), or Group Management (3006) for a group's roles and memberships; changes to authentication flows, executions,
 * authenticator configs and required actions (realm settings, no account's change): Entity Management (3004); findings:
 * Detection Finding (2004). A user event that names no account at all (a reset page opened before a name was typed,
 * a sign-in refused for a bad redirect) fits no class and is not exported ({@link #exported}). {@code metadata.uid} is
 * the stable id consumers de-duplicate on, {@code metadata.tenant_uid} the realm's id; what OCSF has no attribute for
 * goes under {@code unmapped}.
 */
public final class OcsfRecords {

    public static final String PRODUCT = "Governed Recovery";
    public static final String OCSF_VERSION = "1.8.0";

    public static final int DETECTION_FINDING = 2004;
    public static final int ACCOUNT_CHANGE = 3001;
    public static final int AUTHENTICATION = 3002;
    public static final int ENTITY_MANAGEMENT = 3004;
    public static final int USER_ACCESS = 3005;
    public static final int GROUP_MANAGEMENT = 3006;

    private static final int OTHER = 99;

    private static final Map<Integer, String> CLASS_NAMES = Map.of(DETECTION_FINDING, "Detection Finding",
            ACCOUNT_CHANGE, "Account Change", AUTHENTICATION, "Authentication", ENTITY_MANAGEMENT, "Entity Management",
            USER_ACCESS, "User Access Management", GROUP_MANAGEMENT, "Group Management");

    /**
     * Where a record goes: its class and activity (with the activity's caption, or for 99 the source's own word), the
     * account it is about (user id and/or name), and for administrators' events the group or entity.
     */
    record Mapping(int classUid, int activityId, String activityName, String userId, String groupId,
                   String privilege, String entityType, String entityUid) {

        static Mapping of(int classUid, int activityId, String activityName) {
            return new Mapping(classUid, activityId, activityName, null, null, null, null, null);
        }

        Mapping user(String id) {
            return new Mapping(classUid, activityId, activityName, id, groupId, privilege, entityType, entityUid);
        }

        Mapping group(String id, String privilegeName) {
            return new Mapping(classUid, activityId, activityName, userId, id, privilegeName, entityType, entityUid);
        }
    }

    private final RecordCodec codec;
    private final ObjectMapper json;
    private final String version;

    public OcsfRecords(RecordCodec codec, String version) {
        this.codec = codec;
        this.json = codec.mapper();
        this.version = version;
    }

    /**
     * Whether the record is exported at all (decided when it is written): findings and administrators' events always;
     * a user event when it names an account (an id or a name), the target every class it could fit requires.
     */
    public boolean exported(OutboxRecord record) {
        if (record.kind() != OutboxRecord.Kind.USER || record.userId() != null) {
            return true;
        }
        try {
            return classify(codec.event(record)) != null;
        } catch (RuntimeException unreadable) {
            return true; // the sink parks it as unreadable, where an administrator sees it
        }
    }

    /** The OCSF record; throws for a record that is not {@link #exported} (it is parked, never sent malformed). */
    public ObjectNode toOcsf(OutboxRecord record) {
        return record.kind() == OutboxRecord.Kind.FINDING ? finding(record, codec.finding(record))
                : event(record, codec.event(record));
    }

    private ObjectNode base(OutboxRecord record, long time, int classUid, int activityId, String activityName,
                            String realmId) {
        ObjectNode node = json.createObjectNode();
        node.put("time", time);
        node.put("class_uid", classUid);
        node.put("class_name", CLASS_NAMES.get(classUid));
        node.put("category_uid", classUid / 1000);
        node.put("activity_id", activityId);
        node.put("activity_name", activityName);
        node.put("type_uid", classUid * 100L + activityId);
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("uid", record.id());
        metadata.put("version", OCSF_VERSION);
        if (realmId != null) {
            metadata.put("tenant_uid", realmId);
        }
        metadata.put("logged_time", record.writtenAt());
        metadata.put("sequence", record.seq());
        ObjectNode product = metadata.putObject("product");
        product.put("name", PRODUCT);
        product.put("vendor_name", PRODUCT);
        product.put("version", version);
        return node;
    }

    private ObjectNode event(OutboxRecord record, RecoveryEvent e) {
        Mapping m = classify(e);
        if (m == null) {
            throw new IllegalArgumentException("event " + e.id() + " (" + e.type() + ") names no account: no OCSF "
                    + "class fits it and it is not exported");
        }
        ObjectNode node = base(record, e.time(), m.classUid(), m.activityId(), m.activityName(), e.realmId());
        boolean failed = e.failed();
        node.put("severity_id", severity(e, failed));
        node.put("status_id", failed ? 2 : 1);
        node.put("status", failed ? "Failure" : "Success");
        if (failed) {
            node.put("status_detail", e.error());
        }
        String username = e.kind() == RecoveryEvent.Kind.USER ? e.details().get(EventDetails.USERNAME) : null;
        if (m.userId() != null || username != null) {
            ObjectNode user = node.putObject("user");
            if (m.userId() != null) {
                user.put("uid", m.userId());
            }
            if (username != null) {
                user.put("name", username);
            }
        }
        if (m.groupId() != null) {
            node.putObject("group").put("uid", m.groupId());
        }
        if (m.privilege() != null) {
            node.putArray("privileges").add(m.privilege());
        }
        if (m.entityType() != null) {
            ObjectNode entity = node.putObject("entity");
            entity.put("uid", m.entityUid());
            entity.put("type_id", OTHER);
            entity.put("type", m.entityType());
        }
        if (e.kind() == RecoveryEvent.Kind.ADMIN && e.details().containsKey("actor_user_id")) {
            node.putObject("actor").putObject("user").put("uid", e.details().get("actor_user_id"));
        }
        if (m.classUid() == AUTHENTICATION) {
            node.putObject("service").put("name", e.clientId() != null ? e.clientId() : "keycloak");
        }
        if (e.ipAddress() != null) {
            node.putObject("src_endpoint").put("ip", e.ipAddress());
        }
        String factor = factorOf(e, m);
        if (factor != null && (m.classUid() == ACCOUNT_CHANGE || m.classUid() == AUTHENTICATION)) {
            node.putArray("auth_factors").add(factor(factor));
        }
        ObjectNode unmapped = node.putObject("unmapped");
        unmapped.put("keycloak_type", e.type());
        if (e.realmName() != null) {
            unmapped.put("realm_name", e.realmName());
        }
        if (e.clientId() != null) {
            unmapped.put("client_id", e.clientId());
        }
        ObjectNode details = unmapped.putObject("details");
        e.details().forEach(details::put);
        return node;
    }

    /** The method an event names: the credential type of a credential's change, else the reset's method. */
    private static String factorOf(RecoveryEvent e, Mapping m) {
        if (m.entityType() == null && e.kind() == RecoveryEvent.Kind.ADMIN
                && e.details().getOrDefault("resource_path", "").contains("/temporary-access-passes")) {
            return "tap";
        }
        String type = e.type().endsWith("_ERROR") ? e.type().substring(0, e.type().length() - 6) : e.type();
        if (type.equals("UPDATE_TOTP") || type.equals("REMOVE_TOTP")) {
            return "otp";
        }
        String credential = e.details().get(EventDetails.CREDENTIAL_TYPE);
        if (credential != null && (type.endsWith("_CREDENTIAL") || e.details().get(EventDetails.METHOD) == null)) {
            return credential;
        }
        return e.details().get(EventDetails.METHOD);
    }

    /** An OCSF authentication factor for a Keycloak credential type or one of our methods. */
    ObjectNode factor(String method) {
        ObjectNode factor = json.createObjectNode();
        String m = method.toLowerCase(Locale.ROOT);
        int id;
        String caption;
        if (m.equals("password")) {
            id = 11;
            caption = "Password";
        } else if (m.equals("otp") || m.equals("totp") || m.equals("configure_totp") || m.equals("hotp")) {
            id = 7;
            caption = "OTP";
        } else if (m.startsWith("webauthn")) {
            id = 10;
            caption = "WebAuthn";
        } else if (m.startsWith("sms")) {
            id = 1;
            caption = "SMS";
        } else if (m.startsWith("email")) {
            id = 8;
            caption = "Email";
        } else {
            id = OTHER;
            caption = switch (m) {
                case "recovery-codes", "recovery-authn-codes" -> "Recovery Codes";
                case "tap" -> "Temporary Access Pass";
                default -> method;
            };
        }
        factor.put("factor_type_id", id);
        factor.put("factor_type", caption);
        if (id == 7) {
            factor.put("is_totp", !m.equals("hotp"));
        }
        return factor;
    }

    private ObjectNode finding(OutboxRecord record, Finding f) {
        ObjectNode node = base(record, f.time(), DETECTION_FINDING, 1, "Create", f.realmId());
        node.put("severity_id", f.severityId());
        node.put("status_id", 1);
        node.put("status", "New");
        node.put("risk_score", f.score());
        ObjectNode info = node.putObject("finding_info");
        info.put("uid", f.id());
        info.put("title", title(f));
        info.putArray("types").add(f.rule());
        info.put("created_time", f.time());
        info.put("first_seen_time", f.windowStart());
        info.put("last_seen_time", f.windowEnd());
        ArrayNode evidences = node.putArray("evidences");
        ObjectNode evidence = evidences.addObject();
        if (f.userId() != null || f.username() != null) {
            ObjectNode user = evidence.putObject("user");
            if (f.userId() != null) {
                user.put("uid", f.userId());
            }
            if (f.username() != null) {
                user.put("name", f.username());
            }
        }
        if (f.ipAddress() != null) {
            evidence.putObject("src_endpoint").put("ip", f.ipAddress());
        }
        ObjectNode data = evidence.putObject("data");
        f.evidence().forEach(data::put);
        if (f.department() != null) {
            data.put("department", f.department());
        }
        ObjectNode unmapped = node.putObject("unmapped");
        unmapped.put("rule", f.rule());
        unmapped.put("subject", f.subject());
        return node;
    }

    private static String title(Finding f) {
        if (f.rule().equals("failed-resets")) {
            return switch (f.subject()) {
                case Finding.SUBJECT_NAME -> "Repeated failed password resets for one name that matches no account";
                case Finding.SUBJECT_ADDRESS -> "Repeated failed password resets from one source address";
                default -> "break-glass".equals(f.evidence().get("tier"))
                        ? "Failed password reset of a break-glass account"
                        : "Repeated failed password resets for one account";
            };
        }
        return title(f.rule());
    }

    private static String title(String rule) {
        return switch (rule) {
            case "failed-resets" -> "Repeated failed password resets for one account";
            case "ip-many-accounts" -> "One source address across many accounts";
            case "department-spike" -> "Password resets far above the department's baseline";
            case "new-subnet" -> "Sign-in from a subnet new to the account";
            case "reset-after-method-change" -> "Password reset soon after a recovery method changed";
            case "privileged-reset" -> "Password reset of a privileged account";
            case "break-glass-use" -> "Break-glass account used";
            case "send-volume" -> "Unusual number of recovery codes sent";
            case "owner-report" -> "Account owner reported a change as not theirs";
            default -> rule;
        };
    }

    /** Where a Keycloak event goes (see the class comment); null for a user event that names no account. */
    static Mapping classify(RecoveryEvent e) {
        if (e.kind() == RecoveryEvent.Kind.ADMIN) {
            return admin(e);
        }
        if (e.userId() == null && e.details().get(EventDetails.USERNAME) == null) {
            return null;
        }
        String credential = e.details().getOrDefault(EventDetails.CREDENTIAL_TYPE, "");
        String type = e.type().endsWith("_ERROR") ? e.type().substring(0, e.type().length() - 6) : e.type();
        Mapping m = switch (type) {
            case "LOGIN" -> Mapping.of(AUTHENTICATION, 1, "Logon");
            case "RESET_PASSWORD", "SEND_RESET_PASSWORD" -> Mapping.of(ACCOUNT_CHANGE, 4, "Password Reset");
            case "UPDATE_PASSWORD" -> Mapping.of(ACCOUNT_CHANGE, 3, "Password Change");
            case "UPDATE_CREDENTIAL" -> "password".equals(credential) ? Mapping.of(ACCOUNT_CHANGE, 3, "Password Change")
                    : Mapping.of(ACCOUNT_CHANGE, 10, "MFA Factor Enable");
            case "UPDATE_TOTP" -> Mapping.of(ACCOUNT_CHANGE, 10, "MFA Factor Enable");
            case "REMOVE_TOTP", "REMOVE_CREDENTIAL" -> Mapping.of(ACCOUNT_CHANGE, 11, "MFA Factor Disable");
            case "USER_DISABLED_BY_PERMANENT_LOCKOUT", "USER_DISABLED_BY_TEMPORARY_LOCKOUT" ->
                    Mapping.of(ACCOUNT_CHANGE, 9, "Lock");
            case "EXECUTE_ACTION_TOKEN" -> EventDetails.STEP_NOT_ME.equals(e.details().get(EventDetails.STEP))
                    ? Mapping.of(ACCOUNT_CHANGE, OTHER, "Owner Report: Recovery Frozen")
                    : Mapping.of(ACCOUNT_CHANGE, OTHER, words(type));
            case "CUSTOM_REQUIRED_ACTION" -> Mapping.of(ACCOUNT_CHANGE, OTHER,
                    e.details().getOrDefault("custom_required_action", "Custom Required Action"));
            default -> Mapping.of(ACCOUNT_CHANGE, OTHER, words(type)); // UPDATE_EMAIL, UPDATE_PROFILE, EXECUTE_...
        };
        return m.user(e.userId());
    }

    /** An administrator's event: the target sits in the resource path ({@code users/<id>/...}). */
    private static Mapping admin(RecoveryEvent e) {
        String type = e.type();
        int split = type.indexOf('_');
        String operation = split < 0 ? type : type.substring(0, split);
        String resource = split < 0 ? "" : type.substring(split + 1);
        String path = e.details().getOrDefault("resource_path", "");
        String[] seg = path.split("/");
        boolean onUser = seg.length >= 2 && seg[0].equals("users") && !seg[1].isEmpty()
                && !seg[1].equals("profile") && !seg[1].equals("count");
        String rest = onUser ? path.substring(("users/" + seg[1]).length()).replaceFirst("^/", "") : "";
        switch (resource) {
            case "USER":
                if (onUser) {
                    return userAdmin(operation, rest).user(seg[1]);
                }
                break;
            case "REALM_ROLE_MAPPING", "CLIENT_ROLE_MAPPING": {
                int at = path.indexOf("/role-mappings");
                boolean assign = operation.equals("CREATE");
                if (at > 0 && (assign || operation.equals("DELETE"))) {
                    String scope = path.substring(at + "/role-mappings".length()).replaceFirst("^/", "");
                    String privilege = scope.startsWith("clients/") ? "client:" + scope.substring(8) + " roles"
                            : "realm roles";
                    if (onUser) {
                        return Mapping.of(USER_ACCESS, assign ? 1 : 2, assign ? "Assign Privileges"
                                : "Revoke Privileges").user(seg[1]).group(null, privilege);
                    }
                    if (seg.length >= 2 && seg[0].equals("groups")) {
                        return Mapping.of(GROUP_MANAGEMENT, assign ? 1 : 2, assign ? "Assign Privileges"
                                : "Revoke Privileges").group(seg[1], privilege);
                    }
                }
                break;
            }
            case "GOVERNED_RECOVERY_FINDING":
                // A security analyst's verdict on a finding: about the account when the finding is.
                if (onUser) {
                    return Mapping.of(ACCOUNT_CHANGE, OTHER, "Finding Triage").user(seg[1]);
                }
                break;
            case "GROUP_MEMBERSHIP":
                if (onUser && seg.length >= 4 && seg[2].equals("groups")
                        && (operation.equals("CREATE") || operation.equals("DELETE"))) {
                    boolean add = operation.equals("CREATE");
                    return Mapping.of(GROUP_MANAGEMENT, add ? 3 : 4, add ? "Add User" : "Remove User").user(seg[1])
                            .group(seg[3], null);
                }
                break;
            default:
                break;
        }
        int activity = switch (operation) {
            case "CREATE" -> 1;
            case "UPDATE" -> 3;
            case "DELETE" -> 4;
            default -> OTHER;
        };
        String caption = switch (activity) {
            case 1 -> "Create";
            case 3 -> "Update";
            case 4 -> "Delete";
            default -> words(operation);
        };
        return new Mapping(ENTITY_MANAGEMENT, activity, caption, null, null, null, words(resource),
                path.isEmpty() ? resource.toLowerCase(Locale.ROOT) : path);
    }

    /** An administrator's change to one account ({@code users/<id>/<rest>}). */
    private static Mapping userAdmin(String operation, String rest) {
        if (rest.isEmpty()) {
            return switch (operation) {
                case "CREATE" -> Mapping.of(ACCOUNT_CHANGE, 1, "Create");
                case "DELETE" -> Mapping.of(ACCOUNT_CHANGE, 6, "Delete");
                default -> Mapping.of(ACCOUNT_CHANGE, OTHER, words(operation) + " User");
            };
        }
        if (rest.equals("reset-password") || rest.equals("reset-password-email")) {
            return Mapping.of(ACCOUNT_CHANGE, 4, "Password Reset");
        }
        if (rest.startsWith("credentials/") && operation.equals("DELETE")) {
            return Mapping.of(ACCOUNT_CHANGE, 11, "MFA Factor Disable");
        }
        if (rest.startsWith("governed-recovery/temporary-access-passes")) {
            // Issued, or a pending pass approved: a factor the account can use; revoked: no longer.
            return rest.endsWith("/revocation") ? Mapping.of(ACCOUNT_CHANGE, 11, "MFA Factor Disable")
                    : Mapping.of(ACCOUNT_CHANGE, 10, "MFA Factor Enable");
        }
        return Mapping.of(ACCOUNT_CHANGE, OTHER, words(operation) + " " + rest.replaceAll("/[^/]*[0-9][^/]*", ""));
    }

    /** {@code UPDATE_PROFILE} as "Update Profile". */
    private static String words(String constant) {
        StringBuilder out = new StringBuilder();
        for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
            if (!word.isEmpty()) {
                out.append(out.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0)))
                        .append(word.substring(1));
            }
        }
        return out.toString();
    }

    /**
     * OCSF severity: 5 (critical) for anything a break-glass account does or is asked, 4 (high) for a privileged
     * account's reset steps, for a reset of an account whose recovery is frozen and for an owner's "This was not me"
     * report, 3 (medium) for other failures,
     * 1 (informational) else.
     */
    static int severity(RecoveryEvent e, boolean failed) {
        String tier = e.details().get(EventDetails.TIER);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return 5;
        }
        if ((EventDetails.TIER_PRIVILEGED.equals(tier) || "true".equals(e.details().get(EventDetails.FROZEN)))
                && e.type().startsWith("RESET_PASSWORD")) {
            return 4;
        }
        if (EventDetails.STEP_NOT_ME.equals(e.details().get(EventDetails.STEP))) {
            return 4; // an owner reports a change as not theirs
        }
        return failed ? 3 : 1;
    }
}
