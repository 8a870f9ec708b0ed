package io.governedrecovery.it.pages;

import org.openqa.selenium.By;

import io.governedrecovery.it.harness.Browser;
import io.governedrecovery.it.harness.TestRealm;

/** Keycloak's sign-in page (keycloak.v2 and our theme share its field ids). */
public final class LoginPage {

    public static final By USERNAME = By.id("username");
    public static final By PASSWORD = By.id("password");
    public static final By SIGN_IN = By.id("kc-login");
    public static final By FORGOT_PASSWORD = By.cssSelector("a[href*='/login-actions/reset-credentials']");

    private final Browser browser;

    public LoginPage(Browser browser) {
        this.browser = browser;
    }

    /** Starts a sign-in to the realm's account console, which shows this page to a visitor without a session. */
    public LoginPage open(TestRealm realm) {
        browser.open(realm.signInUrl());
        browser.await(USERNAME);
        return this;
    }

    public void signIn(String username, String password) {
        browser.type(USERNAME, username);
        browser.type(PASSWORD, password);
        browser.submit(SIGN_IN);
    }

    public ResetRequestPage forgotPassword() {
        browser.submit(FORGOT_PASSWORD);
        return new ResetRequestPage(browser).awaitShown();
    }

    public boolean isShown() {
        return browser.appears(USERNAME) && browser.isPresent(PASSWORD);
    }
}
