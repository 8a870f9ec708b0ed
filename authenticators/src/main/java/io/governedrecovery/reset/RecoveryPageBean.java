package io.governedrecovery.reset;

import java.util.List;

/**
 * What the recovery templates show, as plain getters for FreeMarker. Holds nothing that differs between an existing
 * and an unknown account before a method was proven.
 */
public final class RecoveryPageBean {

    /** One method on the selection page. */
    public static final class MethodEntry {
        private final String id;
        private final boolean strong;
        private final boolean verified;

        MethodEntry(String id, boolean strong, boolean verified) {
            this.id = id;
            this.strong = strong;
            this.verified = verified;
        }

        public String getId() {
            return id;
        }

        public boolean isStrong() {
            return strong;
        }

        public boolean isVerified() {
            return verified;
        }
    }

    /** A proven method the policy does not count (yet): {@code reason} "cooldown" (added recently) or "weak". */
    public static final class NotCounting {
        private final String methodId;
        private final String reason;

        NotCounting(String methodId, String reason) {
            this.methodId = methodId;
            this.reason = reason;
        }

        public String getMethodId() {
            return methodId;
        }

        public String getReason() {
            return reason;
        }
    }

    private final List<MethodEntry> methods;
    private int counted;
    private int strongCounted;
    private int missing;
    private int strongMissing;
    private List<NotCounting> notCounting = List.of();
    private long cooldownHours;
    private String introArg = "";
    private final int required;
    private final int requiredStrong;
    private final int proven;
    private int strongProven;
    private boolean adminProcedure;
    private String introKey;
    private long waitingHours;
    private final String active;
    private final String helpdeskText;
    private final String helpdeskUrl;
    private String instruction;
    private List<String> instructionArgs = List.of();
    private String destination;
    private boolean resendable;
    private int codeLength;
    private String inputMode = "numeric";

    RecoveryPageBean(List<MethodEntry> methods, int required, int requiredStrong, int proven, String active,
                     String helpdeskText, String helpdeskUrl) {
        this.methods = List.copyOf(methods);
        this.required = required;
        this.requiredStrong = requiredStrong;
        this.proven = proven;
        this.active = active;
        this.helpdeskText = helpdeskText;
        this.helpdeskUrl = helpdeskUrl;
    }

    RecoveryPageBean instruction(String key, List<String> args) {
        this.instruction = key;
        this.instructionArgs = List.copyOf(args);
        return this;
    }

    RecoveryPageBean destination(String masked) {
        this.destination = masked;
        return this;
    }

    RecoveryPageBean resendable(boolean value) {
        this.resendable = value;
        return this;
    }

    RecoveryPageBean codeLength(int value) {
        this.codeLength = value;
        return this;
    }

    /** What the server counts of the proofs so far, what is still missing, and which proofs do not count. */
    RecoveryPageBean counted(int channels, int strong, int channelsMissing, int strongStillMissing,
                             List<NotCounting> notCountingYet, long cooldown) {
        this.counted = channels;
        this.strongCounted = strong;
        this.missing = channelsMissing;
        this.strongMissing = strongStillMissing;
        this.notCounting = List.copyOf(notCountingYet);
        this.cooldownHours = cooldown;
        return this;
    }

    RecoveryPageBean strongProven(int value) {
        this.strongProven = value;
        return this;
    }

    RecoveryPageBean adminProcedure() {
        this.adminProcedure = true;
        return this;
    }

    /** The helpdesk page offers a waiting period of {@code hours} instead (0: no offer). */
    RecoveryPageBean waitingOffer(long hours) {
        this.waitingHours = hours;
        return this;
    }

    public long getWaitingHours() {
        return waitingHours;
    }

    /** Another intro for the helpdesk page (a message key), for example "try again later". */
    RecoveryPageBean intro(String key) {
        this.introKey = key;
        return this;
    }

    /** Another intro for the helpdesk page with one argument (a number, a method's name). */
    RecoveryPageBean intro(String key, String arg) {
        this.introKey = key;
        this.introArg = arg;
        return this;
    }

    public String getIntroArg() {
        return introArg;
    }

    /** Distinct channels proven that the policy counts (what the server counts, not just what was proven). */
    public int getCounted() {
        return counted;
    }

    public int getStrongCounted() {
        return strongCounted;
    }

    /** Channels still needed. */
    public int getMissing() {
        return missing;
    }

    /** Strong channels still needed. */
    public int getStrongMissing() {
        return strongMissing;
    }

    /** Channels still needed beyond the strong ones (of any kind). */
    public int getOtherMissing() {
        return Math.max(0, missing - strongMissing);
    }

    public List<NotCounting> getNotCounting() {
        return notCounting;
    }

    public long getCooldownHours() {
        return cooldownHours;
    }

    public String getIntroKey() {
        return introKey;
    }

    RecoveryPageBean textInput() {
        this.inputMode = "text";
        return this;
    }

    public List<MethodEntry> getMethods() {
        return methods;
    }

    public int getRequired() {
        return required;
    }

    public int getRequiredStrong() {
        return requiredStrong;
    }

    public int getProven() {
        return proven;
    }

    public int getStrongProven() {
        return strongProven;
    }

    /** Whether every required method must be strong (the privileged branch): progress counts strong ones. */
    public boolean isStrongOnly() {
        return requiredStrong >= required;
    }

    /** The helpdesk page shows the admin-recovery procedure (privileged branch without self-service). */
    public boolean isAdminProcedure() {
        return adminProcedure;
    }

    public String getActive() {
        return active;
    }

    public String getHelpdeskText() {
        return helpdeskText;
    }

    public String getHelpdeskUrl() {
        return helpdeskUrl;
    }

    public String getInstruction() {
        return instruction;
    }

    public List<String> getInstructionArgs() {
        return instructionArgs;
    }

    public String getDestination() {
        return destination;
    }

    public boolean isResendable() {
        return resendable;
    }

    public int getCodeLength() {
        return codeLength;
    }

    public String getInputMode() {
        return inputMode;
    }
}
