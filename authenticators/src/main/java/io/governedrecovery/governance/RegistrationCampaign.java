package io.governedrecovery.governance;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;
import org.keycloak.services.managers.AuthenticationManager;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.clock.Clocks;

/**
 * The registration campaign: members of the target groups who have not registered enough recovery methods for their
 * tier are asked at sign-in to register them (an authenticator app, a passkey, recovery codes), may put it off a few
 * times before the deadline, and must register after it. Everyone it targets reviews their methods every few days when
 * the realm asks for it.
 */
final class RegistrationCampaign implements RequiredActionProvider {

    private static final Logger LOG = Logger.getLogger(RegistrationCampaign.class);

    static final String SNOOZED = "governed-recovery.register.snoozed";
    static final String REVIEWED_AT = "governed-recovery.methods-reviewed-at";
    static final String TEMPLATE = "governed-recovery-register.ftl";
    /** Set when the user put it off or confirmed in this sign-in: not asked again until the next one. */
    static final String ANSWERED = "governed-recovery.register.answered";
    /** The registration pages it can send a user to, in the order shown. */
    static final List<String> REGISTRATIONS = List.of("CONFIGURE_TOTP", "webauthn-register-passwordless",
            "CONFIGURE_RECOVERY_AUTHN_CODES");

    @Override
    public org.keycloak.authentication.InitiatedActionSupport initiatedActionSupport() {
        // Applications may start it (kc_action), for example from a "change recovery phone" link.
        return org.keycloak.authentication.InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        CampaignSettings settings = settings(context);
        UserModel user = context.getUser();
        if (settings == null || user == null || endsAfterActions(context) || !atBrowser(context)
                || !targeted(context.getRealm(), user, settings, context)
                || (context.getAuthenticationSession() != null
                        && context.getAuthenticationSession().getAuthNote(ANSWERED) != null)) {
            return;
        }
        Compliance.Standing standing = new Compliance(context.getSession(), context.getRealm()).of(user);
        if (!standing.applicable()) {
            return;
        }
        if (!standing.meets() || reviewDue(user, settings)) {
            user.addRequiredAction(RegistrationCampaignFactory.ID);
        }
    }

    /**
     * Whether this is the end of a reset or of an emailed action link (Keycloak then ends the flow after the required
     * actions): nobody proved the account's sign-in there, so nothing is enrolled; the campaign asks at the next real
     * sign-in instead.
     */
    private static boolean endsAfterActions(RequiredActionContext context) {
        var authSession = context.getAuthenticationSession();
        return authSession != null && authSession.getAuthNote(AuthenticationManager.END_AFTER_REQUIRED_ACTIONS) != null;
    }

    /**
     * Whether the person is at a browser, where the campaign can show its page: not a password grant or another
     * request without pages (Keycloak would refuse it as "not fully set up"; the campaign never breaks a sign-in).
     */
    private static boolean atBrowser(RequiredActionContext context) {
        var authSession = context.getAuthenticationSession();
        return authSession != null && authSession.getAuthNote(AuthenticationProcessor.CURRENT_FLOW_PATH) != null;
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        active(context).ifPresent(settings -> challenge(context, settings));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        active(context).ifPresent(settings -> process(context, settings));
    }

    /**
     * The campaign's settings when it has something to do in this request. Otherwise the action is answered here:
     * ignored when the sign-in ends after the required actions, done when the campaign is off.
     */
    private Optional<CampaignSettings> active(RequiredActionContext context) {
        if (endsAfterActions(context)) {
            context.ignore();
            return Optional.empty();
        }
        CampaignSettings settings = settings(context);
        if (settings == null) {
            context.success();
            return Optional.empty();
        }
        return Optional.of(settings);
    }

    private void challenge(RequiredActionContext context, CampaignSettings settings) {
        Compliance.Standing standing = new Compliance(context.getSession(), context.getRealm()).of(context.getUser());
        if (!standing.applicable() || (standing.meets() && !reviewDue(context.getUser(), settings))) {
            context.success();
            return;
        }
        context.challenge(page(context, settings, standing, null));
    }

