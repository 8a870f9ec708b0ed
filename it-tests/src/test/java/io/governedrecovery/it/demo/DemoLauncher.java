package io.governedrecovery.it.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.governedrecovery.it.harness.HarnessException;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.Ports;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.TestEnvironment;

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

            MailCatcher mail = new MailCatcher(SMTP_PORT);
            running.add(0, mail);
            running.add(0, new MailWebViewer(MAIL_VIEWER_PORT, mail));

            Path workDir = Path.of(System.getProperty("harness.work.dir", "target/demo"));
            Path exportDir = workDir.resolve("export");
            System.out.println("Starting Keycloak with Governed Recovery (about 30 s; log: " + workDir.resolve("keycloak.log") + ")...");
            KeycloakServer server = KeycloakServer.builder()
                    .workDir(workDir)
                    .httpPort(KEYCLOAK_PORT)
                    .managementPort(MANAGEMENT_PORT)
                    .option(TestEnvironment.EVENTS_SPI + "export-dir", exportDir.toString())
                    .build();
            running.add(0, server);
            server.start();
            Realms.importRealm(server, mail, Realms.DEMO, REALM);

            printWelcome(server, exportDir);
        } catch (HarnessException e) {
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
        out.append("  Mail catcher (read mails):  http://localhost:").append(MAIL_VIEWER_PORT).append("\n");
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
            for (JsonNode credential : user.path("credentials")) {
                String type = credential.path("type").asText();
                if ("password".equals(type)) {
                    password = credential.path("value").asText();
                } else {
                    methods.add(type);
                }
            }
            out.append(String.format("  %-16s password %-16s %s%n", user.path("username").asText(), password,
                    String.join(", ", methods)));
        }
        System.out.println(out);
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
