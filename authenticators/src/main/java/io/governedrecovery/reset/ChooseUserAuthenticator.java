package io.governedrecovery.reset;

import java.util.Locale;
import java.util.Map;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.validation.Validation;

import io.governedrecovery.compat.KeycloakApi;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.flow.Step;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.privacy.Pseudonyms;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.privileged.Tiers;

/**
 * Asks which account to recover, on Keycloak's own "Forgot your password?" page. Unlike the stock step it emits the
 * same kind of event, on the same path, whether the name matches an account or not, so neither the page nor its
 * timing tells them apart; input no account could have (too long, control characters) is treated as unknown.
 */
final class ChooseUserAuthenticator implements Step {

    static final ChooseUserAuthenticator SINGLETON = new ChooseUserAuthenticator();

    /** Keycloak's ResetCredentialChooseUser.RESET_CREDENTIAL_USER_CHOSEN (not in every supported version). */
    static final String USER_CHOSEN = "RESET_CREDENTIAL_USER_CHOSEN";

    /** Longer than any username or email Keycloak stores. */
    private static final int MAX_NAME = 255;

    private ChooseUserAuthenticator() {
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RecoveryEvents.refusedAccount(context.getAuthenticationSession(), null);
        AuthenticationManager.AuthResult signedIn =
                AuthenticationManager.authenticateIdentityCookie(context.getSession(), context.getRealm(), true);
        UserModel signedInUser = signedIn == null ? null : KeycloakApi.user(signedIn);
        if (signedInUser != null && !refused(context, signedInUser)) {
            // A signed-in user recovers their own account; the next step still demands every method.
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME,
                    signedInUser.getUsername());
            context.setUser(signedInUser);
            RecoveryEvents.step(context, "identify", Map.of(RecoveryEvents.OUTCOME, "signed_in")).success();
            context.success();
            return;
        }
        UserModel preset = context.getUser();
        if (preset != null && preset.isEnabled() && !refused(context, preset)) {
            // Keycloak set the user itself (a reset link of the realm's fallback opened in another browser): the steps
            // after this one still decide what the reset needs.
            context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME,
                    preset.getUsername());
            RecoveryEvents.step(context, "identify", Map.of(RecoveryEvents.OUTCOME, "preset")).success();
            context.success();
            return;
        }
        context.challenge(context.form().createPasswordReset());
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        StepTiming.markStart(context.getSession());
        String typed = context.getHttpRequest().getDecodedFormParameters().getFirst("username");
        if (typed == null || typed.isBlank()) {
            context.getEvent().error(org.keycloak.events.Errors.USERNAME_MISSING);
            context.forceChallenge(context.form()
                    .addError(new FormMessage(Validation.FIELD_USERNAME, Messages.MISSING_USERNAME))
                    .createPasswordReset());
            return;
        }
        String name = typed.trim();
        UserModel user = plausible(name) ? lookup(context, name) : null;
        // A break-glass account, or one whose recovery is frozen, is never recovered by self-service: it walks the
        // pages of an unknown account.
        boolean breakGlass = user != null && user.isEnabled() && breakGlass(context, user);
        boolean frozen = user != null && user.isEnabled() && !breakGlass && RecoveryFreeze.isFrozen(user);
        boolean refused = breakGlass || frozen;
        boolean usable = user != null && user.isEnabled() && !refused;
        String outcome = user == null ? "unknown" : breakGlass ? "break_glass" : frozen ? "frozen"
                : usable ? "found" : "disabled";

        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME,
                shorten(name));
        // Show the typed name on the next pages whether or not it matched: Keycloak otherwise shows it only for a match.
        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.USERNAME_HIDDEN, "true");
        RecoveryEvents.refusedAccount(context.getAuthenticationSession(), refused ? user : null, frozen);
        if (usable) {
            // As Keycloak's own step does (26.7 reads it): a username-password form met later in this
            // authentication session starts without the account chosen here.
            context.getAuthenticationSession().setAuthNote(USER_CHOSEN, "true");
            context.setUser(user);
        } else {
            context.clearUser();
        }
        // One event on one path for every outcome: the outcome is in the details, for the security team only. The
        // event names the account it matched, or a pseudonym of what was typed (it may be an email address or a
        // password typed into the wrong field): never the typed text itself.
        var event = RecoveryEvents.step(context, "identify", Map.of(RecoveryEvents.OUTCOME, outcome))
                .detail(Details.USERNAME, user != null ? user.getUsername()
                        : Pseudonyms.of(context.getSession(), context.getRealm(), name));
        if (user != null) {
            event.user(user);
        }
        if (breakGlass) {
            event.detail(RecoveryEvents.TIER, EventDetails.TIER_BREAK_GLASS)
                    .error(RecoveryEvents.ERROR_BREAK_GLASS);
        } else if (frozen) {
            event.detail(EventDetails.FROZEN, "true").error(RecoveryEvents.ERROR_FROZEN);
        } else {
            event.success();
        }
        context.success();
    }

    /** Whether self-service never recovers this account: break-glass, or its recovery frozen. */
    private static boolean refused(AuthenticationFlowContext context, UserModel user) {
        return breakGlass(context, user) || RecoveryFreeze.isFrozen(user);
    }

    /** Whether the account is break-glass; a broken tier definition counts as yes (fail closed). */
    private static boolean breakGlass(AuthenticationFlowContext context, UserModel user) {
        try {
            return Tiers.isBreakGlass(context.getSession(), context.getRealm(), user,
                    TierDefinition.forRealm(context.getRealm()));
        } catch (IllegalArgumentException broken) {
            return !EventDetails.TIER_STANDARD.equals(Tiers.of(context.getSession(), context.getRealm(), user));
        }
    }

    private static UserModel lookup(AuthenticationFlowContext context, String name) {
        RealmModel realm = context.getRealm();
        UserModel user = context.getSession().users().getUserByUsername(realm, name.toLowerCase(Locale.ROOT));
        if (user == null && realm.isLoginWithEmailAllowed() && name.contains("@")) {
            user = context.getSession().users().getUserByEmail(realm, name);
        }
        return user;
    }

    /** Whether some account could carry this name: not too long, no control characters. */
    static boolean plausible(String name) {
        if (name.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String name) {
        String printable = name.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= MAX_NAME ? printable : printable.substring(0, MAX_NAME) + "...";
    }
}
