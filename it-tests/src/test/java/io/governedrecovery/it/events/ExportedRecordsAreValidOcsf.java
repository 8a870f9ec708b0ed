package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.events.export.OcsfValidator;
import io.governedrecovery.it.harness.ExportedEvents;

/**
 * Every record the integration tests exported, in every export file they left (the shared server's
 * {@code <harness work dir>/export} and each failsafe fork's {@code harness-<n>/export}, each cluster scenario's {@code cluster-<class>/node<n>/export}, rotated files
 * included), validated against OCSF 1.8.0 ({@link OcsfValidator}: required attributes, unknown attributes outside
 * {@code unmapped}, enums and their captions, types, constraints, nested objects). Fails listing the first invalid
 * records with the reasons; prints the count validated per class.
 * <p>
 * Runs in its own failsafe execution after the other integration tests ({@code it-tests/pom.xml},
 * {@code ocsf-validation}); its name does not end in IT, so the main execution never runs it early.
 */
class ExportedRecordsAreValidOcsf {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 20;

    @Test
    void every_exported_record_is_valid_ocsf_1_8_0() throws IOException {
        List<Path> files = exportFiles();
        Assumptions.assumeFalse(files.isEmpty(), "no export files: no integration test exported anything");
        OcsfValidator validator = OcsfValidator.load();
        Map<String, Integer> perClass = new TreeMap<>();
        List<String> invalid = new ArrayList<>();
        int records = 0;
        int bad = 0;
        for (Path file : files) {
            int line = 0;
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                records++;
                JsonNode record;
                List<String> problems;
                try {
                    record = JSON.readTree(text);
                    problems = validator.validate(record);
                } catch (IOException notJson) {
                    record = null;
                    problems = List.of("not JSON: " + notJson.getMessage());
                }
                String cls = record == null ? "unreadable" : record.path("class_uid").asInt() + " "
                        + String.valueOf(validator.className(record.path("class_uid").asInt()));
                perClass.merge(cls, 1, Integer::sum);
                if (!problems.isEmpty()) {
                    bad++;
                    if (invalid.size() < SHOWN) {
                        invalid.add(file + ":" + line + " " + problems + "\n    " + text);
                    }
                }
            }
        }
        StringBuilder counts = new StringBuilder("OCSF " + OcsfValidator.VERSION + ": validated " + records
                + " exported records in " + files.size() + " files; per class:");
        perClass.forEach((cls, n) -> counts.append("\n  ").append(cls).append(": ").append(n));
        System.out.println(counts);
        assertThat(records).as("records in " + files).isPositive();
        assertThat(invalid).as(bad + " of " + records + " exported records are not valid OCSF "
                + OcsfValidator.VERSION + " (the first " + invalid.size() + " below)\n" + counts).isEmpty();
    }

    /** The export files of the shared test server and of the cluster scenarios, as the suite left them. */
    static List<Path> exportFiles() throws IOException {
        Path work = Path.of(System.getProperty("harness.work.dir", "target/harness")).toAbsolutePath();
        List<Path> roots = new ArrayList<>();
        roots.add(work.resolve("export"));
        Path target = work.getParent();
        if (target != null && Files.isDirectory(target)) {
            try (Stream<Path> siblings = Files.list(target)) {
                siblings.filter(p -> p.getFileName().toString().startsWith("harness-") && !p.equals(work)
                        && Files.isDirectory(p)).sorted().forEach(fork -> roots.add(fork.resolve("export")));
            }
            try (Stream<Path> siblings = Files.list(target)) {
                siblings.filter(p -> p.getFileName().toString().startsWith("cluster-") && Files.isDirectory(p))
                        .sorted().forEach(cluster -> {
                            try (Stream<Path> nodes = Files.list(cluster)) {
                                nodes.sorted().forEach(node -> roots.add(node.resolve("export")));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
            }
        }
        String prefix = ExportedEvents.FILE.substring(0, ExportedEvents.FILE.length() - ".jsonl".length());
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> list = Files.list(root)) {
                    list.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(".jsonl")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }
}
