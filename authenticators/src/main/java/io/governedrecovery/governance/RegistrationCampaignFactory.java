package io.governedrecovery.governance;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/** "Governed Recovery: register recovery methods", the registration campaign. */
public final class RegistrationCampaignFactory implements RequiredActionFactory {

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
        return ProviderConfigurationBuilder.create()
                .property().name(CampaignSettings.TARGET_GROUPS).label("Target groups")
                    .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                    .helpText("Group paths (for example /pilot) whose members are asked at sign-in to register "
                            + "enough recovery methods for their policy. Empty: everyone. Start with a pilot group.")
                    .add()
                .property().name(CampaignSettings.DEADLINE).label("Deadline")
                    .type(ProviderConfigProperty.STRING_TYPE)
                    .helpText("Date (2027-03-31) after which nobody may put registering off any more.").add()
                .property().name(CampaignSettings.SNOOZES).label("Times a user may put it off")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(3)
                    .helpText("How often a user may choose 'Later' before registering is required (0 to 20).").add()
                .property().name(CampaignSettings.RECONFIRM_DAYS).label("Review methods every (days)")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(0)
                    .helpText("Users who meet their policy review and confirm their methods this often; 0 never.")
                    .add()
                .build();
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        try {
            CampaignSettings.from(model == null ? null : model.getConfig());
        } catch (IllegalArgumentException bad) {
            throw new ValidationException(new ValidationError(ID, "config", bad.getMessage()));
        }
    }

    @Override
    public void init(Config.Scope config) {
        // No server-wide settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Nothing to wire.
    }

    @Override
    public void close() {
        // Holds nothing.
    }
}
