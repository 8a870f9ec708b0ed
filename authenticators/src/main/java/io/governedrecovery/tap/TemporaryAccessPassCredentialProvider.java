package io.governedrecovery.tap;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The temporary access pass as a Keycloak credential type: Keycloak knows its type (admin console, credential
 * listings) and can check a typed pass against the account's usable passes. Checking does not use a pass up; the
 * reset spends a one-time pass only when it reaches the new password.
 */
public final class TemporaryAccessPassCredentialProvider implements CredentialProvider<CredentialModel>,
        CredentialInputValidator {

    private final KeycloakSession session;

    TemporaryAccessPassCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getType() {
        return TemporaryAccessPasses.TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credentialModel) {
        return user.credentialManager().createStoredCredential(credentialModel);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder().type(getType())
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName("governedRecoveryTapDisplayName").helpText("governedRecoveryTapHelpText")
                .iconCssClass("kcAuthenticatorDefaultClass").removeable(false).build(session);
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return getType().equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        long now = Time.currentTimeMillis();
        return supportsCredentialType(credentialType) && TemporaryAccessPasses.list(user).stream()
                .map(TemporaryAccessPasses::details).anyMatch(d -> d.isPresent() && d.get().usable(now));
    }

    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        return supportsCredentialType(input.getType()) && input.getChallengeResponse() != null
                && TemporaryAccessPasses.of(session).match(user, input.getChallengeResponse(), Time.currentTimeMillis())
                .isPresent();
    }
}
