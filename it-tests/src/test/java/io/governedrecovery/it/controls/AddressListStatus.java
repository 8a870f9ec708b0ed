package io.governedrecovery.it.controls;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.TestRealm;

/** Address lists load in the background: waits on the policy summary until one is read, or refused. */
final class AddressListStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AddressListStatus() {
    }

    static void awaitLoaded(TestRealm realm, String source) {
        Await.until("the address list " + source + " to be read", Duration.ofSeconds(20), () -> {
            JsonNode list = of(realm, source);
            return list != null && list.path("loaded").asBoolean() && !list.hasNonNull("problem") ? Boolean.TRUE
                    : null;
        });
    }

    /** The problem the summary reports for the list, once it reports one. */
    static String awaitProblem(TestRealm realm, String source) {
        return Await.until("a problem with the address list " + source, Duration.ofSeconds(20), () -> {
            JsonNode list = of(realm, source);
            return list == null || !list.hasNonNull("problem") ? null : list.path("problem").asText();
        });
    }

    private static JsonNode of(TestRealm realm, String source) {
        try {
            JsonNode summary = JSON.readTree(RestCall.send("GET", Helpdesk.adminApi(realm) + "policy",
                    realm.server().adminToken(), null).body());
            for (JsonNode list : summary.path("addressLists")) {
                if (source.equals(list.path("source").asText())) {
                    return list;
                }
            }
            return null;
        } catch (java.io.IOException e) {
            throw new AssertionError("the policy summary is not JSON", e);
        }
    }
}
