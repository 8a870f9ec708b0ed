package io.governedrecovery.method.recoverycodes;

import java.util.List;
import java.util.Optional;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;

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
 * "recovery-codes": one of Keycloak's recovery authentication codes the user saved. Checked and used up through
 * Keycloak's own credential (stored hashed); when the last one is used the user is asked to make new ones.
 */
public final class RecoveryCodesMethodFactory extends AbstractRecoveryMethodFactory {

    public static final String ID = "recovery-codes";
    private static final int MAX_INPUT = 64;
    private static final String CONFIGURE_CODES_ACTION = "CONFIGURE_RECOVERY_AUTHN_CODES";

    public RecoveryCodesMethodFactory() {
        super(new RecoveryCodesMethod(), 70);
    }

    static final class RecoveryCodesMethod extends AbstractRecoveryMethod {

        RecoveryCodesMethod() {
            super(ID, Strength.STRONG, ChannelKind.PRINTED_CODES);
        }

        @Override
        protected Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user, MethodSettings settings) {
            List<CredentialModel> usable = credentials(user).stream()
                    .filter(c -> !RecoveryAuthnCodesCredentialModel.createFromCredentialModel(c).allCodesUsed())
                    .toList();
            return registeredBy(usable);
        }

        @Override
        public Response page(MethodContext context) {
            return context.codePage("governedRecoveryCodesInstruction", List.of(), null);
        }

        @Override
        public Verification verify(MethodContext context) {
            String typed = context.formParameters().getFirst(SentCodeMethod.CODE_FIELD);
            if (typed == null || typed.isBlank()) {
                return Verification.INCOMPLETE;
            }
            String code = typed.replace("-", "").replace(" ", "");
            if (code.length() > MAX_INPUT || context.user().isEmpty() || context.registration().isEmpty()) {
                return Verification.WRONG;
            }
            UserModel user = context.user().get();
            if (!user.credentialManager().isValid(UserCredentialModel.buildFromBackupAuthnCode(code))) {
                return Verification.WRONG;
            }
            boolean allUsed = credentials(user).stream()
                    .allMatch(c -> RecoveryAuthnCodesCredentialModel.createFromCredentialModel(c).allCodesUsed());
            if (allUsed && context.realm().getRequiredActionProviderByAlias(CONFIGURE_CODES_ACTION) != null
                    && context.realm().getRequiredActionProviderByAlias(CONFIGURE_CODES_ACTION).isEnabled()) {
                // The last code is gone: new codes at the next sign-in (after the reset, with the account's second
                // factor), never inside the reset itself.
                try {
                    user.addRequiredAction(CONFIGURE_CODES_ACTION);
                } catch (org.keycloak.storage.ReadOnlyException readOnly) {
                    // A read-only (federated) account: as Keycloak's own step, at least ask in this session.
                    context.flow().getAuthenticationSession().addRequiredAction(CONFIGURE_CODES_ACTION);
                }
            }
            return Verification.VERIFIED;
        }

        private static List<CredentialModel> credentials(UserModel user) {
            return storedCredentials(user, RecoveryAuthnCodesCredentialModel.TYPE);
        }
    }
}
