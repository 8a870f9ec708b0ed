package io.governedrecovery.governance;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

import io.governedrecovery.controls.ClientAddress;
import io.governedrecovery.controls.ControlSettings;
import io.governedrecovery.controls.RecoveryControlsAuthenticatorFactory;
import io.governedrecovery.core.code.OneTimeCode;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.freeze.RecoveryFreeze;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.limits.FailureBudget;
import io.governedrecovery.limits.SendLimit;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.method.RecoveryMethods;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.reset.ResetSettings;
import io.governedrecovery.reset.ResetSteps;
import io.governedrecovery.store.Counters;
import io.governedrecovery.clock.Clocks;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * A verified change of a recovery contact (the recovery phone number or the email address): the user first proves an
 * existing method (a strong one when the account has one: authenticator app or recovery code; else a code to the
 * current address or number), then enters the new one, which counts only once a code sent to it comes back. The change
 * goes through Keycloak's user profile (as an admin change, the only context allowed to write these attributes), so
 * the contact validator stamps its time (the reset cooldown runs from it), tells the old and the new destination, and
 * reports it.
 */
final class UpdateContactAction implements RequiredActionProvider {

    enum Kind { PHONE, EMAIL }

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s.]{2,63}");
    private static final int CODE_DIGITS = 8;
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final int ATTEMPTS = 5;
    private static final int MAX_SENDS = 3;
    private static final String TEMPLATE = "governed-recovery-contact.ftl";

    private final Kind kind;
    private final String id;
    private final SecureRandom random = new SecureRandom();

    UpdateContactAction(Kind kind, String id) {
        this.kind = kind;
        this.id = id;
    }

    @Override
    public org.keycloak.authentication.InitiatedActionSupport initiatedActionSupport() {
        // Applications may start it (kc_action), for example from a "change recovery phone" link.
        return org.keycloak.authentication.InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // Started by the user (application-initiated action) or an admin; never by itself.
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (frozen(context)) {
            return;
        }
        note(context, "stage", "step-up");
        context.challenge(page(context, "step-up", null));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String action = form.getFirst("action");
        String stage = note(context, "stage");
        if ("cancel".equals(action)) {
            clear(context);
            event(context, "cancelled").success();
            context.cancel();
            return;
        }
        if (frozen(context)) {
            return;
        }
        if (stage == null || !stage.equals(form.getFirst("stage"))) {
            // A stale or crafted form: show where this change really stands.
            String current = stage == null ? "step-up" : stage;
            note(context, "stage", current);
            context.challenge(page(context, current, "governedRecoveryChooseMethod"));
            return;
        }
        switch (stage) {
            case "step-up" -> chooseStepUp(context, form.getFirst("method"));
            case "step-up-code" -> verifyStepUp(context, form.getFirst("code"));
            case "enter" -> enter(context, form.getFirst("value"));
            case "confirm" -> confirm(context, form.getFirst("code"));
            default -> context.challenge(page(context, "step-up", null));
        }
    }

    /**
     * An account whose recovery is frozen (its owner reported a change as not theirs, or an analyst confirmed a
     * finding) changes no contact until the helpdesk lifts the freeze: the page says so and offers only "cancel".
     */
    private boolean frozen(RequiredActionContext context) {
        if (!RecoveryFreeze.isFrozen(context.getUser())) {
            return false;
        }
        clear(context);
        note(context, "stage", "frozen");
        event(context, "frozen").error(RecoveryEvents.ERROR_FROZEN);
        context.challenge(page(context, "frozen", null));
        return true;
    }

    private void chooseStepUp(RequiredActionContext context, String method) {
        Guard guard = Guard.of(context);
        if (method == null || !stepUps(context, guard).contains(method)) {
            context.challenge(page(context, "step-up", "governedRecoveryChooseMethod"));
            return;
        }
        if (guard.budget().paused(guard.subject(method), Clocks.now())) {
            event(context, "step_up_paused").detail(EventDetails.METHOD, method)
                    .error("governed_recovery_method_paused");
            context.challenge(page(context, "step-up", "governedRecoveryContactPaused"));
            return;
        }
        note(context, "method", method);
        if (method.equals("email-code") || method.equals("sms-code")) {
            String to = method.equals("email-code") ? context.getUser().getEmail() : phone(context.getUser());
            if (!send(context, guard, to, method.equals("email-code"), "step_up_code_sent")) {
                context.challenge(page(context, "step-up", "governedRecoveryContactTooManyTries"));
                return;
            }
        }
        note(context, "stage", "step-up-code");
        context.challenge(page(context, "step-up-code", null));
    }

    private void verifyStepUp(RequiredActionContext context, String code) {
        String method = note(context, "method");
        UserModel user = context.getUser();
        Guard guard = Guard.of(context);
        if (method == null || !stepUps(context, guard).contains(method)) {
            note(context, "stage", "step-up");
            context.challenge(page(context, "step-up", "governedRecoveryChooseMethod"));
            return;
        }
        // The try counts before the answer is checked, so parallel tries cannot outrun the budget.
        FailureBudget.Attempt attempt = guard.budget().begin(guard.subject(method), Clocks.now());
        if (!attempt.allowed()) {
            // Spent, by this page or by resets of the same name: no more guesses, right ones included.
            note(context, "stage", "step-up");
            context.challenge(page(context, "step-up", "governedRecoveryContactPaused"));
            return;
        }
        String typed = code == null ? "" : code.replace(" ", "").replace("-", "");
        boolean ok;
        if (typed.isEmpty() || typed.length() > 64) {
            ok = false;
        } else if (method.equals("totp")) {
            ok = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList().stream()
                    .anyMatch(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(),
                            OTPCredentialModel.TYPE, typed)));
        } else if (method.equals("recovery-codes")) {
            ok = user.credentialManager().isValid(UserCredentialModel.buildFromBackupAuthnCode(typed));
        } else {
            ok = checkSentCode(context, typed);
        }
        if (!ok) {
            boolean spent = attempt.spent();
            event(context, "step_up_failed").detail(EventDetails.METHOD, method)
                    .error("governed_recovery_invalid_code");
            if (spent) {
                note(context, "stage", "step-up");
                context.getAuthenticationSession().removeAuthNote(prefix() + "code");
                context.challenge(page(context, "step-up", "governedRecoveryContactPaused"));
                return;
            }
            context.challenge(page(context, "step-up-code", "governedRecoveryContactWrongCode"));
            return;
        }
        guard.budget().succeeded(attempt);
        event(context, "step_up").detail(EventDetails.METHOD, method).success();
        note(context, "stage", "enter");
        context.challenge(page(context, "enter", null));
    }

    private void enter(RequiredActionContext context, String raw) {
        String value = raw == null ? "" : raw.trim();
        if (kind == Kind.EMAIL) {
            value = value.toLowerCase(Locale.ROOT);
        } else {
            value = value.replace(" ", "").replace("-", "");
        }
        boolean valid = value.length() <= 254 && (kind == Kind.PHONE ? E164 : EMAIL).matcher(value).matches();
        if (!valid) {
            context.challenge(page(context, "enter", "governedRecoveryContactInvalid-" + kindName()));
            return;
        }
        String current = kind == Kind.EMAIL ? context.getUser().getEmail() : phone(context.getUser());
        if (value.equalsIgnoreCase(current == null ? "" : current)) {
            context.challenge(page(context, "enter", "governedRecoveryContactSame"));
            return;
        }
        if (!send(context, Guard.of(context), value, kind == Kind.EMAIL, "code_sent")) {
            context.challenge(page(context, "enter", "governedRecoveryContactTooManyTries"));
            return;
        }
        note(context, "value", value);
        note(context, "stage", "confirm");
        context.challenge(page(context, "confirm", null));
    }

    private void confirm(RequiredActionContext context, String code) {
        String typed = code == null ? "" : code.replace(" ", "").replace("-", "");
        String value = note(context, "value");
        if (value == null || typed.isEmpty() || typed.length() > 64 || !checkSentCode(context, typed)) {
            event(context, "confirm_failed").error("governed_recovery_invalid_code");
            if (note(context, "code") == null) {
                // The code is used up; a new one counts against the same send limits (kept across rounds).
                context.getAuthenticationSession().removeAuthNote(prefix() + "value");
                note(context, "stage", "enter");
                context.challenge(page(context, "enter", "governedRecoveryContactTooManyTries"));
                return;
            }
            context.challenge(page(context, "confirm", "governedRecoveryContactWrongCode"));
            return;
        }
        UserModel user = context.getUser();
        try {
            UserProfileProvider profiles = context.getSession().getProvider(UserProfileProvider.class);
            UserProfile current = profiles.create(UserProfileContext.USER_API, user);
            Map<String, List<String>> attributes = new HashMap<>(current.getAttributes().getReadable());
            if (kind == Kind.EMAIL) {
                attributes.put(UserModel.EMAIL, List.of(value));
            } else {
                attributes.put(ResetSettings.DEFAULT_PHONE_ATTRIBUTE, List.of(value));
                attributes.put(ResetSettings.DEFAULT_PHONE_VERIFIED_ATTRIBUTE, List.of("true"));
            }
            profiles.create(UserProfileContext.USER_API, attributes, user).update(false);
        } catch (ValidationException refused) {
            event(context, "refused").error("governed_recovery_invalid_input");
            note(context, "stage", "enter");
            context.challenge(page(context, "enter", "governedRecoveryContactInvalid-" + kindName()));
            return;
        }
        if (kind == Kind.EMAIL) {
            user.setEmailVerified(true);
        }
        clear(context);
        event(context, "changed").success();
        context.success();
    }

    /**
     * Sends a code to {@code to}, within this change's own limit and the cluster-wide limits per account and client
     * address that resets share; each message sent is an event the scorer counts ({@code outcome}).
     */
    private boolean send(RequiredActionContext context, Guard guard, String to, boolean email, String outcome) {
        if (to == null || to.isBlank()) {
            return false;
        }
        int sends = Integer.parseInt(note(context, "sends") == null ? "0" : note(context, "sends"));
        if (sends >= MAX_SENDS) {
            return false;
        }
        UserModel user = context.getUser();
        SendLimit.Outcome allowed = guard.sendLimit().count(context.getRealm().getId(), user.getId(), guard.address(),
                Clocks.now());
        if (allowed != SendLimit.Outcome.ALLOWED) {
            event(context, "rate_limited").detail(EventDetails.REASON,
                    allowed == SendLimit.Outcome.PER_ACCOUNT ? "sends-per-user" : "sends-per-ip")
                    .error("governed_recovery_rate_limited");
            return false;
        }
        note(context, "sends", Integer.toString(sends + 1));
        OneTimeCode.Issued issued = OneTimeCode.issue(random, CODE_DIGITS, Clocks.now(), CODE_LIFETIME, ATTEMPTS);
        note(context, "code", issued.record().serialize());
        Locale locale = context.getSession().getContext().resolveLocale(user);
        RecoveryDelivery delivery = context.getSession().getProvider(RecoveryDelivery.class);
        String realmName = context.getRealm().getDisplayName() != null ? context.getRealm().getDisplayName()
                : context.getRealm().getName();
        long minutes = CODE_LIFETIME.toMinutes();
        if (email) {
            delivery.afterCommit(new OutboundMessage.Email(context.getRealm().getId(), user.getId(), to,
                    "governed-recovery-code.ftl", "governedRecoveryContactCodeSubject", List.of(),
                    Map.of("code", issued.plain(), "minutes", minutes, "purpose", "contact"), locale,
                    "contact-code", "email-code").usableUntil(issued.record().expiresAt()));
        } else {
            delivery.afterCommit(new OutboundMessage.Sms(context.getRealm().getId(), user.getId(), to,
                    "governedRecoveryContactSmsCode", List.of(realmName, issued.plain(), Long.toString(minutes)),
                    locale, "contact-code", "sms-code").usableUntil(issued.record().expiresAt()));
        }
        event(context, outcome).detail(EventDetails.CHANNEL, email ? "MAILBOX" : "PHONE").success();
        return true;
    }

    private boolean checkSentCode(RequiredActionContext context, String typed) {
        String stored = note(context, "code");
        if (stored == null) {
            return false;
        }
        OneTimeCode code = OneTimeCode.parse(stored);
        OneTimeCode.Check check = code.check(typed, Clocks.now());
        if (check.outcome() == OneTimeCode.Outcome.VALID) {
            context.getAuthenticationSession().removeAuthNote(prefix() + "code");
            return true;
        }
        if (check.remaining() == null || check.outcome() != OneTimeCode.Outcome.WRONG
                || check.remaining().attemptsLeft() <= 0) {
            context.getAuthenticationSession().removeAuthNote(prefix() + "code");
        } else {
            note(context, "code", check.remaining().serialize());
        }
        return false;
    }

    /**
     * The ways this account can prove it is itself now: its strong methods when it has any, else its weak ones; a
     * method added or changed within the reset's cooldown never counts, as in the reset.
     */
    private static List<String> stepUps(RequiredActionContext context, Guard guard) {
        List<String> strong = usable(context, guard, List.of("totp", "recovery-codes"));
        return strong.isEmpty() ? usable(context, guard, List.of("email-code", "sms-code")) : strong;
    }

    private static List<String> usable(RequiredActionContext context, Guard guard, List<String> methodIds) {
        List<String> usable = new ArrayList<>();
        Instant now = Clocks.now();
        for (String id : methodIds) {
            RecoveryMethod method = context.getSession().getProvider(RecoveryMethod.class, id);
            if (method == null) {
                continue;
            }
            method.registration(context.getRealm(), context.getUser(), guard.methodSettings())
                    .filter(r -> !r.changedAt().plus(guard.cooldown()).isAfter(now))
                    .ifPresent(r -> usable.add(id));
        }
        return usable;
    }

    private static String phone(UserModel user) {
        return user.getFirstAttribute(ResetSettings.DEFAULT_PHONE_ATTRIBUTE);
    }

    private Response page(RequiredActionContext context, String stage, String error) {
        var form = context.form().setAttribute("contact", new ContactPageBean(kindName(), stage,
                stage.equals("step-up") ? stepUps(context, Guard.of(context)) : List.of()));
        if (error != null) {
            form.setError(error);
        }
        return form.createForm(TEMPLATE);
    }

    private EventBuilder event(RequiredActionContext context, String outcome) {
        return context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail("custom_required_action", id).detail(EventDetails.STEP, "contact_change")
                .detail(EventDetails.OUTCOME, outcome)
                .detail(EventDetails.METHOD, kind == Kind.EMAIL ? "email-code" : "sms-code");
    }

    private String kindName() {
        return kind == Kind.EMAIL ? "email" : "phone";
    }

    private String prefix() {
        return "governed-recovery.contact." + kindName() + ".";
    }

    private String note(RequiredActionContext context, String name) {
        return context.getAuthenticationSession().getAuthNote(prefix() + name);
    }

    private void note(RequiredActionContext context, String name, String value) {
        context.getAuthenticationSession().setAuthNote(prefix() + name, value);
    }

    private void clear(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        for (String name : List.of("stage", "method", "code", "value")) {
            authSession.removeAuthNote(prefix() + name);
        }
    }

    /**
     * The limits a contact change shares with resets: the standard reset step's failure budget and cooldown, and the
     * recovery controls' send limits and trusted proxies (for the client address both count).
     */
    private record Guard(FailureBudget budget, SendLimit sendLimit, String address, String username, String realmId,
                         MethodSettings methodSettings, Duration cooldown) {

        static Guard of(RequiredActionContext context) {
            RealmModel realm = context.getRealm();
            List<String> installed = RecoveryMethods.installed(context.getSession().getKeycloakSessionFactory());
            ResetSettings reset;
            try {
                reset = ResetSettings.from(ResetSteps.config(realm, ResetSettings.Branch.STANDARD).orElse(Map.of()),
                        installed);
            } catch (IllegalArgumentException broken) {
                reset = ResetSettings.from(Map.of(), installed); // the shipped defaults, never a looser rule
            }
            ControlSettings controls = RecoveryControlsAuthenticatorFactory.inForce(context.getSession(), realm);
            if (controls == null) {
                controls = ControlSettings.DEFAULTS;
            }
            String address = ClientAddress.of(context.getConnection().getRemoteAddr(),
                    context.getHttpRequest().getHttpHeaders().getRequestHeader("X-Forwarded-For"),
                    controls.trustedProxies());
            Counters counters = new Counters(context.getSession());
            return new Guard(new FailureBudget(counters, reset.failureBudget(), reset.failureBudgetTotal(),
                    reset.failureWindow()),
                    new SendLimit(counters, controls.sendsPerUserHour(), controls.sendsPerAddressHour()), address,
                    context.getUser().getUsername(), realm.getId(), reset.methodSettings(),
                    reset.policy().cooldown());
        }

        FailureBudget.Subject subject(String methodId) {
            return new FailureBudget.Subject(realmId, methodId, username, address);
        }
    }

    @Override
    public void close() {
        // Per request.
    }
}
