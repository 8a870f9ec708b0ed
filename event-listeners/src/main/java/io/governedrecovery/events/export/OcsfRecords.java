package io.governedrecovery.events.export;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.core.risk.Finding;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Shapes outbox rows as OCSF 1.1 records: Account Change (3001) and Authentication (3002) for events, Detection
 * Finding (2004) for findings. {@code metadata.uid} is the stable id consumers de-duplicate on; what OCSF has no field
 * for goes under {@code unmapped}.
 */
public final class OcsfRecords {

    public static final String PRODUCT = "Governed Recovery";

    private final RecordCodec codec;
    private final ObjectMapper json;
    private final String version;

    public OcsfRecords(RecordCodec codec, String version) {
        this.codec = codec;
        this.json = codec.mapper();
        this.version = version;
    }

    public ObjectNode toOcsf(OutboxRecord record) {
        return record.kind() == OutboxRecord.Kind.FINDING ? finding(record, codec.finding(record))
                : event(record, codec.event(record));
    }

    private ObjectNode base(OutboxRecord record, long time, int classUid, int categoryUid, int activityId) {
        ObjectNode node = json.createObjectNode();
        node.put("time", time);
        node.put("class_uid", classUid);
        node.put("category_uid", categoryUid);
        node.put("activity_id", activityId);
        node.put("type_uid", classUid * 100L + activityId);
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("uid", record.id());
        metadata.put("version", "1.1.0");
        metadata.put("logged_time", record.writtenAt());
        metadata.put("sequence", record.seq());
        ObjectNode product = metadata.putObject("product");
        product.put("name", PRODUCT);
        product.put("vendor_name", PRODUCT);
        product.put("version", version);
        return node;
    }

    private ObjectNode event(OutboxRecord record, RecoveryEvent e) {
        int[] cls = classify(e);
        ObjectNode node = base(record, e.time(), cls[0], 3, cls[1]);
        boolean failed = e.failed();
        node.put("severity_id", severity(e, failed));
        node.put("status_id", failed ? 2 : 1);
        node.put("status", failed ? "Failure" : "Success");
        if (failed) {
            node.put("status_detail", e.error());
        }
        if (e.userId() != null || e.details().containsKey(EventDetails.USERNAME)) {
            ObjectNode user = node.putObject("user");
            if (e.userId() != null) {
                user.put("uid", e.userId());
            }
            if (e.details().containsKey(EventDetails.USERNAME)) {
                user.put("name", e.details().get(EventDetails.USERNAME));
            }
        }
        if (e.kind() == RecoveryEvent.Kind.ADMIN && e.details().containsKey("actor_user_id")) {
            node.putObject("actor").putObject("user").put("uid", e.details().get("actor_user_id"));
        }
        if (e.ipAddress() != null) {
            node.putObject("src_endpoint").put("ip", e.ipAddress());
        }
        String method = e.details().get(EventDetails.METHOD);
        if (method != null) {
            ArrayNode factors = node.putArray("auth_factors");
            ObjectNode factor = factors.addObject();
            factor.put("factor_type", method);
            factor.put("provider", "Governed Recovery");
        }
        ObjectNode unmapped = node.putObject("unmapped");
        unmapped.put("keycloak_type", e.type());
        unmapped.put("realm_id", e.realmId());
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

    private ObjectNode finding(OutboxRecord record, Finding f) {
        ObjectNode node = base(record, f.time(), 2004, 2, 1);
        node.put("severity_id", f.severityId());
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
        unmapped.put("realm_id", f.realmId());
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
            default -> rule;
        };
    }

    /** {class_uid, activity_id} for a Keycloak event. */
    static int[] classify(RecoveryEvent e) {
        if (e.kind() == RecoveryEvent.Kind.ADMIN) {
            String type = e.type();
            String path = e.details().getOrDefault("resource_path", "");
            if (type.startsWith("ACTION") && path.endsWith("reset-password")) {
                return new int[] {3001, 4};
            }
            if (type.endsWith("ROLE_MAPPING")) {
                return new int[] {3001, type.startsWith("DELETE") ? 8 : 7};
            }
            if (type.equals("CREATE_USER")) {
                return new int[] {3001, 1};
            }
            if (type.equals("DELETE_USER")) {
                return new int[] {3001, 6};
            }
            return new int[] {3001, 99};
        }
        String credential = e.details().getOrDefault(EventDetails.CREDENTIAL_TYPE, "");
        String type = e.type().endsWith("_ERROR") ? e.type().substring(0, e.type().length() - 6) : e.type();
        return switch (type) {
            case "RESET_PASSWORD", "SEND_RESET_PASSWORD" -> new int[] {3001, 4};
            case "UPDATE_PASSWORD" -> new int[] {3001, 3};
            case "UPDATE_CREDENTIAL" -> new int[] {3001, "password".equals(credential) ? 3 : 10};
            case "UPDATE_TOTP" -> new int[] {3001, 10};
            case "REMOVE_TOTP", "REMOVE_CREDENTIAL" -> new int[] {3001, 11};
            case "USER_DISABLED_BY_PERMANENT_LOCKOUT", "USER_DISABLED_BY_TEMPORARY_LOCKOUT" -> new int[] {3001, 9};
            case "LOGIN" -> new int[] {3002, 1};
            default -> new int[] {3001, 99};
        };
    }


    /**
     * OCSF severity: 5 (critical) for anything a break-glass account does or is asked, 4 (high) for a privileged
     * account's reset steps, 3 (medium) for other failures, 1 (informational) else.
     */
    static int severity(RecoveryEvent e, boolean failed) {
        String tier = e.details().get(EventDetails.TIER);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return 5;
        }
        if (EventDetails.TIER_PRIVILEGED.equals(tier) && e.type().startsWith("RESET_PASSWORD")) {
            return 4;
        }
        return failed ? 3 : 1;
    }
}
