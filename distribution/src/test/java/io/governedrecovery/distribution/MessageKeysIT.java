package io.governedrecovery.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every message key our templates and code use exists in every language the JAR ships, so no page or mail ever shows
 * a raw key ("governedRecoveryMethodHint-tap"). Keys composed at run time ({@code "governedRecoveryMethod-" + id}) are
 * checked for every value they can take.
 */
class MessageKeysIT {

    private static final Pattern TEMPLATE_KEY = Pattern.compile("msg\\(\"(governedRecovery[A-Za-z0-9-]*)\"");
    /** A string literal in Java code that looks like a message key; JPA query names ({@code name = "..."},
     * {@code createNamedQuery("...")}) are not messages. */
    private static final Pattern CODE_KEY = Pattern.compile(
            "(?<!name = )(?<!createNamedQuery\\()\"(governedRecovery[A-Za-z0-9-]*)\"");
    private static final List<String> METHODS = List.of("totp", "webauthn", "recovery-codes", "tap", "email-code",
            "sms-code");
    /** The kinds of owner notices (MethodChangeNotices in event-listeners). */
    private static final List<String> METHOD_CHANGES = List.of("method-added", "method-removed",
            "method-removed-by-admin", "password-set-by-admin", "pass-issued");
    private static final List<String> ADMIN_NOTICES = List.of("privileged-reset", "break-glass-sign-in",
            "break-glass-test", "break-glass-reset-attempt", "owner-report");
    /** What a "This was not me" link may report (every notice to an account's owner). */
    private static final List<String> REPORTABLE = List.of("password-reset", "email-changed", "phone-changed",
            "method-added", "method-removed", "method-removed-by-admin", "password-set-by-admin", "pass-issued",
            "new-network", "waiting-started");
    /** The stages of a waiting recovery its owner is told about. */
    private static final List<String> WAITING_STAGES = List.of("started", "halfway");
    /** The values a composed key's prefix is completed with. */
    private static final Map<String, List<String>> COMPOSED = Map.ofEntries(
            Map.entry("governedRecoveryMethod-", METHODS),
            Map.entry("governedRecoveryMethodHint-", METHODS),
            Map.entry("governedRecoveryLost-", List.of("totp", "webauthn")),
            Map.entry("governedRecoveryRemoved-", List.of("totp", "webauthn")),
            Map.entry("governedRecoveryNotCounting-", List.of("cooldown", "weak")),
            Map.entry("governedRecoveryContactTitle-", List.of("email", "phone")),
            Map.entry("governedRecoveryContactKind-", List.of("email", "phone")),
            Map.entry("governedRecoveryContactEnter-", List.of("email", "phone")),
            Map.entry("governedRecoveryContactInvalid-", List.of("email", "phone")),
            Map.entry("governedRecoveryContactChangedBody-", List.of("email", "phone")),
            Map.entry("governedRecoveryContactStepUp-", List.of("totp", "recovery-codes", "email-code", "sms-code")),
            Map.entry("governedRecoveryApprovalDecidedBody-", List.of("approved", "denied")),
            Map.entry("governedRecoveryApprovalTitle-", List.of("waiting", "denied", "expired", "unavailable")),
            Map.entry("governedRecoveryApprovalText-", List.of("waiting", "denied", "expired", "unavailable")),
            Map.entry("governedRecoveryDecisionTitle-", List.of("decide", "approved", "denied", "invalid", "decided",
                    "self")),
            Map.entry("governedRecoveryDecisionText-", List.of("approved", "denied", "invalid", "decided", "self")),
            Map.entry("governedRecoveryAdminNoticeSubject-", ADMIN_NOTICES),
            Map.entry("governedRecoveryAdminNoticeBody-", ADMIN_NOTICES),
            Map.entry("governedRecoveryRegister-", List.of("CONFIGURE_TOTP", "webauthn-register-passwordless",
                    "CONFIGURE_RECOVERY_AUTHN_CODES")),
            Map.entry("governedRecoveryMethodChangedSubject-", METHOD_CHANGES),
            Map.entry("governedRecoveryMethodChangedBody-", METHOD_CHANGES),
            Map.entry("governedRecoveryMethodChangedSms-", METHOD_CHANGES),
            Map.entry("governedRecoveryNotMeWhat-", REPORTABLE),
            Map.entry("governedRecoveryNotMeTitle-", List.of("confirm", "done", "invalid")),
            Map.entry("governedRecoveryNotMeText-", List.of("done", "invalid")),
            Map.entry("governedRecoveryWaitingSubject-", WAITING_STAGES),
            Map.entry("governedRecoveryWaitingBody-", WAITING_STAGES),
            Map.entry("governedRecoveryWaitingSms-", WAITING_STAGES),
            Map.entry("governedRecoveryWaitingCancelTitle-", List.of("confirm", "done", "ended", "invalid")),
            Map.entry("governedRecoveryWaitingCancelText-", List.of("done", "ended", "invalid")),
            Map.entry("governedRecoveryMethodName-", List.of("otp", "webauthn", "webauthn-passwordless",
                    "recovery-authn-codes", "password", "pass", "unknown")));

