package io.governedrecovery.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the helper programs of the test servers (database tools, slapd, rsyslogd), logging to a file. */
public final class Processes {

    private Processes() {
    }

    /** Runs {@code command} to its end; fails with the log's tail when it does not succeed. Returns its output. */
    public static String run(List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Path out = Files.createTempFile(log.getParent(), "out", ".txt");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile())).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + output, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Files.deleteIfExists(out);
            if (!ended) {
                p.destroyForcibly();
                throw new HarnessException("Timed out: " + String.join(" ", command) + " (see " + log + ")");
            }
            if (p.exitValue() != 0) {
                throw new HarnessException("Failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n"
                        + output.lines().skip(Math.max(0, output.lines().count() - 15)).reduce("", (a, b) -> a + b + "\n"));
            }
            return output;
        } catch (IOException e) {
            throw new HarnessException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("Interrupted while running " + command.get(0));
        }
    }

    /** Starts a long-running server process in the foreground of its own, its output appended to {@code log}. */
    static Process start(List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new HarnessException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Ends a process this harness started (SIGTERM, then SIGKILL after {@code graceSeconds}). */
    static void stop(Process process, int graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
