package io.governedrecovery.method;

import java.util.List;
import java.util.Optional;

import io.governedrecovery.core.code.OneTimeCode;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.delivery.OutboundMessage;

/**
 * A method that proves control of a destination (a mailbox, a phone) by sending a code to it. Every challenge keeps a
 * fresh code (hashed) in the authentication session; only a registered destination is sent one, so an unknown user's
 * code simply never arrives and every try fails the same way.
 */
public abstract class SentCodeMethod extends AbstractRecoveryMethod {

    public static final String CODE_FIELD = "code";

    protected SentCodeMethod(String id, Strength strength, ChannelKind channelKind) {
        super(id, strength, channelKind);
    }

    /** The destination to send to, when the user has one registered for this method. */
    protected abstract Optional<String> destination(MethodContext context);

    /** The message carrying {@code code} to {@code destination}. */
    protected abstract OutboundMessage message(MethodContext context, String destination, String code);

    /** Message key of the page's instruction; argument {0} is the code's lifetime in minutes. */
    protected abstract String instructionKey();

    /** The destination as the page may show it when masked destinations are enabled. */
    protected abstract String mask(String destination);

    @Override
    public boolean resendable() {
        return true;
    }

    @Override
    public void prepare(MethodContext context) {
        MethodSettings settings = context.settings();
        OneTimeCode.Issued issued = OneTimeCode.issue(context.random(), settings.codeLength(), context.now(),
                settings.codeLifetime(), settings.codeAttempts());
        context.storeCode(issued.record());
        context.countSend();
        if (context.registration().isPresent() && destination(context).isPresent() && context.allowSend()) {
            // Retried while the code lives (a mail server away for a while), never after.
            context.delivery().afterCommit(message(context, destination(context).get(), issued.plain())
                    .usableUntil(issued.record().expiresAt()));
        }
    }

    @Override
    public jakarta.ws.rs.core.Response page(MethodContext context) {
        String shown = null;
        if (context.settings().showMaskedDestinations() && context.registration().isPresent()) {
            shown = destination(context).map(this::mask).orElse(null);
        }
        return context.codePage(instructionKey(), List.of(Long.toString(lifetimeMinutes(context))), shown);
    }

    @Override
    public Verification verify(MethodContext context) {
        String typed = context.formParameters().getFirst(CODE_FIELD);
        if (typed == null || typed.isBlank()) {
            return Verification.INCOMPLETE;
        }
        Optional<OneTimeCode> stored = context.storedCode();
        if (stored.isEmpty()) {
            return Verification.EXHAUSTED;
        }
        OneTimeCode.Check check = stored.get().check(typed, context.now());
        context.storeCode(check.remaining());
        return switch (check.outcome()) {
            case VALID -> context.registration().isPresent() ? Verification.VERIFIED : Verification.WRONG;
            case WRONG -> Verification.WRONG;
            case EXPIRED -> Verification.EXPIRED;
            case EXHAUSTED -> Verification.EXHAUSTED;
        };
    }

    protected static long lifetimeMinutes(MethodContext context) {
        return Math.max(1, (context.settings().codeLifetime().toSeconds() + 59) / 60);
    }

    /** Keeps the first and last character of each part, for example {@code a•••e@e•••e.test}. */
    protected static String maskEmail(String address) {
        int at = address.indexOf('@');
        if (at <= 0) {
            return "•••";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        String host = dot > 0 ? domain.substring(0, dot) : domain;
        String tld = dot > 0 ? domain.substring(dot) : "";
        return edges(local) + "@" + edges(host) + tld;
    }

    /** Keeps the country prefix and the last two digits, for example {@code +49•••••67}. */
    protected static String maskPhone(String number) {
        String digits = number.replaceAll("[^0-9+]", "");
        if (digits.length() <= 5) {
            return "•••";
        }
        return digits.substring(0, 3) + "•".repeat(Math.max(3, digits.length() - 5)) + digits.substring(digits.length() - 2);
    }

    private static String edges(String part) {
        if (part.length() <= 2) {
            return part.charAt(0) + "•••";
        }
        return part.charAt(0) + "•••" + part.charAt(part.length() - 1);
    }

    /** The arguments most code messages share: the code and its lifetime in minutes. */
    protected static List<Object> codeArgs(MethodContext context, String code) {
        return List.of(code, lifetimeMinutes(context));
    }
}
