package io.governedrecovery.it.pages;

import org.openqa.selenium.By;

import io.governedrecovery.it.harness.Browser;

/** Keycloak's own "Update password" page, which ends every reset. */
public final class UpdatePasswordPage {

    public static final By NEW_PASSWORD = By.id("password-new");
    public static final By CONFIRM = By.id("password-confirm");
    public static final By SUBMIT = By.id("kc-submit");

    private final Browser browser;

    public UpdatePasswordPage(Browser browser) {
        this.browser = browser;
    }

    public UpdatePasswordPage awaitShown() {
        browser.await(NEW_PASSWORD);
        return this;
    }

    public boolean isShown() {
        return browser.isPresent(NEW_PASSWORD);
    }

    public void setPassword(String password) {
        browser.type(NEW_PASSWORD, password);
        browser.type(CONFIRM, password);
        browser.submit(SUBMIT);
    }
}
