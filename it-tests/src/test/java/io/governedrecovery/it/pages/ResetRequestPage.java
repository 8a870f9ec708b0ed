package io.governedrecovery.it.pages;

import org.openqa.selenium.By;

import io.governedrecovery.it.harness.Browser;

/** Keycloak's "Forgot your password?" page, where a user names the account to recover. */
public final class ResetRequestPage {

    public static final By FORM = By.id("kc-reset-password-form");
    public static final By USERNAME = By.id("username");
    public static final By SUBMIT = By.cssSelector("#kc-reset-password-form button[type=submit]");

    private final Browser browser;

    public ResetRequestPage(Browser browser) {
        this.browser = browser;
    }

    ResetRequestPage awaitShown() {
        browser.await(FORM);
        return this;
    }

    public void requestFor(String usernameOrEmail) {
        browser.type(USERNAME, usernameOrEmail);
        browser.submit(SUBMIT);
    }
}
