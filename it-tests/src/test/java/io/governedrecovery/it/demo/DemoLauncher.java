package io.governedrecovery.it.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.it.harness.HarnessException;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.Ports;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.Totp;

/**
 * The demo: Keycloak with the deployable JAR and the demo realm on http://localhost:8080, a mail catcher whose mails
 * a person can read on http://localhost:8025, and a printout of the URLs and demo users. Runs until Ctrl-C.
 * Started by ./run-demo.sh; uses the same harness as the integration tests.
 */
public final class DemoLauncher {

    static final int KEYCLOAK_PORT = 8080;
    static final int MANAGEMENT_PORT = 9000;
    static final int SMTP_PORT = 3025;
    static final int MAIL_VIEWER_PORT = 8025;
    static final int SMS_GATEWAY_PORT = 8026;
    static final String REALM = "demo";

    private DemoLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the demo...");
            stopAll(running);
            stopped.countDown();
        }, "demo-shutdown"));
        try {
            Ports.requireFree(KEYCLOAK_PORT, "Keycloak");
            Ports.requireFree(MANAGEMENT_PORT, "Keycloak management");
            Ports.requireFree(SMTP_PORT, "demo SMTP");
            Ports.requireFree(MAIL_VIEWER_PORT, "demo mail viewer");
            Ports.requireFree(SMS_GATEWAY_PORT, "demo SMS gateway");

            MailCatcher mail = new MailCatcher(SMTP_PORT);
            running.add(0, mail);
            SmsGatewayStub sms = new SmsGatewayStub(SMS_GATEWAY_PORT);
            running.add(0, sms);
            running.add(0, new MailWebViewer(MAIL_VIEWER_PORT, mail, sms, authenticatorApps()));

            Path workDir = Path.of(System.getProperty("harness.work.dir", "target/demo"));
            Path exportDir = workDir.resolve("export");
            System.out.println("Starting Keycloak with Governed Recovery (about 30 s; log: " + workDir.resolve("keycloak.log") + ")...");
            // The tests' clock provider shares the unpacked distribution; the demo runs without it.
            java.nio.file.Files.deleteIfExists(Path.of(System.getProperty("keycloak.dist.dir", "target/keycloak"))
                    .resolve("providers/it-test-provider.jar"));
            KeycloakServer server = TestEnvironment.withSmsGateway(KeycloakServer.builder(), sms)
                    .workDir(workDir)
                    .httpPort(KEYCLOAK_PORT)
                    .managementPort(MANAGEMENT_PORT)
                    .option(TestEnvironment.EVENTS_SPI + "export-dir", exportDir.toString())
                    .build();
            running.add(0, server);
            server.start();
            Realms.importAsShipped(server, mail, Realms.DEMO, REALM);

            printWelcome(server, exportDir);
        } catch (HarnessException | java.io.IOException e) {
            System.err.println("Demo cannot start: " + e.getMessage());
            stopAll(running);
            System.exit(1);
        }
        stopped.await();
    }

    private static void printWelcome(KeycloakServer server, Path exportDir) {
        ObjectNode realm = Realms.read(Realms.DEMO);
        StringBuilder out = new StringBuilder("\n");
        out.append("Governed Recovery demo is running. Press Ctrl-C to stop.\n\n");
        out.append("  Sign in / Forgot password:  ").append(server.baseUrl()).append("/realms/").append(REALM).append("/account\n");
        out.append("  Mails, texts, app codes:    http://localhost:").append(MAIL_VIEWER_PORT)
                .append("  (every mail and SMS the demo sends, and each demo user's current authenticator-app code)\n");
        out.append("  Admin console:              ").append(server.baseUrl()).append("/admin  (")
                .append(KeycloakServer.ADMIN_USER).append(" / ").append(KeycloakServer.ADMIN_PASSWORD).append(")\n");
        out.append("  Exported recovery events:   ").append(exportDir).append("\n");
        out.append("  Keycloak log:               ").append(server.logFile()).append("\n\n");
        out.append("Demo users (realm '").append(REALM).append("'):\n");
        for (JsonNode user : realm.path("users")) {
            String password = "";
            List<String> methods = new ArrayList<>();
            if (user.hasNonNull("email")) {
                methods.add("email " + user.get("email").asText());
            }
            JsonNode phone = user.path("attributes").path("phoneNumber");
            if (phone.isArray() && !phone.isEmpty()) {
                methods.add("SMS " + phone.get(0).asText());
            }
            for (JsonNode credential : user.path("credentials")) {
                String type = credential.path("type").asText();
                if ("password".equals(type)) {
                    password = credential.path("value").asText();
                } else if ("otp".equals(type)) {
                    methods.add("authenticator app (key " + Totp.base32(otpSecret(credential)) + ")");
                } else {
                    methods.add(type);
                }
            }
            List<String> groups = new ArrayList<>();
            user.path("groups").forEach(g -> groups.add(g.asText()));
            out.append(String.format("  %-9s password %-16s %s%s%n", user.path("username").asText(), password,
                    String.join(", ", methods), groups.isEmpty() ? "" : "; groups " + String.join(", ", groups)));
        }
        out.append("\nThe reset needs two methods, one of them strong: alice can reset (email + app), bob cannot\n")
                .append("(email + SMS are both weak: he is sent to the helpdesk), dave can (any two incl. the app).\n")
                .append("carol is a realm admin: her reset needs two strong methods (sign in first and add a passkey\n")
                .append("or recovery codes to her app) and then erin's approval, which erin gets by mail.\n")
                .append("emergency is a break-glass account: its reset is refused like an unknown name, and each\n")
                .append("sign-in alerts carol by mail. Status: GET /admin/realms/demo/governed-recovery/break-glass.\n")
                .append("helga is the helpdesk (group /recovery-helpdesk): she issues temporary access passes with\n")
                .append("POST /admin/realms/demo/governed-recovery/users/<id>/temporary-access-passes (see the README).\n");
        System.out.println(out);
    }

    /** Each demo user's authenticator-app secret, for the viewer's live codes. */
    static Map<String, String> authenticatorApps() {
        Map<String, String> apps = new LinkedHashMap<>();
        for (JsonNode user : Realms.read(Realms.DEMO).path("users")) {
            for (JsonNode credential : user.path("credentials")) {
                if ("otp".equals(credential.path("type").asText())) {
                    apps.put(user.path("username").asText(), otpSecret(credential));
                }
            }
        }
        return apps;
    }

    private static String otpSecret(JsonNode credential) {
        try {
            return new ObjectMapper().readTree(credential.path("secretData").asText()).path("value").asText();
        } catch (java.io.IOException e) {
            throw new HarnessException("Demo realm has an unreadable OTP secret: " + e.getMessage(), e);
        }
    }

    private static void stopAll(List<AutoCloseable> running) {
        for (AutoCloseable resource : running) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("While stopping the demo: " + e.getMessage());
            }
        }
        running.clear();
    }
}
