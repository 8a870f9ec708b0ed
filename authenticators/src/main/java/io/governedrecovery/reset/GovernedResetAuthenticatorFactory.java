package io.governedrecovery.reset;

import java.security.SecureRandom;
import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.governedrecovery.flow.StepFactory;
import io.governedrecovery.method.RecoveryMethods;

/**
 * "Governed Recovery: verify with several methods". Put it after the choose-user step of a reset-credentials flow,
 * followed by Keycloak's "Reset Password"; it replaces "Send Reset Email" and must never be combined with "Reset OTP".
 */
public final class GovernedResetAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = "governed-recovery-reset";

    private final SecureRandom random = new SecureRandom();
    private final StepTiming timing = new StepTiming();
    private List<String> installed = List.of();
    private List<ProviderConfigProperty> config = List.of();

    public GovernedResetAuthenticatorFactory() {
        super(PROVIDER_ID, "Governed Recovery: verify with several methods",
                "Before a password reset, the user proves several independent recovery methods (by default two on "
                    + "different channels, one of them strong: authenticator app, security key or recovery code). "
                    + "Pages never reveal whether an account exists or which methods it has.");
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return config;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new GovernedResetAuthenticator(session, installed, random, timing);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        installed = RecoveryMethods.installed(factory);
        config = configProperties(installed);
        WaitingHalfway.schedule(factory);
    }

    static List<ProviderConfigProperty> configProperties(List<String> installed) {
        return ProviderConfigurationBuilder.create()
                .property().name(ResetSettings.BRANCH).label("Branch")
                    .type(ProviderConfigProperty.LIST_TYPE).options("standard", "privileged").defaultValue("standard")
                    .helpText("'standard': the step every account reaches; it holds privileged accounts to the "
                            + "settings of the privileged branch's step and refuses break-glass accounts. 'privileged': "
                            + "the step inside the branch under 'Condition - privileged account' (after the standard "
                            + "step); its settings are the privileged policy: only strong methods count, and "
                            + "self-service can be turned off.").add()
                .property().name(ResetSettings.SELF_SERVICE).label("Self-service")
                    .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true)
                    .helpText("Privileged branch only. Off: after the first proven method the user sees the "
                            + "administrator recovery procedure (the helpdesk text and link below) instead of a reset.")
                    .add()
                .property().name(ResetSettings.MIN_METHODS).label("Methods required")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(2)
                    .helpText("How many methods the user must prove before a reset, counted by distinct channel "
                            + "(an SMS and a call to one number count once). 2 to 5.").add()
                .property().name(ResetSettings.MIN_STRONG).label("Strong methods required")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(1)
                    .helpText("How many of them must be strong (authenticator app, security key or passkey, recovery "
                            + "codes). 0 lets email plus SMS alone reset a password: only set it knowingly. In the "
                            + "privileged branch it is ignored: every required method must be strong there.").add()
                .property().name(ResetSettings.COOLDOWN_HOURS).label("Cooldown after a method change (hours)")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(72)
                    .helpText("A method added or changed less than this many hours ago does not count. 0 to 720.")
                    .add()
                .property().name(ResetSettings.METHODS).label("Methods offered")
                    .type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE).options(installed)
                    .helpText("Which methods the selection page offers. Empty offers all installed methods. The page "
                            + "lists the same methods for every account.").add()
                .property().name(ResetSettings.CODE_LENGTH).label("Code length")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(8)
                    .helpText("Digits of codes sent by email or SMS. 6 to 10.").add()
                .property().name(ResetSettings.CODE_LIFETIME).label("Code lifetime (seconds)")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(600)
                    .helpText("How long a sent code is valid. 10 to 600 seconds.").add()
                .property().name(ResetSettings.CODE_ATTEMPTS).label("Tries per code")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(5)
                    .helpText("Wrong tries a sent code survives before the user must ask for a new one. 1 to 10.")
                    .add()
                .property().name(ResetSettings.MAX_SENDS).label("Codes per method and reset")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(3)
                    .helpText("How many codes (the first and the resent ones) one reset may send per method. 1 to 10.")
                    .add()
                .property().name(ResetSettings.FAILURE_BUDGET).label("Failures before a method pauses")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(5)
                    .helpText("Failed tries per method, per name typed and client address, across resets and "
                            + "cluster nodes, after which the method pauses for that name and address (correct codes "
                            + "are refused too). 1 to 100.").add()
                .property().name(ResetSettings.FAILURE_BUDGET_TOTAL).label("Failures before a method pauses everywhere")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(20)
                    .helpText("Failed tries per method and name typed, from all addresses together, after which the "
                            + "method pauses for that name from every address. Bounds the guesses of an attacker with "
                            + "many addresses; the per-address budget keeps one attacker from pausing the owner's "
                            + "method. From 'Failures before a method pauses' to 1000.").add()
                .property().name(ResetSettings.FAILURE_WINDOW).label("Failure window (minutes)")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(60)
                    .helpText("The sliding window failures are counted in; a paused method resumes as failures age out "
                            + "of it. 1 to 1440.").add()
                .property().name(ResetSettings.HELPDESK_TEXT).label("Helpdesk text")
                    .type(ProviderConfigProperty.STRING_TYPE)
                    .helpText("What users who cannot reset themselves should do, for example 'Call the IT helpdesk on "
                            + "+49 30 1234 567'. Empty shows the theme's text (message governedRecoveryHelpdeskText, "
                            + "translatable under Realm settings, Localization).").add()
                .property().name(ResetSettings.HELPDESK_URL).label("Helpdesk link")
                    .type(ProviderConfigProperty.STRING_TYPE)
                    .helpText("A link for the helpdesk (https://, mailto: or tel:). Optional.").add()
                .property().name(ResetSettings.PHONE_ATTRIBUTE).label("Phone number attribute")
                    .type(ProviderConfigProperty.STRING_TYPE).defaultValue(ResetSettings.DEFAULT_PHONE_ATTRIBUTE)
                    .helpText("User attribute with the recovery phone number in E.164 form (+4917012345678).").add()
                .property().name(ResetSettings.PHONE_VERIFIED_ATTRIBUTE).label("Phone confirmed attribute")
                    .type(ProviderConfigProperty.STRING_TYPE)
                    .defaultValue(ResetSettings.DEFAULT_PHONE_VERIFIED_ATTRIBUTE)
                    .helpText("User attribute that is 'true' once the number was confirmed with a code. Unconfirmed "
                            + "numbers are not used.").add()
                .property().name(ResetSettings.SHOW_MASKED).label("Show masked destinations")
                    .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                    .helpText("Show where a code went (a•••e@e•••e.test). Off by default: it tells, to anyone who "
                            + "types a name, that the account exists and has that method.").add()
                .property().name(ResetSettings.END_OFFLINE_SESSIONS).label("End offline sessions too")
                    .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true)
                    .helpText("After a reset, end the user's offline sessions (long-lived refresh tokens) as well as "
                            + "the other browser sessions.").add()
                .property().name(ResetSettings.NOT_ME_LINK_DAYS).label("'This was not me' link lifetime (days)")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(7)
                    .helpText("Every notice to an account's owner carries a 'This was not me' link, valid this many "
                            + "days (1 to 30). Confirming it freezes the account's self-service recovery, signs out "
                            + "every session and tells the security contacts. Read from the standard branch's step."
                    ).add()
                .property().name(ResetSettings.NOT_ME_DISABLES_ACCOUNT).label("'This was not me' disables the account")
                    .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                    .helpText("Also disable the account when its owner reports a change as not theirs. Off by "
                            + "default: the owner still signs in with the password and second factor. Read from the "
                            + "standard branch's step.").add()
                .property().name(ResetSettings.NEW_NETWORK_NOTICE).label("Notify sign-ins from a new network")
                    .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                    .helpText("Tell the owner (when, from which network, which application, with 'This was not me') "
                            + "when an account signs in from a network it was not seen from; at most one notice per "
                            + "account and network a day. Read from the standard branch's step.").add()
                .property().name(ResetSettings.WAITING_PERIOD).label("Offer a waiting period")
                    .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                    .helpText("A user who proved one method but cannot meet the policy may wait instead of calling the "
                            + "helpdesk: every channel of the account is told at the start and halfway, any sign-in, "
                            + "cancel or new reset ends the wait, and after it the same browser proves the same method "
                            + "again. Standard accounts only. Read from the standard branch's step.").add()
                .property().name(ResetSettings.WAITING_PERIOD_HOURS).label("Waiting period (hours)")
                    .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(72)
                    .helpText("How long the wait lasts: 24 to 720 hours.").add()
                .build();
    }
}
