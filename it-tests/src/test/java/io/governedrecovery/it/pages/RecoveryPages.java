package io.governedrecovery.it.pages;

import org.openqa.selenium.By;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The governed reset's own pages, as a user walks them: the method selection, a code page, the passkey page and the
 * helpdesk page.
 */
public final class RecoveryPages {

    public static final By METHODS_FORM = By.id("governed-recovery-methods-form");
    public static final By CODE_FIELD = By.id("code");
    public static final By VERIFY = By.id("governed-recovery-verify");
    public static final By RESEND = By.id("governed-recovery-resend");
    public static final By BACK = By.id("governed-recovery-back");
    public static final By CANNOT_USE = By.id("governed-recovery-cannot-use");
    public static final By USE_KEY = By.id("governed-recovery-use-key");
    public static final By HELPDESK_TEXT = By.id("governed-recovery-helpdesk-text");
    public static final By PROGRESS = By.id("governed-recovery-progress");
    public static final By FEEDBACK = By.cssSelector(".kc-feedback-text");

    private final Browser browser;

    public RecoveryPages(Browser browser) {
        this.browser = browser;
    }

    /** Clicks "Forgot Password?" on the realm's sign-in page and names the account; ends on the method selection. */
    public RecoveryPages start(TestRealm realm, String usernameOrEmail) {
        new LoginPage(browser).open(realm).forgotPassword().requestFor(usernameOrEmail);
        return this;
    }

    public RecoveryPages choose(String methodId) {
        browser.submit(By.id("governed-recovery-method-" + methodId));
        return this;
    }

    /** Types a code on the code page and confirms it. */
    public RecoveryPages enterCode(String code) {
        browser.type(CODE_FIELD, code);
        browser.submit(VERIFY);
        return this;
    }

    public RecoveryPages resend() {
        browser.submit(RESEND);
        return this;
    }

    public RecoveryPages back() {
        browser.submit(BACK);
        return this;
    }

    public RecoveryPages cannotUseAny() {
        browser.submit(CANNOT_USE);
        return this;
    }

    /** Presses the passkey button; the browser's authenticator answers and the page submits itself. */
    public RecoveryPages useSecurityKey() {
        browser.submit(USE_KEY);
        return this;
    }

    /** Whether the method selection shows (waiting briefly for the page to load). */
    public boolean onMethods() {
        return browser.appears(METHODS_FORM);
    }

    public boolean onCodePage() {
        return browser.appears(CODE_FIELD);
    }

    public boolean onHelpdesk() {
        return browser.appears(HELPDESK_TEXT);
    }

    /** Whether the new-password page shows now; check a positive state first so the page has loaded. */
    public boolean onNewPassword() {
        return browser.isPresent(UpdatePasswordPage.NEW_PASSWORD);
    }

    public boolean isVerified(String methodId) {
        return !browser.driver().findElement(By.id("governed-recovery-method-" + methodId)).isEnabled();
    }

    /** Goes back to the method selection and tells whether the method shows as confirmed there. */
    public boolean isVerifiedAfterBack(String methodId) {
        back();
        browser.await(METHODS_FORM);
        return isVerified(methodId);
    }

    /** The page's feedback message (error, info or success), or "". */
    public String feedback() {
        return browser.isPresent(FEEDBACK) ? browser.driver().findElement(FEEDBACK).getText() : "";
    }

    public String helpdeskText() {
        return browser.await(HELPDESK_TEXT).getText();
    }

    public String progress() {
        return browser.await(PROGRESS).getText();
    }

    public UpdatePasswordPage newPassword() {
        return new UpdatePasswordPage(browser).awaitShown();
    }
}
