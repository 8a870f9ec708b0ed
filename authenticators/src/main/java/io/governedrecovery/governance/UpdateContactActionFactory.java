package io.governedrecovery.governance;

import java.util.List;

import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.spi.StatelessFactory;

/**
 * "Governed Recovery: change recovery phone number" and "... change email address": verified contact changes, started
 * from an application with {@code kc_action=governed-recovery-update-phone} (or {@code -email}) or set by an admin.
 */
public abstract class UpdateContactActionFactory implements RequiredActionFactory,
        StatelessFactory<RequiredActionProvider> {

    private final UpdateContactAction.Kind kind;

    UpdateContactActionFactory(UpdateContactAction.Kind kind) {
        this.kind = kind;
    }

    /** The recovery phone number. */
    public static final class Phone extends UpdateContactActionFactory {
        public static final String ID = "governed-recovery-update-phone";

        public Phone() {
            super(UpdateContactAction.Kind.PHONE);
        }

        @Override
        public String getId() {
            return ID;
        }

        @Override
        public String getDisplayText() {
            return "Governed Recovery: change recovery phone number (verified)";
        }
    }

    /** The email address. */
    public static final class Email extends UpdateContactActionFactory {
        public static final String ID = "governed-recovery-update-email";

        public Email() {
            super(UpdateContactAction.Kind.EMAIL);
        }

        @Override
        public String getId() {
            return ID;
        }

        @Override
        public String getDisplayText() {
            return "Governed Recovery: change email address (verified)";
        }
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new UpdateContactAction(kind, getId());
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
    }
}
