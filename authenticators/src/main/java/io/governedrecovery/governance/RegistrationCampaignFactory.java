package io.governedrecovery.governance;

import java.util.List;

import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

import io.governedrecovery.settings.Setting;
import io.governedrecovery.spi.StatelessFactory;

/** "Governed Recovery: register recovery methods", the registration campaign. */
public final class RegistrationCampaignFactory implements RequiredActionFactory,
        StatelessFactory<RequiredActionProvider> {

    public static final String ID = io.governedrecovery.flow.RequiredActions.REGISTER;

    private static final RegistrationCampaign SINGLETON = new RegistrationCampaign();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Governed Recovery: register recovery methods (campaign)";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.properties(CampaignSettings.declared());
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        try {
            CampaignSettings.from(model == null ? null : model.getConfig());
        } catch (IllegalArgumentException bad) {
            throw new ValidationException(new ValidationError(ID, "config", bad.getMessage()));
        }
    }
}
