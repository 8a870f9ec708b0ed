package io.governedrecovery.governance;

import java.util.List;

/** What the contact-change page shows: which contact, which stage, and the step-up methods on offer. */
public final class ContactPageBean {

    private final String kind;
    private final String stage;
    private final List<String> stepUps;

    ContactPageBean(String kind, String stage, List<String> stepUps) {
        this.kind = kind;
        this.stage = stage;
        this.stepUps = List.copyOf(stepUps);
    }

    public String getKind() {
        return kind;
    }

    public String getStage() {
        return stage;
    }

    public List<String> getStepUps() {
        return stepUps;
    }
}