    private void process(RequiredActionContext context, CampaignSettings settings) {
        UserModel user = context.getUser();
        Compliance.Standing standing = new Compliance(context.getSession(), context.getRealm()).of(user);
        String action = context.getHttpRequest().getDecodedFormParameters().getFirst("action");
        action = action == null ? "" : action;
        if (action.startsWith("register:") && available(context.getRealm()).contains(action.substring(9))) {
            String registration = action.substring(9);
            context.getAuthenticationSession().addRequiredAction(registration);
            user.removeRequiredAction(RegistrationCampaignFactory.ID);
            event(context, "registering", Map.of(EventDetails.METHOD, registration)).success();
            context.success();
        } else if (action.equals("later") && snoozesLeft(user, settings) > 0 && !standing.meets()) {
            int used = snoozed(user) + 1;
            user.setSingleAttribute(SNOOZED, Integer.toString(used));
            context.getAuthenticationSession().setAuthNote(ANSWERED, "snoozed");
            event(context, "snoozed", Map.of("gr_snoozes_left", Integer.toString(snoozesLeft(user, settings))))
                    .success();
            context.success();
        } else if (action.equals("confirm") && standing.meets()) {
            user.setSingleAttribute(REVIEWED_AT, Long.toString(Clocks.millis()));
            user.removeAttribute(SNOOZED);
            context.getAuthenticationSession().setAuthNote(ANSWERED, "confirmed");
            event(context, "confirmed", Map.of("gr_methods", String.join(",", standing.methods()))).success();
            context.success();
        } else {
            event(context, "invalid_request", Map.of()).error("governed_recovery_invalid_request");
            context.challenge(page(context, settings, standing, "governedRecoveryRegisterChoose"));
        }
    }

    private jakarta.ws.rs.core.Response page(RequiredActionContext context, CampaignSettings settings,
                                             Compliance.Standing standing, String error) {
        UserModel user = context.getUser();
        RegistrationPageBean bean = new RegistrationPageBean(standing.meets(), standing.methods(),
                standing.requiredMethods(), standing.requiredStrong(), available(context.getRealm()),
                standing.meets() ? 0 : snoozesLeft(user, settings),
                settings.deadline().map(LocalDate::toString).orElse(null));
        var form = context.form().setAttribute("register", bean);
        if (error != null) {
            form.setError(error);
        }
        if (!standing.meets() && snoozesLeft(user, settings) == 0) {
            event(context, "enforced", Map.of()).success();
        }
        return form.createForm(TEMPLATE);
    }

    private static List<String> available(RealmModel realm) {
        List<String> found = new ArrayList<>();
        for (String alias : REGISTRATIONS) {
            RequiredActionProviderModel model = realm.getRequiredActionProviderByAlias(alias);
            if (model != null && model.isEnabled()) {
                found.add(alias);
            }
        }
        return found;
    }

    static int snoozed(UserModel user) {
        try {
            String raw = user.getFirstAttribute(SNOOZED);
            return raw == null ? 0 : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // a tampered counter grants nothing
        }
    }

    static int snoozesLeft(UserModel user, CampaignSettings settings) {
        if (settings.deadline().isPresent() && LocalDate.now(ZoneOffset.UTC).isAfter(settings.deadline().get())) {
            return 0;
        }
        return Math.max(0, settings.snoozes() - snoozed(user));
    }

    private static boolean reviewDue(UserModel user, CampaignSettings settings) {
        if (settings.reconfirmDays() == 0) {
            return false;
        }
        String raw = user.getFirstAttribute(REVIEWED_AT);
        long reviewed;
        try {
            reviewed = raw == null ? 0 : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            reviewed = 0;
        }
        return Clocks.millis() - reviewed > settings.reconfirmDays() * 86_400_000L;
    }

    private static boolean targeted(RealmModel realm, UserModel user, CampaignSettings settings,
                                    RequiredActionContext context) {
        if (settings.targetGroups().isEmpty()) {
            return true;
        }
        for (String path : settings.targetGroups()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(context.getSession(), realm, path);
            if (group != null && RoleUtils.isMember(user.getGroupsStream(), group)) {
                return true;
            }
        }
        return false;
    }

    private static CampaignSettings settings(RequiredActionContext context) {
        try {
            return CampaignSettings.from(context.getConfig() == null ? null : context.getConfig().getConfig());
        } catch (IllegalArgumentException bad) {
            LOG.errorf("Governed Recovery registration campaign in realm '%s' is misconfigured and asks nobody until "
                    + "fixed: %s", context.getRealm().getName(), bad.getMessage());
            return null;
        }
    }

    private static org.keycloak.events.EventBuilder event(RequiredActionContext context, String outcome,
                                                          Map<String, String> details) {
        var event = context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail("custom_required_action", RegistrationCampaignFactory.ID)
                .detail(EventDetails.STEP, "register").detail(EventDetails.OUTCOME, outcome);
        details.forEach(event::detail);
        return event;
    }

    @Override
    public void close() {
        // Stateless.
    }
}
