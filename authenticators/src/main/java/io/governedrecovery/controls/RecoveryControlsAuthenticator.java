package io.governedrecovery.controls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.risk.Risk;
import io.governedrecovery.flow.AppliedControls;
import io.governedrecovery.flow.Step;
import io.governedrecovery.limits.CountedAddress;
import io.governedrecovery.reset.RecoveryPages;
import io.governedrecovery.risk.RecoveryRisk;
import io.governedrecovery.store.Counters;

/**
 * Conditional controls on a reset, right after the account is named and before any method: network rules (deny and
 * allow lists, an anonymizer list, X-Forwarded-For only from trusted proxies), cluster-wide limits on reset starts
 * per address and per typed name, and the scorer's current risk of the account and the address. A refusal shows the
 * neutral helpdesk page, whatever name was typed; a step-up or a high risk is applied by the reset steps. Every
 * decision is an event with its reasons.
 */
final class RecoveryControlsAuthenticator implements Step {

    private static final Duration HOUR = Duration.ofHours(1);

    private final KeycloakSession session;
    private final RecoveryControlsAuthenticatorFactory factory;

    RecoveryControlsAuthenticator(KeycloakSession session, RecoveryControlsAuthenticatorFactory factory) {
        this.session = session;
        this.factory = factory;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        ControlSettings settings = factory.settings(realm, context.getAuthenticatorConfig());
        if (settings == null) {
            event(context, "misconfigured", List.of("invalid settings"), null)
                    .error(io.governedrecovery.flow.RecoveryEvents.ERROR_MISCONFIGURED);
            context.challenge(RecoveryPages.neutralHelpdesk(context, null));
            return;
        }
        UserModel user = context.getUser();
        String typed = context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        String ip = ClientAddress.of(context.getConnection().getRemoteAddr(),
                context.getHttpRequest().getHttpHeaders().getRequestHeader("X-Forwarded-For"),
                settings.trustedProxies());

        List<String> reasons = new ArrayList<>();
        ControlSettings.Action network = ControlSettings.Action.ALLOW;
        if (settings.denied().stream().anyMatch(c -> c.contains(ip))) {
            network = max(network, settings.deniedAction());
            reasons.add("deny-cidr");
        }
        if (!settings.allowed().isEmpty() && settings.allowed().stream().noneMatch(c -> c.contains(ip))) {
            network = max(network, settings.outsideAllowedAction());
            reasons.add("outside-allow-cidrs");
        }
        if (settings.anonymizerSource() != null) {
            if (factory.lists().contains(settings.anonymizerSource(), ip)) {
                network = max(network, settings.anonymizerAction());
                reasons.add("anonymizer");
            } else if (!factory.lists().ready(settings.anonymizerSource())) {
                reasons.add("anonymizer-list-unavailable"); // not read yet, or refused: it counts as empty
            }
        }
        if (network == ControlSettings.Action.DENY) {
            event(context, "deny", reasons, ip).error(ERROR_NETWORK);
            context.challenge(RecoveryPages.neutralHelpdesk(context, null));
            return;
        }

        Counters counters = new Counters(session);
        Instant now = Clocks.now();
        double fromAddress = counters.increment(realm.getId(), "start-ip", CountedAddress.of(ip), HOUR, now);
        double forName = counters.increment(realm.getId(), "start-name", hash(typed), HOUR, now);
        if (fromAddress > settings.startsPerAddressHour() || forName > settings.startsPerNameHour()) {
            List<String> limited = new ArrayList<>(reasons);
            limited.add(fromAddress > settings.startsPerAddressHour() ? "starts-per-ip" : "starts-per-name");
            event(context, "rate_limited", limited, ip).error(ERROR_RATE_LIMITED);
            context.challenge(RecoveryPages.neutralHelpdesk(context, "governedRecoveryTryLater"));
            return;
        }

        Risk risk = Risk.NONE;
        RecoveryRisk scorer = session.getProvider(RecoveryRisk.class);
        if (settings.riskPolicy() && scorer != null) {
            risk = scorer.of(realm, user, typed, ip);
            if (risk.level() != Risk.Level.NORMAL) {
                reasons.add("risk-" + risk.level().name().toLowerCase(Locale.ROOT)
                        + (risk.reasons().isEmpty() ? "" : ":" + String.join("+", risk.reasons())));
            }
        }
        int extra = (network == ControlSettings.Action.STEP_UP ? 1 : 0) + (risk.level() == Risk.Level.ELEVATED ? 1 : 0);
        boolean refused = risk.level() == Risk.Level.HIGH;
        new AppliedControls(extra, refused, settings.sendsPerUserHour(), settings.sendsPerAddressHour(), ip)
                .store(context.getAuthenticationSession(), user);
        String decision = refused ? "no_self_service" : extra > 0 ? "step_up" : "allow";
        event(context, decision, reasons, ip).detail("gr_extra_strong", Integer.toString(extra)).success();
        context.success();
    }

    static final String ERROR_NETWORK = "governed_recovery_network_denied";
    static final String ERROR_RATE_LIMITED = "governed_recovery_rate_limited";

    private static ControlSettings.Action max(ControlSettings.Action a, ControlSettings.Action b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static EventBuilder event(AuthenticationFlowContext context, String decision, List<String> reasons,
                                      String clientIp) {
        EventBuilder event = context.getEvent().clone().event(EventType.RESET_PASSWORD)
                .detail(EventDetails.STEP, "controls").detail(EventDetails.DECISION, decision);
        if (!reasons.isEmpty()) {
            event.detail(EventDetails.REASON, String.join(",", reasons));
        }
        if (clientIp != null && !clientIp.equals(context.getConnection().getRemoteAddr())) {
            event.detail("gr_client_ip", clientIp);
        }
        if (context.getUser() != null) {
            event.user(context.getUser());
        }
        return event;
    }

    /** The typed name, normalized and hashed: limits count names, existing or not, and keep no name in the table. */
    private static String hash(String typed) {
        String name = typed == null ? "" : typed.trim().toLowerCase(Locale.ROOT);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // No form of its own: the helpdesk page it may show links back to the sign-in page.
        context.challenge(RecoveryPages.neutralHelpdesk(context, null));
    }
}
