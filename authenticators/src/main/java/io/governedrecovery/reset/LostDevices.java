package io.governedrecovery.reset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import io.governedrecovery.core.event.EventDetails;

/**
 * The lost-device offer after a governed reset: the strong methods the account has but did not prove in it (a lost
 * phone with the authenticator app, a lost key), which the person may remove at once. Offered only after the new
 * password and its consequences (notice, ended sessions) are in place.
 */
final class LostDevices {

    /** Method id to the credential types it stands for, in the order shown. */
    private static final Map<String, List<String>> TYPES = types();

    private LostDevices() {
    }

    private static Map<String, List<String>> types() {
        Map<String, List<String>> types = new LinkedHashMap<>();
        types.put("totp", List.of(OTPCredentialModel.TYPE));
        types.put("webauthn", List.of(WebAuthnCredentialModel.TYPE_PASSWORDLESS, WebAuthnCredentialModel.TYPE_TWOFACTOR));
        return Collections.unmodifiableMap(types);
    }

    /** The strong methods {@code user} has but did not prove ({@code proven}). */
    static List<String> candidates(UserModel user, List<String> proven) {
        List<String> candidates = new ArrayList<>();
        for (var entry : TYPES.entrySet()) {
            boolean has = entry.getValue().stream()
                    .anyMatch(type -> user.credentialManager().getStoredCredentialsByTypeStream(type).findAny()
                            .isPresent());
            if (has && !proven.contains(entry.getKey())) {
                candidates.add(entry.getKey());
            }
        }
        return candidates;
    }

    /**
     * Removes the methods of {@code chosen} that were {@code offered}; one {@code REMOVE_CREDENTIAL} event each.
     *
     * @return the method ids removed
     */
    static List<String> remove(AuthenticationFlowContext context, UserModel user, List<String> offered,
                               List<String> chosen) {
        List<String> removed = chosen.stream().filter(offered::contains).distinct().toList();
        for (String methodId : removed) {
            for (String type : TYPES.getOrDefault(methodId, List.of())) {
                for (CredentialModel credential : user.credentialManager().getStoredCredentialsByTypeStream(type)
                        .toList()) {
                    user.credentialManager().removeStoredCredentialById(credential.getId());
                    context.getEvent().clone().event(EventType.REMOVE_CREDENTIAL).user(user)
                            .detail(EventDetails.CREDENTIAL_TYPE, type).detail(EventDetails.STEP, "lost_device")
                            .detail(EventDetails.METHOD, methodId).success();
                }
            }
        }
        return removed;
    }
}
