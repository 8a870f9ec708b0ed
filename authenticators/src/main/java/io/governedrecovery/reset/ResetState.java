package io.governedrecovery.reset;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.RegisteredMethod;
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
    /** The wait this flow matured (user id : wait id): the new password completes it. */
    static final String WAITED = PREFIX + "waited";
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

    List<VerifiedMethod> verified() {
        return provenRegistrations().stream().map(VerifiedMethod::of).toList();
    }

    /**
     * The registrations of the methods proven in this flow, as they stood when each was proven: a proof that used a
     * method up (the last recovery code) still counts, with the cooldown of its time.
     */
    List<RegisteredMethod> provenRegistrations() {
        String raw = authSession.getAuthNote(VERIFIED);
        String subject = authSession.getAuthNote(SUBJECT);
        List<RegisteredMethod> proofs = new ArrayList<>();
        if (raw == null || subject == null) {
            return proofs;
        }
        for (String entry : raw.split(";")) {
            String[] parts = entry.split("\\|", -1);
            if (parts.length == 5 && decode(parts[0]).equals(subject)) {
                proofs.add(new RegisteredMethod(decode(parts[1]), Strength.valueOf(parts[2]),
                        Channel.fromKey(decode(parts[3])), Instant.ofEpochMilli(Long.parseLong(parts[4]))));
            }
        }
        return proofs;
    }

    boolean isVerified(String methodId) {
        return verified().stream().anyMatch(v -> v.methodId().equals(methodId));
    }

    void addVerified(RegisteredMethod proof) {
        // Each field encoded: a channel's identity (an email address) may itself contain '|' or ';'.
        String entry = encode(authSession.getAuthNote(SUBJECT)) + "|" + encode(proof.methodId()) + "|"
                + proof.strength() + "|" + encode(proof.channel().key()) + "|" + proof.changedAt().toEpochMilli();
        String raw = authSession.getAuthNote(VERIFIED);
        authSession.setAuthNote(VERIFIED, raw == null || raw.isEmpty() ? entry : raw + ";" + entry);
    }

    private static String encode(String field) {
        return URLEncoder.encode(field, StandardCharsets.UTF_8);
    }

    private static String decode(String field) {
        return URLDecoder.decode(field, StandardCharsets.UTF_8);
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

    /** Records that this flow's proof completes {@code user}'s matured wait {@code waitId}. */
    void markWaited(UserModel user, String waitId) {
        authSession.setAuthNote(WAITED, user.getId() + ":" + waitId);
    }

    /** The wait this flow matured for {@code user}, or null. */
    static String waited(AuthenticationSessionModel authSession, UserModel user) {
        String raw = authSession.getAuthNote(WAITED);
        if (raw == null || user == null || !raw.startsWith(user.getId() + ":")
                || !user.getId().equals(authSession.getAuthNote(SUBJECT))) {
            return null;
        }
        return raw.substring(user.getId().length() + 1);
    }

    /** Ends a recovery from outside the reset step (approval denied, expired, tampered): every proof is gone. */
    public static void forget(AuthenticationSessionModel authSession) {
        new ResetState(authSession, List.of()).clear();
    }

    void clear() {
        for (String key : List.of(SUBJECT, VERIFIED, ACTIVE, SATISFIED_AT, SATISFIED_BRANCH, APPROVED, WAITED)) {
            authSession.removeAuthNote(key);
        }
        for (String methodId : methodIds) {
            authSession.removeAuthNote(PREFIX + "code." + methodId);
            authSession.removeAuthNote(PREFIX + "sends." + methodId);
        }
    }
}
