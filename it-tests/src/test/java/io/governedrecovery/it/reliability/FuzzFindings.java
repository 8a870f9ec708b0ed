package io.governedrecovery.it.reliability;

/**
 * What the fuzz suite found in the product while it was built (each fixed with a regression test), and what it does
 * not cover yet: the last sections of the report.
 */
final class FuzzFindings {

    private FuzzFindings() {
    }

    static void write(SuiteReport report) {
        report.heading("Found and fixed while the suite was built");
        report.paragraph("None yet.");
        report.heading("Not covered yet");
        report.paragraph("The recovery console (issue 15) does not exist yet: its pages and calls are to be added as "
                + "targets when it lands (the approvers' REST endpoint it will use is covered).");
    }
}
