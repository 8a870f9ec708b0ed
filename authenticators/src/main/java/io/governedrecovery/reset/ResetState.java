package io.governedrecovery.reset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.Strength;
import io.governedrecovery.core.policy.VerifiedMethod;

/**
 * The recovery's progress, kept in the authentication session (server side, bound to this one flow and browser tab).
 * Every proof is recorded with the user it was made for, so a flow whose user changes starts from nothing.
 */
public final class ResetState {

    static final String PREFIX = "governed-recovery.";
    static final String SUBJECT = PREFIX + "subject";
    static final String VERIFIED = PREFIX + "verified";
    static final String ACTIVE = PREFIX + "active";
    static final String SATISFIED_AT = PREFIX + "satisfied-at";
    static final String SATISFIED_BRANCH = PREFIX + "satisfied-branch";
    static final String APPROVED = PREFIX + "approved";
    static final String UNKNOWN = "-";

    private final AuthenticationSessionModel authSession;
    private final List<String> methodIds;

    /** @param methodIds every method id whose notes this state may hold (to clear them) */
    ResetState(AuthenticationSessionModel authSession, List<String> methodIds) {
        this.authSession = authSession;
        this.methodIds = methodIds;
    }

    static String subjectOf(UserModel user) {
        return user == null ? UNKNOWN : user.getId();
    }

    /** Starts (or restarts) a recovery for {@code user}; progress made for anyone else is dropped. */
    void beginFor(UserModel user) {
        String subject = subjectOf(user);
        if (!subject.equals(authSession.getAuthNote(SUBJECT))) {
            clear();
            authSession.setAuthNote(SUBJECT, subject);
        }
    }

    boolean isBoundTo(UserModel user) {
        return subjectOf(user).equals(authSession.getAuthNote(SUBJECT));
    }

    /** The key failure budgets are counted under: the user id, or the typed name for an unknown user. */
    String budgetSubject(UserModel user) {
        if (user != null) {
            return "user:" + user.getId();
        }
        String typed = authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        return "name:" + (typed == null ? "" : typed.trim().toLowerCase(Locale.ROOT));
    }

    List<VerifiedMethod> verified() {
        String raw = authSession.getAuthNote(VERIFIED);
        String subject = authSession.getAuthNote(SUBJECT);
        List<VerifiedMethod> proofs = new ArrayList<>();
        if (raw == null || subject == null) {
            return proofs;
        }
        for (String entry : raw.split(";")) {
            String[] parts = entry.split("\\|", 4);
            if (parts.length == 4 && parts[0].equals(subject)) {
                proofs.add(new VerifiedMethod(parts[1], Strength.valueOf(parts[2]), Channel.fromKey(parts[3])));
            }
        }
        return proofs;
    }

    boolean isVerified(String methodId) {
        return verified().stream().anyMatch(v -> v.methodId().equals(methodId));
    }

    void addVerified(VerifiedMethod proof) {
        String entry = authSession.getAuthNote(SUBJECT) + "|" + proof.methodId() + "|" + proof.strength() + "|"
                + proof.channel().key();
        String raw = authSession.getAuthNote(VERIFIED);
        authSession.setAuthNote(VERIFIED, raw == null || raw.isEmpty() ? entry : raw + ";" + entry);
    }

    String active() {
        return authSession.getAuthNote(ACTIVE);
    }

    void setActive(String methodId) {
        authSession.setAuthNote(ACTIVE, methodId);
    }

    void clearActive() {
        authSession.removeAuthNote(ACTIVE);
    }

    String code(String methodId) {
        return authSession.getAuthNote(PREFIX + "code." + methodId);
    }

    void setCode(String methodId, String serialized) {
        if (serialized == null) {
            authSession.removeAuthNote(PREFIX + "code." + methodId);
        } else {
            authSession.setAuthNote(PREFIX + "code." + methodId, serialized);
        }
    }

    int sends(String methodId) {
        String raw = authSession.getAuthNote(PREFIX + "sends." + methodId);
        return raw == null ? 0 : Integer.parseInt(raw);
    }

    void countSend(String methodId) {
        authSession.setAuthNote(PREFIX + "sends." + methodId, Integer.toString(sends(methodId) + 1));
    }

    void markSatisfied(long epochMillis, ResetSettings.Branch branch) {
        authSession.setAuthNote(SATISFIED_AT, Long.toString(epochMillis));
        authSession.setAuthNote(SATISFIED_BRANCH, branch.name());
    }

    /** Which branch's policy this flow met for {@code user}, or null. */
    public static ResetSettings.Branch satisfiedBranch(AuthenticationSessionModel authSession, UserModel user) {
        String raw = authSession.getAuthNote(SATISFIED_BRANCH);
        if (raw == null || satisfiedAt(authSession, user) < 0) {
            return null;
        }
        return ResetSettings.Branch.valueOf(raw);
    }

    /** The methods proven in this flow for {@code user}, by id (for the approvers' notice). */
    public static List<String> provenMethods(AuthenticationSessionModel authSession, UserModel user) {
        if (user == null || !user.getId().equals(authSession.getAuthNote(SUBJECT))) {
            return List.of();
        }
        return new ResetState(authSession, List.of()).verified().stream().map(VerifiedMethod::methodId).toList();
    }

    /** When the policy was met in this flow, or -1. */
    public static long satisfiedAt(AuthenticationSessionModel authSession, UserModel user) {
        String raw = authSession.getAuthNote(SATISFIED_AT);
        if (raw == null || user == null || !user.getId().equals(authSession.getAuthNote(SUBJECT))) {
            return -1;
        }
        return Long.parseLong(raw);
    }

    /** Records that a second person approved this flow's reset of {@code user} (the approval was used up). */
    public static void markApproved(AuthenticationSessionModel authSession, UserModel user, String approvalId) {
        authSession.setAuthNote(APPROVED, user.getId() + ":" + approvalId);
    }

    /** Whether this flow holds a used-up approval for {@code user}. */
    public static boolean approved(AuthenticationSessionModel authSession, UserModel user) {
        String raw = authSession.getAuthNote(APPROVED);
        return raw != null && user != null && raw.startsWith(user.getId() + ":")
                && user.getId().equals(authSession.getAuthNote(SUBJECT));
    }

    /** Ends a recovery from outside the reset step (approval denied, expired, tampered): every proof is gone. */
    public static void forget(AuthenticationSessionModel authSession) {
        new ResetState(authSession, List.of()).clear();
    }

    void clear() {
        for (String key : List.of(SUBJECT, VERIFIED, ACTIVE, SATISFIED_AT, SATISFIED_BRANCH, APPROVED)) {
            authSession.removeAuthNote(key);
        }
        for (String methodId : methodIds) {
            authSession.removeAuthNote(PREFIX + "code." + methodId);
            authSession.removeAuthNote(PREFIX + "sends." + methodId);
        }
    }
}
