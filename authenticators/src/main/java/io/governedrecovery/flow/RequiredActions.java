package io.governedrecovery.flow;

/**
 * The ids of the pack's required actions that other capabilities set on an account (the reset's completion asks the
 * registration campaign for new methods), so they need not reach into the capability that implements them.
 */
public final class RequiredActions {

    /** The registration campaign: register recovery methods. */
    public static final String REGISTER = "governed-recovery-register";

    private RequiredActions() {
    }
}
