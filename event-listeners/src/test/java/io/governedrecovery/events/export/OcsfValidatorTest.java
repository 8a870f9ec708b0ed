package io.governedrecovery.events.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The validator itself: it takes a valid record of each class and rejects each kind of defect. */
class OcsfValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OcsfValidator validator = OcsfValidator.load();

    private static ObjectNode authentication() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"time":1700000000000,"class_uid":3002,"category_uid":3,"activity_id":1,"type_uid":300201,
                 "severity_id":1,"status_id":2,"status":"Failure","status_detail":"invalid_user_credentials",
                 "metadata":{"uid":"e-1","version":"1.8.0","tenant_uid":"realm-1","logged_time":1700000000001,
                             "product":{"name":"Governed Recovery","vendor_name":"Governed Recovery","version":"1"}},
                 "user":{"uid":"u-1","name":"alice"},
                 "service":{"name":"account-console"},
                 "src_endpoint":{"ip":"192.0.2.7"},
                 "auth_factors":[{"factor_type_id":11,"factor_type":"Password"}],
                 "unmapped":{"keycloak_type":"LOGIN_ERROR","details":{"anything":{"goes":[1,"here"]}}}}
                """);
    }

    private static ObjectNode finding() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"time":1700000000000,"class_uid":2004,"category_uid":2,"activity_id":1,"type_uid":200401,
                 "severity_id":4,"risk_score":60,"status_id":1,"status":"New",
                 "metadata":{"uid":"f-1","version":"1.8.0",
                             "product":{"name":"Governed Recovery","vendor_name":"Governed Recovery"}},
                 "finding_info":{"uid":"f-1","title":"t","types":["failed-resets"],"created_time":1700000000000},
                 "evidences":[{"user":{"uid":"u-1"},"src_endpoint":{"ip":"2001:db8::1"},"data":{"failures":"5"}}],
                 "unmapped":{"rule":"failed-resets"}}
                """);
    }

    @Test
    void valid_records_pass() throws Exception {
        assertThat(validator.validate(authentication())).isEmpty();
        assertThat(validator.validate(finding())).isEmpty();
        assertThat(validator.className(3001)).isEqualTo("Account Change");
        assertThat(validator.className(3004)).isEqualTo("Entity Management");
        assertThat(validator.className(2004)).isEqualTo("Detection Finding");
    }

    @Test
    void a_missing_required_attribute_is_rejected() throws Exception {
        assertRejected(authentication(), r -> r.remove("user"), "user: required by Authentication but missing");
        assertRejected(authentication(), r -> r.remove("severity_id"), "severity_id: required");
        assertRejected(authentication(), r -> ((ObjectNode) r.get("metadata")).remove("version"),
                "metadata.version: required by Metadata");
        assertRejected(finding(), r -> r.remove("finding_info"), "finding_info: required by Detection Finding");
        assertRejected(authentication(), r -> r.putNull("time"), "time: required");
    }

    @Test
    void a_nested_object_is_held_to_its_own_required_attributes() throws Exception {
        assertRejected(authentication(), r -> ((ObjectNode) r.get("auth_factors").get(0)).remove("factor_type_id"),
                "auth_factors[0].factor_type_id: required by Authentication Factor but missing");
        assertRejected(finding(), r -> ((ObjectNode) r.get("finding_info")).remove("uid"),
                "finding_info.uid: required by Finding Information");
        assertRejected(authentication(), r -> ((ObjectNode) r.get("metadata")).remove("product"),
                "metadata.product: required by Metadata");
    }

    @Test
    void an_unknown_attribute_outside_unmapped_is_rejected() throws Exception {
        assertRejected(authentication(), r -> r.put("keycloak_type", "LOGIN"),
                "keycloak_type: unknown attribute of Authentication");
        assertRejected(authentication(), r -> ((ObjectNode) r.get("user")).put("realm", "x"),
                "user.realm: unknown attribute of User");
        assertRejected(finding(), r -> ((ObjectNode) r.get("evidences").get(0)).putObject("details"),
                "evidences[0].details: unknown attribute of Evidence Artifacts");
        // An attribute the class does not have, though another class does (Account Change has no service):
        ObjectNode change = authentication();
        change.put("class_uid", 3001).put("activity_id", 4).put("type_uid", 300104);
        assertThat(validator.validate(change)).anyMatch(p -> p.startsWith("service: unknown attribute of Account"));
    }

    @Test
    void a_profile_attribute_needs_the_profile() throws Exception {
        assertRejected(authentication(), r -> r.putObject("device").put("hostname", "kc-1"),
                "device: belongs to the profile 'host'");
        ObjectNode withProfile = authentication();
        withProfile.putObject("device").put("hostname", "kc-1").put("type_id", 1);
        ((ObjectNode) withProfile.get("metadata")).putArray("profiles").add("host");
        assertThat(validator.validate(withProfile)).isEmpty();
        assertRejected(authentication(), r -> ((ObjectNode) r.get("metadata")).putArray("profiles").add("nope"),
                "metadata.profiles: unknown profile 'nope'");
    }

    @Test
    void a_bad_enum_value_or_sibling_is_rejected() throws Exception {
        assertRejected(authentication(), r -> r.put("activity_id", 8).put("type_uid", 300208),
                "activity_id: 8 is not one of");
        assertRejected(authentication(), r -> r.put("severity_id", 7), "severity_id: 7 is not one of");
        assertRejected(authentication(), r -> r.put("status", "Failed"),
                "status: 'Failed' is not 'Failure', the caption of status_id 2");
        assertRejected(authentication(), r -> ((ObjectNode) r.get("auth_factors").get(0)).put("factor_type", "pw"),
                "auth_factors[0].factor_type: 'pw' is not 'Password'");
        assertRejected(finding(), r -> r.put("status", "Success").put("status_id", 1),
                "status: 'Success' is not 'New'");
        // 99 (Other): the sibling carries the source's own word.
        ObjectNode other = authentication();
        other.put("status_id", 99).put("status", "Anything");
        assertThat(validator.validate(other)).isEmpty();
    }

    @Test
    void the_class_category_and_type_uid_must_agree() throws Exception {
        assertRejected(authentication(), r -> r.put("type_uid", 300101), "type_uid: 300101 is not");
        assertRejected(authentication(), r -> r.put("category_uid", 2), "category_uid: 2 is not 3");
        assertRejected(authentication(), r -> r.put("class_uid", 3099), "class_uid: 3099 is no class");
        assertRejected(authentication(), r -> r.put("class_name", "Logon"), "class_name: 'Logon' is not");
        assertRejected(authentication(), r -> r.put("type_name", "Authentication: Logoff"),
                "type_name: 'Authentication: Logoff' is not 'Authentication: Logon'");
    }

    @Test
    void a_bad_type_is_rejected() throws Exception {
        assertRejected(authentication(), r -> r.put("time", "2024-01-01"), "time: must be an integer (timestamp_t)");
        assertRejected(authentication(), r -> r.put("severity_id", "1"), "severity_id: must be an integer");
        assertRejected(authentication(), r -> r.put("severity_id", 1.5), "severity_id: must be an integer");
        assertRejected(authentication(), r -> ((ObjectNode) r.get("src_endpoint")).put("ip", "not-an-ip"),
                "src_endpoint.ip: 'not-an-ip' is not a valid ip_t");
        assertRejected(authentication(), r -> ((ObjectNode) r.get("user")).put("uid", 17),
                "user.uid: must be a string");
        assertRejected(authentication(), r -> r.put("is_mfa", "yes"), "is_mfa: must be true or false");
        assertRejected(authentication(), r -> r.putObject("auth_factors").put("factor_type_id", 11),
                "auth_factors: must be an array");
        assertRejected(finding(), r -> ((ObjectNode) r.get("finding_info")).put("types", "failed-resets"),
                "finding_info.types: must be an array");
        assertRejected(authentication(), r -> r.put("user", "alice"), "user: must be a User object");
        assertRejected(authentication(), r -> r.put("unmapped", "text"), "unmapped: must be a JSON object");
    }

    @Test
    void constraints_hold() throws Exception {
        assertRejected(authentication(), r -> r.remove("service"),
                "Authentication needs at least one of [\"service\",\"dst_endpoint\"]");
        assertRejected(authentication(), r -> r.putObject("user").put("type_id", 1),
                "user: User needs at least one of");
        assertRejected(finding(), r -> r.putArray("evidences").addObject().put("name", "x"),
                "evidences[0]: Evidence Artifacts needs at least one of");
    }

    private void assertRejected(ObjectNode record, Consumer<ObjectNode> defect, String problem) {
        defect.accept(record);
        assertThat(validator.validate(record)).as(record.toString()).anyMatch(p -> p.startsWith(problem)
                || p.contains(problem));
    }
}
