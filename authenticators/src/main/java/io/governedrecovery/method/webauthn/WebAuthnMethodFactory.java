package io.governedrecovery.method.webauthn;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.WebAuthnConstants;
import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.UriUtils;
import org.keycloak.credential.WebAuthnCredentialModelInput;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.WebAuthnPolicy;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;

import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.method.AbstractRecoveryMethod;
import io.governedrecovery.method.AbstractRecoveryMethodFactory;
import io.governedrecovery.method.MethodContext;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.Verification;

import jakarta.ws.rs.core.Response;

/**
 * "webauthn": a passkey or security key the user already registered (two-factor or passwordless). The page asks the
 * browser for a discoverable credential with an empty allow-list, so it is the same for every account and never lists
 * an account's credential ids; the signed assertion is checked through Keycloak's own WebAuthn credential provider.
 * Security keys registered without a resident credential cannot answer an empty allow-list.
 */
public final class WebAuthnMethodFactory extends AbstractRecoveryMethodFactory {

    public static final String ID = "webauthn";
    private static final Logger LOG = Logger.getLogger(WebAuthnMethodFactory.class);
    private static final List<String> TYPES = List.of(WebAuthnCredentialModel.TYPE_TWOFACTOR,
            WebAuthnCredentialModel.TYPE_PASSWORDLESS);
    private static final String CHALLENGE_NOTE = "challenge";
    private static final int MAX_FIELD = 16 * 1024;

    public WebAuthnMethodFactory() {
        super(new WebAuthnMethod(), 80);
    }

    static final class WebAuthnMethod extends AbstractRecoveryMethod {

        WebAuthnMethod() {
            super(ID, Strength.STRONG, ChannelKind.SECURITY_KEY);
        }

        @Override
        public String wrongMessageKey() {
            return "governedRecoveryKeyWrong";
        }

        @Override
        public String missingMessageKey() {
            return "governedRecoveryKeyMissing";
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            return registeredBy(storedCredentials(user, TYPES.toArray(String[]::new)));
        }

        @Override
        public Response page(MethodContext context) {
            String challenge = Base64Url.encode(new DefaultChallenge().getValue());
            context.setNote(CHALLENGE_NOTE, challenge);
            WebAuthnPolicy policy = context.realm().getWebAuthnPolicy();
            return context.page()
                    .setAttribute(WebAuthnConstants.CHALLENGE, challenge)
                    .setAttribute(WebAuthnConstants.RP_ID, rpId(context))
                    .setAttribute(WebAuthnConstants.USER_VERIFICATION, policy.getUserVerificationRequirement())
                    .setAttribute(WebAuthnConstants.CREATE_TIMEOUT, policy.getCreateTimeout())
                    .createForm("governed-recovery-webauthn.ftl");
        }

        @Override
        public Verification verify(MethodContext context) {
            var form = context.formParameters();
            String browserError = form.getFirst(WebAuthnConstants.ERROR);
            String credentialId = form.getFirst(WebAuthnConstants.CREDENTIAL_ID);
            String clientData = form.getFirst(WebAuthnConstants.CLIENT_DATA_JSON);
            String authenticatorData = form.getFirst(WebAuthnConstants.AUTHENTICATOR_DATA);
            String signature = form.getFirst(WebAuthnConstants.SIGNATURE);
            String userHandle = form.getFirst(WebAuthnConstants.USER_HANDLE);
            Optional<String> challenge = context.note(CHALLENGE_NOTE);
            context.setNote(CHALLENGE_NOTE, null);
            if ((browserError != null && !browserError.isBlank()) || blank(credentialId) || blank(clientData)
                    || blank(authenticatorData) || blank(signature) || challenge.isEmpty()) {
                return Verification.INCOMPLETE;
            }
            if (tooLong(credentialId, clientData, authenticatorData, signature, userHandle)
                    || context.user().isEmpty() || context.registration().isEmpty()) {
                return Verification.WRONG;
            }
            UserModel user = context.user().get();
            try {
                if (!blank(userHandle)
                        && !user.getId().equals(new String(Base64Url.decode(userHandle), StandardCharsets.UTF_8))) {
                    return Verification.WRONG; // a passkey of another account
                }
                AuthenticationRequest request = new AuthenticationRequest(Base64Url.decode(credentialId),
                        Base64Url.decode(authenticatorData), Base64Url.decode(clientData), Base64Url.decode(signature));
                ServerProperty server = new ServerProperty(
                        new Origin(UriUtils.getOrigin(context.flow().getUriInfo().getBaseUri())), rpId(context),
                        new DefaultChallenge(challenge.get()));
                for (String type : TYPES) {
                    WebAuthnPolicy policy = WebAuthnCredentialModel.TYPE_PASSWORDLESS.equals(type)
                            ? context.realm().getWebAuthnPolicyPasswordless() : context.realm().getWebAuthnPolicy();
                    boolean uvRequired = Constants.WEBAUTHN_POLICY_OPTION_REQUIRED
                            .equals(policy.getUserVerificationRequirement());
                    WebAuthnCredentialModelInput input = new WebAuthnCredentialModelInput(type);
                    input.setAuthenticationRequest(request);
                    input.setAuthenticationParameters(
                            new WebAuthnCredentialModelInput.KeycloakWebAuthnAuthenticationParameters(server, uvRequired));
                    if (user.credentialManager().getStoredCredentialsByTypeStream(type).findAny().isPresent()
                            && user.credentialManager().isValid(input)) {
                        return Verification.VERIFIED;
                    }
                }
            } catch (RuntimeException invalid) {
                // Malformed encodings and failed signature checks are one outcome: a wrong key.
                LOG.debugf("WebAuthn assertion rejected in recovery: %s", invalid.toString());
            }
            return Verification.WRONG;
        }

        private static String rpId(MethodContext context) {
            String rpId = context.realm().getWebAuthnPolicy().getRpId();
            return rpId == null || rpId.isBlank() ? context.flow().getUriInfo().getBaseUri().getHost() : rpId;
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }

        private static boolean tooLong(String... values) {
            for (String value : values) {
                if (value != null && value.length() > MAX_FIELD) {
                    return true;
                }
            }
            return false;
        }
    }
}
