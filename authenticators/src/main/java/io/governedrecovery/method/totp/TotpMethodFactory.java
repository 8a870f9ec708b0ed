package io.governedrecovery.method.totp;

import java.util.List;
import java.util.Optional;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;

import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.method.AbstractRecoveryMethod;
import io.governedrecovery.method.AbstractRecoveryMethodFactory;
import io.governedrecovery.method.MethodContext;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.SentCodeMethod;
import io.governedrecovery.method.Verification;

import jakarta.ws.rs.core.Response;

/**
 * "totp": the current code of the user's existing authenticator app. Checked against the OTP credentials the user
 * already has, through Keycloak's own OTP check (which refuses a reused code); never removes or replaces them.
 */
public final class TotpMethodFactory extends AbstractRecoveryMethodFactory {

    public static final String ID = "totp";
    private static final int MAX_INPUT = 64;

    public TotpMethodFactory() {
        super(new TotpMethod(), 90);
    }

    static final class TotpMethod extends AbstractRecoveryMethod {

        TotpMethod() {
            super(ID, Strength.STRONG, ChannelKind.AUTHENTICATOR_APP);
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            return registeredBy(credentials(user));
        }

        @Override
        public Response page(MethodContext context) {
            return context.codePage("governedRecoveryTotpInstruction", List.of(), null);
        }

        @Override
        public Verification verify(MethodContext context) {
            String typed = context.formParameters().getFirst(SentCodeMethod.CODE_FIELD);
            if (typed == null || typed.isBlank()) {
                return Verification.INCOMPLETE;
            }
            String code = typed.replace(" ", "");
            if (code.length() > MAX_INPUT || context.user().isEmpty() || context.registration().isEmpty()) {
                return Verification.WRONG;
            }
            UserModel user = context.user().get();
            for (CredentialModel credential : credentials(user)) {
                if (user.credentialManager().isValid(new UserCredentialModel(credential.getId(),
                        OTPCredentialModel.TYPE, code))) {
                    return Verification.VERIFIED;
                }
            }
            return Verification.WRONG;
        }

        private static List<CredentialModel> credentials(UserModel user) {
            return storedCredentials(user, OTPCredentialModel.TYPE);
        }
    }
}
