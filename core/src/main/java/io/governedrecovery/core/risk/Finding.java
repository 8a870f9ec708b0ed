package io.governedrecovery.core.risk;

import java.util.Map;

/**
 * An anomaly the scorer found. The id is stable: every cluster node that sees the same events derives the same id,
 * so the finding is stored and exported once.
 *
 * @param id          stable id: rule, realm, subject and the aligned window
 * @param rule        rule id, for example {@code failed-resets}
 * @param subject     what the finding is about: {@code account} (an existing account: {@code userId}, and its
 *                    {@code username}), {@code name} (a name typed at the reset prompt that matched no account: its
 *                    pseudonym in {@code username}, never the typed text), {@code address} ({@code ipAddress}) or
 *                    {@code department}
 * @param score       0 to 100
 * @param realmId     realm
 * @param userId      the account concerned, when known
 * @param username    the account's username, or the pseudonym of a typed name that matched no account
 * @param ipAddress   the source address concerned, when the rule is about an address
 * @param department  the department concerned, for department rules
 * @param time        when the finding was raised (the triggering event's time)
 * @param windowStart start of the window the evidence covers
 * @param windowEnd   end of that window
 * @param evidence    counts, thresholds and windows, as text
 */
public record Finding(String id, String rule, String subject, int score, String realmId, String userId, String username,
                      String ipAddress, String department, long time, long windowStart, long windowEnd,
                      Map<String, String> evidence) {

    public static final String SUBJECT_ACCOUNT = "account";
    public static final String SUBJECT_NAME = "name";
    public static final String SUBJECT_ADDRESS = "address";
    public static final String SUBJECT_DEPARTMENT = "department";

    public Finding {
        evidence = Map.copyOf(evidence);
        if (subject == null) {
            // A finding stored before subjects were named: derived from what it carries.
            subject = userId != null ? SUBJECT_ACCOUNT : username != null ? SUBJECT_NAME
                    : department != null && ipAddress == null ? SUBJECT_DEPARTMENT : SUBJECT_ADDRESS;
        }
    }

    /** OCSF severity: 1 informational, 2 low, 3 medium, 4 high, 5 critical. */
    public int severityId() {
        return score >= 90 ? 5 : score >= 70 ? 4 : score >= 40 ? 3 : score >= 20 ? 2 : 1;
    }
}
