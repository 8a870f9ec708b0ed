package io.governedrecovery.it.harness;

import java.util.List;

import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import io.governedrecovery.it.pages.LoginPage;

/**
 * Registers recovery methods the way a user does: an admin sets the required action, the user signs in through
 * Keycloak's own pages and completes it in the browser.
 */
public final class Enrolment {

    private Enrolment() {
    }

    /** Gives the browser a platform authenticator that holds passkeys (resident keys, user verification). */
    public static VirtualAuthenticator passkeyDevice(Browser browser) {
        return ((HasVirtualAuthenticator) browser.driver()).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    /** Registers a passkey for the user on Keycloak's passkey registration page, then signs out of the browser. */
    public static void passkey(Browser browser, TestRealm realm, String userId, String username, String password) {
        passkey(browser, realm, userId, username, password, null);
    }

    /** The same for a user who signs in with an authenticator app too, with the code {@code totpCode}. */
    public static void passkey(Browser browser, TestRealm realm, String userId, String username, String password,
                               String totpCode) {
        require(realm, userId, "webauthn-register-passwordless");
        signIn(browser, realm, username, password, totpCode);
        browser.click(By.id("registerWebAuthn"));
        // Keycloak asks for a label with window.prompt(); answer it like a user would.
        var prompt = browser.waitUpTo(java.time.Duration.ofSeconds(10)).until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
        prompt.sendKeys("test passkey");
        prompt.accept();
        awaitSignedIn(browser, realm, userId);
    }

    /** Creates recovery codes on Keycloak's page; returns them in order, then signs out of the browser. */
    public static List<String> recoveryCodes(Browser browser, TestRealm realm, String userId, String username,
                                             String password) {
        return recoveryCodes(browser, realm, userId, username, password, null);
    }

    /** The same for a user who signs in with an authenticator app too, with the code {@code totpCode}. */
    public static List<String> recoveryCodes(Browser browser, TestRealm realm, String userId, String username,
                                             String password, String totpCode) {
        require(realm, userId, "CONFIGURE_RECOVERY_AUTHN_CODES");
        signIn(browser, realm, username, password, totpCode);
        browser.await(By.id("kc-recovery-codes-list"));
        List<String> codes = browser.driver().findElements(By.cssSelector("#kc-recovery-codes-list li")).stream()
                .map(WebElement::getText).map(String::trim).toList();
        browser.click(By.id("kcRecoveryCodesConfirmationCheck"));
        browser.click(By.id("saveRecoveryAuthnCodesBtn"));
        awaitSignedIn(browser, realm, userId);
        return codes;
    }

    private static void signIn(Browser browser, TestRealm realm, String username, String password,
                               String totpCode) {
        new LoginPage(browser).open(realm).signIn(username, password);
        if (totpCode != null) {
            browser.type(By.id("otp"), totpCode);
            browser.submit(By.id("kc-login"));
        }
    }

    private static void require(TestRealm realm, String userId, String action) {
        UserResource user = realm.userResource(userId);
        UserRepresentation rep = user.toRepresentation();
        rep.setRequiredActions(List.of(action));
        user.update(rep);
    }

    /**
     * Waits until the required action is done and the browser arrived back at the application, then leaves the
     * application (so it sets no more cookies) and drops the cookies: the browser is signed out.
     */
    private static void awaitSignedIn(Browser browser, TestRealm realm, String userId) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!realm.userResource(userId).toRepresentation().getRequiredActions().isEmpty()
                || !browser.url().contains("/account")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Registration did not complete; page shows: " + browser.text());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        browser.open("about:blank");
        browser.open(realm.signInUrl().replaceFirst("/protocol/.*", "/"));
        browser.deleteCookies();
    }
}
