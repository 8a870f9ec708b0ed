package io.governedrecovery.it.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/** The reset's pages walked with plain HTTP, step by step, for the fault scenarios. */
final class Walks {

    static final String METHODS_FORM = "governed-recovery-methods-form";
    static final String CODE_FORM = "governed-recovery-code-form";
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    static final String LOST_FORM = "governed-recovery-lost-form";
    static final String DONE = "id=\"governed-recovery-done\"";
    static final String CONTACT_FORM = "governed-recovery-contact-form";
    static final String WAITING_FORM = "governed-recovery-approval-form";
    static final String CAMPAIGN_FORM = "governed-recovery-register-form";
    static final String DECISION_FORM = "governed-recovery-decision-form";
    static final String NOTICE_SUBJECT = "Your password was reset";
    static final String CODE_SUBJECT = "Your verification code";

    private Walks() {
    }

    /** On the methods page, picks {@code method}: the code page (a sent code leaves after this request). */
    static FlowClient.Page select(FlowClient client, FlowClient.Page methods, String method) {
        return client.post(methods.formAction(METHODS_FORM), Map.of("action", "select", "method", method));
    }

    /** On a code page, sends {@code code}; follows a redirect. */
    static FlowClient.Page verify(FlowClient client, FlowClient.Page codePage, String code) {
        return client.postFollowing(codePage.formAction(CODE_FORM), Map.of("action", "verify", "code", code));
    }

    /** Whether {@code page} shows {@code method} proven: checked off on the methods page, or the new-password page. */
    static boolean accepted(FlowClient.Page page, String method) {
        return page.has(NEW_PASSWORD_FORM) || Pattern.compile("id=\"governed-recovery-method-" + Pattern.quote(method)
                + "\"[^>]*disabled").matcher(page.body()).find();
    }

    /** On the new-password page, sets {@code password}, keeps every method if asked about lost ones: the last page. */
    static FlowClient.Page setPassword(FlowClient client, FlowClient.Page newPassword, String password) {
        FlowClient.Page next = client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", password, "password-confirm", password));
        if (next.has(LOST_FORM)) {
            next = client.postFollowing(next.formAction(LOST_FORM), Map.of("action", "continue"));
        }
        return next;
    }

    static boolean done(FlowClient.Page page) {
        return page.has(DONE);
    }

    /** The next code mailed to {@code address} (waiting up to {@code timeout}). */
    static String mailedCode(MailCatcher mail, String address, Duration timeout) {
        return Codes.in(mail.next(address, timeout).text());
    }

    /**
     * A whole governed reset on {@code realm}'s server: the name, a code by email, the authenticator app, the new
     * password; returns the last page (the done page when it worked).
     */
    static FlowClient.Page fullReset(TestRealm realm, MailCatcher mail, String username, String totpSecret,
                                     String newPassword) {
        return fullReset(new FlowClient(), realm, mail, username, totpSecret, newPassword);
    }

    /** The same with {@code client} (its headers: a browser's Accept, a forwarded address). */
    static FlowClient.Page fullReset(FlowClient client, TestRealm realm, MailCatcher mail, String username,
                                     String totpSecret, String newPassword) {
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), username);
        FlowClient.Page codePage = select(client, methods, "email-code");
        FlowClient.Page afterEmail = verify(client, codePage, mailedCode(mail, username + "@example.test",
                Duration.ofSeconds(60)));
        FlowClient.Page afterApp = verify(client, select(client, afterEmail, "totp"), Totp.unused(totpSecret));
        if (!afterApp.has(NEW_PASSWORD_FORM)) {
            return afterApp;
        }
        return setPassword(client, afterApp, newPassword);
    }
}
