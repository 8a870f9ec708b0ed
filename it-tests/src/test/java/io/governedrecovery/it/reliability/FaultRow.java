package io.governedrecovery.it.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * One fault's line of the faults report, its details (a few lines under the table) and the problems it found (what
 * the suite then fails on: a lost event, a partial state, a page nobody may see...).
 */
final class FaultRow {

    static final List<String> COLUMNS = List.of("fault", "what was done", "events committed", "events lost",
            "duplicates (all with the same id?)", "partial state found", "user-visible pages seen", "recovery time");

    final String fault;
    String done = "";
    String committed = "";
    String lost = "";
    String duplicates = "";
    String partial = "";
    String pages = "";
    String recovery = "";
    final List<String> details = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    FaultRow(String fault) {
        this.fault = fault;
    }

    /** Notes something the fault must not cause; the suite fails on it after the report is written. */
    FaultRow problem(String what) {
        problems.add(what);
        return this;
    }

    FaultRow detail(String line) {
        details.add(line);
        return this;
    }

    /** Checks {@code ok}; notes {@code what} as a problem when it does not hold. */
    FaultRow check(boolean ok, String what) {
        if (!ok) {
            problem(what);
        }
        return this;
    }

    List<String> cells() {
        return List.of(fault, done, committed, lost, duplicates, partial, pages, recovery).stream()
                .map(c -> c.replace("|", "/").replace("\n", " ")).toList();
    }

    @Override
    public String toString() {
        return fault + ": " + String.join(" | ", cells().subList(1, cells().size())) + "\n  details: " + details
                + "\n  problems: " + problems;
    }
}
