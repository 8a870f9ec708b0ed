package io.governedrecovery.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the JAR exactly as an admin installs it. */
class DeployableJarIT {

    private static final String OUR_PACKAGE = "io/governedrecovery/";
    private static final String SHADED = OUR_PACKAGE + "shaded/";

    private static final Map<String, byte[]> entries = new HashMap<>();
    private static final List<String> names = new ArrayList<>();

    @BeforeAll
    static void readJar() throws IOException {
        Path jar = Path.of(System.getProperty("deployable.jar"));
        assertThat(jar).exists();
        assertThat(jar.getFileName().toString()).matches("governed-recovery-[0-9][^/]*\\.jar");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                names.add(entry.getName());
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
    }

    @Test
    void every_service_entry_names_a_class_inside_the_jar() {
        List<String> serviceFiles = names.stream().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                .toList();
        assertThat(serviceFiles).contains(
                "META-INF/services/org.keycloak.authentication.AuthenticatorFactory",
                "META-INF/services/org.keycloak.events.EventListenerProviderFactory");
        for (String file : serviceFiles) {
            List<String> providers = new String(entries.get(file), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertThat(providers).as(file).isNotEmpty();
            for (String provider : providers) {
                assertThat(names).as("class of " + provider + " listed in " + file)
                        .contains(provider.replace('.', '/') + ".class");
            }
        }
    }

    @Test
    void provides_no_test_hooks_of_the_event_pipeline() {
        // The pipeline's fault injection is reached only through this service: the tests' own JAR provides it.
        assertThat(names).contains("io/governedrecovery/events/runtime/PipelineHooks.class")
                .doesNotContain("META-INF/services/io.governedrecovery.events.runtime.PipelineHooks")
                .noneMatch(n -> n.contains("Fault") || n.contains("Synthetic"));
    }

    @Test
    void holds_the_theme_and_its_messages() {
        assertThat(names).contains(
                "META-INF/keycloak-themes.json",
                "theme/governed-recovery/login/theme.properties",
                "theme/governed-recovery/login/messages/messages_en.properties",
                "theme/governed-recovery/login/messages/messages_de.properties",
                "theme/governed-recovery/email/theme.properties");
    }

    @Test
    void holds_no_keycloak_or_other_unrelocated_classes() {
        List<String> foreign = names.stream()
                .filter(n -> n.endsWith(".class"))
                .filter(n -> !n.startsWith(OUR_PACKAGE))
                .toList();
        assertThat(foreign).as("classes outside " + OUR_PACKAGE + " (third-party code must be relocated)").isEmpty();
    }

    @Test
    void holds_no_duplicate_entries() {
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void classes_target_java_17() throws IOException {
        for (String name : names) {
            if (name.endsWith(".class")) {
                try (InputStream in = new java.io.ByteArrayInputStream(entries.get(name))) {
                    byte[] header = in.readNBytes(8);
                    int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                    if (name.startsWith(SHADED)) {
                        assertThat(major).as(name + " class file version (bundled library)").isLessThanOrEqualTo(61);
                    } else {
                        assertThat(major).as(name + " class file version").isEqualTo(61);
                    }
                }
            }
        }
    }

    @Test
    void bundles_the_relp_client_relocated_with_its_notices() {
        assertThat(names).contains(SHADED + "com/teragrep/rlp_01/RelpConnection.class",
                SHADED + "com/teragrep/rlp_01/RelpClientTlsSocket.class",
                SHADED + "tlschannel/ClientTlsChannel.class",
                "META-INF/THIRD-PARTY-NOTICES.txt");
        assertThat(names).noneMatch(n -> n.startsWith("com/teragrep/") || n.startsWith("tlschannel/")
                || n.equals("maven.properties"));
        String notices = new String(entries.get("META-INF/THIRD-PARTY-NOTICES.txt"), StandardCharsets.UTF_8);
        assertThat(notices).contains("Apache License, Version 2.0").contains("MIT License");
    }

    @Test
    void our_relp_sink_uses_the_relocated_client() {
        String sink = new String(entries.get("io/governedrecovery/events/sink/relp/RelpSink.class"),
                StandardCharsets.ISO_8859_1);
        assertThat(sink).contains("io/governedrecovery/shaded/com/teragrep/rlp_01/RelpConnection")
                .doesNotContain("Lcom/teragrep/");
    }
}
