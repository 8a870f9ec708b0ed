package io.governedrecovery.it.harness;

import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit 5 extension for end-to-end tests. Injects:
 * <ul>
 *   <li>{@link TestEnvironment}, {@link KeycloakServer}, {@link MailCatcher}: one per test run, started on first use;</li>
 *   <li>{@link TestRealm}: one per test class, imported from the demo realm JSON, deleted after the class;</li>
 *   <li>{@link Browser}: a fresh headless Chromium per test, closed after it.</li>
 * </ul>
 * When a test fails, the end of the server log is printed.
 */
public final class RealKeycloak implements ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealKeycloak.class);

    public static TestEnvironment environment(ExtensionContext context) {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(TestEnvironment.class, k -> new TestEnvironment(), TestEnvironment.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestEnvironment.class || type == KeycloakServer.class || type == MailCatcher.class
                || type == SmsGatewayStub.class || type == TestRealm.class || type == Browser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        Class<?> type = parameter.getParameter().getType();
        TestEnvironment env = environment(context);
        if (type == TestEnvironment.class) {
            return env;
        }
        if (type == KeycloakServer.class) {
            return env.server();
        }
        if (type == MailCatcher.class) {
            return env.mail();
        }
        if (type == SmsGatewayStub.class) {
            return env.sms();
        }
        if (type == TestRealm.class) {
            ExtensionContext classContext = classContext(context);
            return classContext.getStore(NS).getOrComputeIfAbsent(TestRealm.class,
                    k -> createRealm(env, classContext.getRequiredTestClass()), TestRealm.class);
        }
        // A browser lives as long as the context that asked for it (a test method, or a class for @BeforeAll).
        return context.getStore(NS).getOrComputeIfAbsent(Browser.class, k -> new Browser(), Browser.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static TestRealm createRealm(TestEnvironment env, Class<?> testClass) {
        String name = testClass.getSimpleName().toLowerCase(Locale.ROOT);
        Realms.deleteIfPresent(env.server(), name);
        Realms.importRealm(env.server(), env.mail(), Realms.DEMO, name, json -> {
            json.remove("users");
            // Every test comes from 127.0.0.1 and many reset the same names: the rate limits are tested on their
            // own (ControlsIT), elsewhere they are out of the way.
            Realms.withoutRateLimits(json);
        });
        return new TestRealm(env.server(), name);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Optional<TestEnvironment> env = Optional.ofNullable(
                context.getRoot().getStore(NS).get(TestEnvironment.class, TestEnvironment.class));
        env.ifPresent(e -> System.err.println("---- Keycloak log tail (" + e.server().logFile() + ") for failed test "
                + context.getDisplayName() + " ----\n" + e.server().logTail(40) + "\n---- end of log tail ----"));
    }
}