    private static final Map<String, Properties> languages = new HashMap<>();
    private static final List<String> templates = new ArrayList<>();

    @BeforeAll
    static void readJar() throws IOException {
        Path jar = Path.of(System.getProperty("deployable.jar"));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.endsWith(".ftl")) {
                    templates.add(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                } else if (name.matches(".*messages_[a-z]{2}\\.properties")) {
                    String language = name.replaceAll(".*messages_([a-z]{2})\\.properties", "$1");
                    Properties props = new Properties();
                    props.load(new InputStreamReader(new java.io.ByteArrayInputStream(zip.readAllBytes()),
                            StandardCharsets.UTF_8));
                    languages.computeIfAbsent(language, l -> new Properties()).putAll(props);
                }
            }
        }
        assertThat(languages.keySet()).contains("en", "de");
    }

    @Test
    void every_key_the_templates_and_the_code_use_exists_in_every_language() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String template : templates) {
            Matcher m = TEMPLATE_KEY.matcher(template);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        for (Path sources : List.of(Path.of("../authenticators/src/main/java"), Path.of("../event-listeners/src/main/java"),
                Path.of("../admin-api/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = CODE_KEY.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        Set<String> expanded = new TreeSet<>();
        for (String key : used) {
            if (key.endsWith("-")) {
                assertThat(COMPOSED).as("values of the composed key " + key + "*").containsKey(key);
                COMPOSED.get(key).forEach(v -> expanded.add(key + v));
            } else {
                expanded.add(key);
            }
        }
        for (var language : languages.entrySet()) {
            Set<String> missing = new TreeSet<>(expanded);
            missing.removeAll(language.getValue().stringPropertyNames());
            assertThat(missing).as("keys missing in messages_" + language.getKey()).isEmpty();
        }
    }

    @Test
    void apostrophes_are_doubled_as_keycloaks_message_format_needs() {
        // Keycloak formats every message with java.text.MessageFormat: a single ' starts a quote and vanishes
        // ("organisations administrator"), so an apostrophe in text is written ''.
        for (var language : languages.entrySet()) {
            for (String key : language.getValue().stringPropertyNames()) {
                if (key.startsWith("governedRecovery")) {
                    assertThat(language.getValue().getProperty(key)).as(key + " in messages_" + language.getKey())
                            .doesNotContainPattern("(?<!')'(?!')");
                }
            }
        }
    }

    @Test
    void every_language_has_the_same_keys() {
        Set<String> english = new TreeSet<>(languages.get("en").stringPropertyNames());
        for (var language : languages.entrySet()) {
            assertThat(new TreeSet<>(language.getValue().stringPropertyNames())).as("messages_" + language.getKey())
                    .isEqualTo(english);
        }
    }
}
