package io.governedrecovery.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's files: served only by name from its own folder, with a policy that allows no inline script and no
 * other origin; written without HTML strings, storage of tokens or anything fetched from the internet; every text
 * in English and German.
 */
class ConsoleFilesTest {

    private static final Path ROOT = Path.of("src/main/resources/" + ConsoleResource.ROOT);

    @Test
    void only_plain_file_names_of_its_own_folder_are_served() {
        assertThat(ConsoleResource.servable("app.js")).isTrue();
        assertThat(ConsoleResource.servable("views/helpdesk.js")).isTrue();
        assertThat(ConsoleResource.servable("messages/de.json")).isTrue();
        for (String bad : List.of("../app.js", "views/../../x.js", "/etc/passwd", "App.js", "app.js.bak", "a//b.js",
                "META-INF/services/x", "views/%2e%2e/x.js", "x.class", ".js", "app.js?x", "")) {
            assertThat(ConsoleResource.servable(bad)).as(bad).isFalse();
        }
        assertThat(ConsoleResource.asset("app.js")).isNotSameAs(ConsoleResource.MISSING);
        assertThat(ConsoleResource.asset("views/none.js")).isSameAs(ConsoleResource.MISSING);
        assertThat(ConsoleResource.asset("app.js").etag()).matches("\"[0-9a-f]{32}\"");
    }

    @Test
    void ten_thousand_requests_for_names_of_no_file_keep_only_the_real_files_in_memory() throws IOException {
        java.util.Random random = new java.util.Random(15);
        String letters = "abcdefghijklmnopqrstuvwxyz0123456789-";
        List<String> extensions = List.of("html", "js", "css", "json", "svg");
        for (int i = 0; i < 10_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int part = random.nextInt(3); part >= 0; part--) {
                for (int n = 1 + random.nextInt(12); n > 0; n--) {
                    name.append(letters.charAt(random.nextInt(letters.length())));
                }
                name.append(part > 0 ? "/" : "." + extensions.get(random.nextInt(extensions.size())));
            }
            assertThat(ConsoleResource.servable(name.toString())).as(name.toString()).isTrue();
            assertThat(ConsoleResource.asset(name.toString())).as(name.toString()).isSameAs(ConsoleResource.MISSING);
        }
        assertThat(ConsoleResource.asset("app.js")).isNotSameAs(ConsoleResource.MISSING);
        assertThat(ConsoleResource.cached()).as("a miss is never kept").isEqualTo(files().size());
    }

    @Test
    void the_list_of_files_served_is_exactly_the_folder() throws IOException {
        List<String> folder = files().stream().map(f -> ROOT.relativize(f).toString().replace('\\', '/')).toList();
        assertThat(ConsoleResource.FILES).as("ConsoleResource.FILES names every file of the folder and no other")
                .containsExactlyInAnyOrderElementsOf(folder).doesNotHaveDuplicates();
        for (String name : ConsoleResource.FILES) {
            assertThat(ConsoleResource.asset(name)).as(name).isNotSameAs(ConsoleResource.MISSING);
        }
    }

    @Test
    void the_policy_allows_no_inline_code_and_no_other_origin() {
        assertThat(ConsoleResource.CSP).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'")
                .doesNotContain("unsafe", "http:", "https:", "*");
    }

    @Test
    void the_page_has_no_inline_script_or_style_and_loads_nothing_from_elsewhere() throws IOException {
        for (Path file : files()) {
            // The SVG namespace is a name, never fetched: the only address-like text allowed.
            String text = Files.readString(file, StandardCharsets.UTF_8).replace("'http://www.w3.org/2000/svg'", "''");
            String name = ROOT.relativize(file).toString();
            assertThat(text).as(name).doesNotContainPattern("(?i)https?://").doesNotContain("innerHTML", "outerHTML",
                    "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage", "style=\"",
                    "document.cookie");
            if (name.endsWith(".html")) {
                assertThat(text).as(name).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                        .doesNotContainPattern("\\son[a-z]+=");
            }
        }
        assertThat(Files.readString(ROOT.resolve("index.html"))).contains(ConsoleResource.RESOURCES_PLACEHOLDER
                + "/common/keycloak/vendor/patternfly-v5/patternfly.min.css");
    }

    @Test
    void tokens_are_never_stored_and_the_sign_in_is_checked() throws IOException {
        String auth = Files.readString(ROOT.resolve("lib/auth.js"));
        assertThat(auth).contains("code_challenge_method: 'S256'", "pending.state !== fragment.get('state')",
                ".nonce !== pending.nonce", "response_mode: 'fragment'", "sessionStorage.removeItem(PENDING)");
        // Only the sign-in round trip's values wait in sessionStorage; no token goes there.
        Matcher stored = Pattern.compile("sessionStorage\\.setItem\\(PENDING, JSON\\.stringify\\((\\w+)\\)\\)")
                .matcher(auth);
        assertThat(stored.find()).isTrue();
        assertThat(auth).contains("const pending = {state: random(16), nonce: random(16), verifier, view: view || ''};");
    }

    @Test
    void every_text_the_console_uses_is_in_english_and_german() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode en = json.readTree(ROOT.resolve("messages/en.json").toFile());
        JsonNode de = json.readTree(ROOT.resolve("messages/de.json").toFile());
        assertThat(keys(de)).isEqualTo(keys(en));
        Set<String> used = new TreeSet<>();
        Pattern call = Pattern.compile("\\bt\\('([A-Za-z.]+)'|data-i18n=\"([A-Za-z.]+)\"|nav: '([A-Za-z.]+)'");
        for (Path file : files()) {
            Matcher m = call.matcher(Files.readString(file));
            while (m.find()) {
                used.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(keys(en)).containsAll(used);
        for (String key : keys(en)) {
            assertThat(de.path(key).asText()).as(key).isNotBlank();
        }
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
            assertThat(files).allSatisfy(f -> assertThat(ConsoleResource.servable(ROOT.relativize(f).toString()))
                    .as("every file is servable by its name: " + f).isTrue());
            return files;
        }
    }
}
