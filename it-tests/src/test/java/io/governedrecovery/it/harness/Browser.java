package io.governedrecovery.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through ChromeDriver: a fresh profile per instance, no network beyond loopback.
 */
public final class Browser implements AutoCloseable {

    /**
     * Selenium warns on every start that it has no DevTools bindings for Debian's Chromium version; the tests use only
     * WebDriver commands, so the warning is noise. The logger is held here so the setting is not collected away.
     */
    private static final java.util.logging.Logger CDP_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;

    public Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new HarnessException("Browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get install -y chromium chromium-driver (./run-tests.sh does this).");
        }
        try {
            profile = Files.createTempDirectory("gr-chromium-");
        } catch (IOException e) {
            throw new HarnessException("Cannot create a browser profile directory: " + e.getMessage(), e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--no-first-run", "--disable-quic", "--lang=en-US",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * A wait that checks every 50 ms. Selenium's default of 500 ms added about half a second to every page a test
     * walked (a submit's button goes stale within milliseconds of the next page's load).
     */
    public WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(driver, timeout, POLL);
    }

    private static final Duration POLL = Duration.ofMillis(50);

    public void open(String url) {
        driver.get(url);
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    public String source() {
        return driver.getPageSource();
    }

    /** Visible text of the page body. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public WebElement await(By locator) {
        return waitUpTo(Duration.ofSeconds(15)).until(page -> visible(locator));
    }

    /** Whether the element becomes visible within a few seconds (pages may still be loading or redirecting). */
    public boolean appears(By locator) {
        try {
            waitUpTo(Duration.ofSeconds(5)).until(page -> visible(locator));
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    public boolean isPresent(By locator) {
        return !driver.findElements(locator).isEmpty();
    }

    public void type(By locator, String text) {
        WebElement field = await(locator);
        field.clear();
        field.sendKeys(text);
    }

    public void click(By locator) {
        await(locator).click();
    }

    /** Clicks a button that submits a form and waits until the next page replaced this one. */
    public void submit(By locator) {
        WebElement button = await(locator);
        button.click();
        waitUpTo(Duration.ofSeconds(20)).until(page -> gone(button));
    }

    /** The element once it is shown; null while it is not (or while the page it was on is being replaced). */
    private WebElement visible(By locator) {
        try {
            return ExpectedConditions.visibilityOfElementLocated(locator).apply(driver);
        } catch (org.openqa.selenium.WebDriverException navigating) {
            if (replaced(navigating)) {
                return null;
            }
            throw navigating;
        }
    }

    /** Chromium's answers about a page that is being replaced, which a wait sees while the next page loads. */
    private static boolean replaced(org.openqa.selenium.WebDriverException e) {
        String message = String.valueOf(e.getMessage());
        return e instanceof org.openqa.selenium.StaleElementReferenceException
                || message.contains("does not belong to the document")
                || message.contains("Execution context was destroyed")
                || message.contains("no such execution context");
    }

    /**
     * Whether the element left the page. While the next page replaces it, Chromium may also answer that the node
     * "does not belong to the document" (not a stale-element error): the old page is gone too.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.WebDriverException other) {
            if (replaced(other)) {
                return true;
            }
            throw other;
        }
    }

    public void deleteCookies() {
        driver.manage().deleteAllCookies();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                KeycloakServer.deleteRecursively(profile);
            } catch (HarnessException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
