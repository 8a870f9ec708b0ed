package io.governedrecovery.governance;

import java.util.List;

/** What the registration campaign's page shows. */
public final class RegistrationPageBean {

    private final boolean meets;
    private final List<String> methods;
    private final int required;
    private final int requiredStrong;
    private final List<String> registrations;
    private final int snoozesLeft;
    private final String deadline;

    RegistrationPageBean(boolean meets, List<String> methods, int required, int requiredStrong,
                         List<String> registrations, int snoozesLeft, String deadline) {
        this.meets = meets;
        this.methods = List.copyOf(methods);
        this.required = required;
        this.requiredStrong = requiredStrong;
        this.registrations = List.copyOf(registrations);
        this.snoozesLeft = snoozesLeft;
        this.deadline = deadline;
    }

    /** The account already meets its policy: the page asks to review and confirm. */
    public boolean isMeets() {
        return meets;
    }

    public List<String> getMethods() {
        return methods;
    }

    public int getRequired() {
        return required;
    }

    public int getRequiredStrong() {
        return requiredStrong;
    }

    /** Registration pages on offer (required-action aliases). */
    public List<String> getRegistrations() {
        return registrations;
    }

    public int getSnoozesLeft() {
        return snoozesLeft;
    }

    public String getDeadline() {
        return deadline;
    }
}
