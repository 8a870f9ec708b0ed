package io.governedrecovery.reset;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.UserModel;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.code.OneTimeCode;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.delivery.RecoveryDelivery;
import io.governedrecovery.flow.AppliedControls;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.limits.SendLimit;
import io.governedrecovery.method.MethodContext;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.store.Counters;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/** The {@link MethodContext} of one request of the governed reset flow, for one method. */
final class RecoveryMethodContext implements MethodContext {

    private final AuthenticationFlowContext flow;
    private final ResetState state;
    private final RecoveryMethod method;
    private final Optional<RegisteredMethod> registration;
    private final ResetSettings settings;
    private final RecoveryPageBean bean;
    private final SecureRandom random;
    private final Instant now;
    private LoginFormsProvider page;

    RecoveryMethodContext(AuthenticationFlowContext flow, ResetState state, RecoveryMethod method,
                          Optional<RegisteredMethod> registration, ResetSettings settings, RecoveryPageBean bean,
                          SecureRandom random, Instant now) {
        this.flow = flow;
        this.state = state;
        this.method = method;
        this.registration = registration;
        this.settings = settings;
        this.bean = bean;
        this.random = random;
        this.now = now;
    }

    @Override
    public AuthenticationFlowContext flow() {
        return flow;
    }

    @Override
    public Optional<UserModel> user() {
        return Optional.ofNullable(flow.getUser());
    }

    @Override
    public Optional<RegisteredMethod> registration() {
        return registration;
    }

    @Override
    public MethodSettings settings() {
        return settings.methodSettings();
    }

    @Override
    public MultivaluedMap<String, String> formParameters() {
        return flow.getHttpRequest().getDecodedFormParameters();
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public SecureRandom random() {
        return random;
    }

    @Override
    public Locale locale() {
        return flow.getSession().getContext().resolveLocale(flow.getUser());
    }

    @Override
    public Optional<OneTimeCode> storedCode() {
        return Optional.ofNullable(OneTimeCode.parse(state.code(method.id())));
    }

    @Override
    public void storeCode(OneTimeCode code) {
        state.setCode(method.id(), code == null ? null : code.serialize());
    }

    @Override
    public Optional<String> note(String name) {
        return Optional.ofNullable(flow.getAuthenticationSession()
                .getAuthNote(ResetState.PREFIX + method.id() + "." + name));
    }

    @Override
    public void setNote(String name, String value) {
        String key = ResetState.PREFIX + method.id() + "." + name;
        if (value == null) {
            flow.getAuthenticationSession().removeAuthNote(key);
        } else {
            flow.getAuthenticationSession().setAuthNote(key, value);
        }
    }

    @Override
    public int sends() {
        return state.sends(method.id());
    }

    @Override
    public void countSend() {
        state.countSend(method.id());
    }

    @Override
    public LoginFormsProvider page() {
        if (page == null) {
            page = RecoveryPages.base(flow, bean);
        }
        return page;
    }

    @Override
    public Response codePage(String instructionKey, List<String> args, String destination) {
        bean.instruction(instructionKey, args).destination(destination).resendable(method.resendable())
                .codeLength(settings.methodSettings().codeLength());
        if (method.strength() == io.governedrecovery.core.policy.Strength.STRONG && !method.resendable()) {
            bean.textInput();
        }
        return page().createForm(RecoveryPages.CODE);
    }

    @Override
    public boolean allowSend() {
        if (flow.getUser() == null) {
            return true; // nothing is sent to a name without an account
        }
        // The limits the controls step decided for this flow; the shipped defaults if there is no controls step.
        var controls = AppliedControls.of(flow.getAuthenticationSession(), flow.getUser());
        int perAccount = controls.map(AppliedControls::sendsPerUserHour)
                .orElse(AppliedControls.DEFAULT_SENDS_PER_USER_HOUR);
        int perAddress = controls.map(AppliedControls::sendsPerAddressHour)
                .orElse(AppliedControls.DEFAULT_SENDS_PER_ADDRESS_HOUR);
        String address = controls.map(AppliedControls::clientAddress).orElse(flow.getConnection().getRemoteAddr());
        SendLimit.Outcome outcome = new SendLimit(new Counters(flow.getSession()), perAccount, perAddress)
                .count(flow.getRealm().getId(), flow.getUser().getId(), address, now);
        if (outcome != SendLimit.Outcome.ALLOWED) {
            RecoveryEvents.step(flow, "challenge", Map.of(RecoveryEvents.METHOD, method.id(),
                    RecoveryEvents.OUTCOME, "rate_limited", RecoveryEvents.REASON,
                    outcome == SendLimit.Outcome.PER_ACCOUNT ? "sends-per-user" : "sends-per-ip"))
                    .error(RecoveryEvents.ERROR_RATE_LIMITED);
        }
        return outcome == SendLimit.Outcome.ALLOWED;
    }

    @Override
    public RecoveryDelivery delivery() {
        return flow.getSession().getProvider(RecoveryDelivery.class);
    }
}
