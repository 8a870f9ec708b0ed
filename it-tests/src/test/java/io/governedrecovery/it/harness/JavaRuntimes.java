package io.governedrecovery.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a Java runtime that can run Keycloak 26.7 (Java 21 or newer): {@code keycloak.java.home},
 * {@code KEYCLOAK_JAVA_HOME}, the running JVM, {@code JAVA_HOME}, then the newest JDK under /usr/lib/jvm.
 */
public final class JavaRuntimes {

    public static final int KEYCLOAK_MIN_JAVA = 21;

    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private JavaRuntimes() {
    }

    public static Path forKeycloak() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty("keycloak.java.home")).map(Path::of).ifPresent(candidates::add);
        Optional.ofNullable(System.getenv("KEYCLOAK_JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        for (Path candidate : candidates) {
            if (majorVersion(candidate) >= KEYCLOAK_MIN_JAVA) {
                return candidate;
            }
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                Optional<Path> newest = dirs.filter(d -> majorVersion(d) >= KEYCLOAK_MIN_JAVA)
                        .max(Comparator.comparingInt(JavaRuntimes::majorVersion));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                // fall through to the clear message below
            }
        }
        throw new HarnessException("No Java " + KEYCLOAK_MIN_JAVA + " or newer found to run Keycloak 26.7: install one "
                + "(for example under /usr/lib/jvm) or set KEYCLOAK_JAVA_HOME to it.");
    }

    static int majorVersion(Path javaHome) {
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            return -1;
        }
        Path release = javaHome.resolve("release");
        try {
            Matcher m = VERSION.matcher(Files.readString(release));
            if (m.find()) {
                int first = Integer.parseInt(m.group(1));
                return first == 1 ? 8 : first;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
