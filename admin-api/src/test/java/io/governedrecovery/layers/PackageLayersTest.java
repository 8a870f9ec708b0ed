package io.governedrecovery.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * The packages of the pack's code form layers, lowest first; a package may use its own layer and the ones below, never
 * one above, and no packages may depend on each other in a cycle. The dependencies are read from the compiled classes
 * of every module with the JDK's {@code jdeps}.
 */
class PackageLayersTest {

    /** The layers, lowest first: a package belongs to the first layer with a prefix of its name. */
    static final Map<String, List<String>> LAYERS = layers();

    private static Map<String, List<String>> layers() {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        layers.put("core", List.of("core"));
        layers.put("shared", List.of("clock", "compat", "console", "privacy", "settings", "flow", "store", "waiting",
                "web", "tap", "freeze", "risk", "delivery", "limits", "spi"));
        layers.put("capabilities", List.of("method", "privileged", "reset", "controls", "approval", "governance",
                "owner", "events"));
        layers.put("admin API and wiring", List.of("adminapi", "schema"));
        return layers;
    }

    private static final String ROOT = "io.governedrecovery.";
    private static final List<String> MODULES = List.of("core", "console", "authenticators", "event-listeners",
            "admin-api");

    @Test
    void packages_form_layers_and_no_cycle() {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).as("packages read").hasSizeGreaterThan(30);
        List<String> upward = new ArrayList<>();
        for (var entry : uses.entrySet()) {
            int from = layer(entry.getKey());
            for (String to : entry.getValue()) {
                if (layer(to) > from) {
                    upward.add(entry.getKey() + " -> " + to);
                }
            }
        }
        assertThat(upward).as("uses of a higher layer").isEmpty();
        assertThat(Cycles.of(uses)).as("package cycles").isEmpty();
    }

    @Test
    void the_check_fails_on_a_cycle_and_on_a_use_of_a_higher_layer() {
        Map<String, Set<String>> uses = new TreeMap<>(Map.of("reset", Set.of("flow", "controls"),
                "controls", Set.of("reset"), "flow", Set.of("reset")));
        assertThat(Cycles.of(uses)).containsExactly(new TreeSet<>(Set.of("reset", "controls", "flow")));
        assertThat(layer("flow")).isLessThan(layer("reset"));
        assertThat(layer("events.sink.notice")).isEqualTo(layer("reset"));
        assertThat(layer("adminapi")).isGreaterThan(layer("governance"));
    }

    /** The layer index of a package (relative to io.governedrecovery); every package must have one. */
    static int layer(String pkg) {
        int index = 0;
        for (List<String> prefixes : LAYERS.values()) {
            for (String prefix : prefixes) {
                if (pkg.equals(prefix) || pkg.startsWith(prefix + ".")) {
                    return index;
                }
            }
            index++;
        }
        throw new AssertionError("package io.governedrecovery." + pkg + " is in no layer: add it to LAYERS");
    }

    /** Package to the packages it uses, both relative to io.governedrecovery, from the modules' compiled classes. */
    static Map<String, Set<String>> dependencies() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() ->
                new AssertionError("the JDK's jdeps is needed for this test"));
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "-e", "io\\.governedrecovery\\..*"));
        for (String module : MODULES) {
            Path classes = Path.of("..", module, "target", "classes");
            assertThat(Files.isDirectory(classes)).as(classes + " (built before this module)").isTrue();
            args.add(classes.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        Map<String, Set<String>> uses = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith(ROOT) && parts[2].startsWith(ROOT)) {
                String from = parts[0].substring(ROOT.length());
                String to = parts[2].substring(ROOT.length());
                if (from.startsWith("shaded") || to.startsWith("shaded")) {
                    continue;
                }
                uses.computeIfAbsent(from, k -> new TreeSet<>());
                if (!from.equals(to)) {
                    uses.get(from).add(to);
                }
            }
        }
        return uses;
    }

    /** Strongly connected components of more than one package (Tarjan's algorithm). */
    static final class Cycles {
        private final Map<String, Set<String>> uses;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final Set<String> onStack = new java.util.HashSet<>();
        private final List<Set<String>> found = new ArrayList<>();
        private int next;

        private Cycles(Map<String, Set<String>> uses) {
            this.uses = uses;
        }

        static List<Set<String>> of(Map<String, Set<String>> uses) {
            Cycles c = new Cycles(uses);
            Set<String> all = new TreeSet<>(uses.keySet());
            uses.values().forEach(all::addAll);
            for (String pkg : all) {
                if (!c.index.containsKey(pkg)) {
                    c.visit(pkg);
                }
            }
            return c.found;
        }

        private void visit(String pkg) {
            index.put(pkg, next);
            low.put(pkg, next);
            next++;
            stack.add(pkg);
            onStack.add(pkg);
            for (String used : uses.getOrDefault(pkg, Set.of())) {
                if (!index.containsKey(used)) {
                    visit(used);
                    low.put(pkg, Math.min(low.get(pkg), low.get(used)));
                } else if (onStack.contains(used)) {
                    low.put(pkg, Math.min(low.get(pkg), index.get(used)));
                }
            }
            if (low.get(pkg).equals(index.get(pkg))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.remove(stack.size() - 1);
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(pkg));
                if (component.size() > 1) {
                    found.add(component);
                }
            }
        }
    }
}
