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

    private final List<MethodEntry> methods;
    private final int required;
    private final int requiredStrong;
    private final int proven;
    private int strongProven;
    private boolean adminProcedure;
    private String introKey;
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

    RecoveryPageBean strongProven(int value) {
        this.strongProven = value;
        return this;
    }

    RecoveryPageBean adminProcedure() {
        this.adminProcedure = true;
        return this;
    }

    /** Another intro for the helpdesk page (a message key), for example "try again later". */
    RecoveryPageBean intro(String key) {
        this.introKey = key;
        return this;
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
