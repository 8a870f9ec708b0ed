package io.governedrecovery.core.risk;

import java.time.Duration;

/**
 * Thresholds of the anomaly rules. Defaults follow what peers document (see the README): five failed resets in ten
 * minutes, ten accounts from one address in ten minutes, a department at three times its own hourly baseline.
 *
 * @param failedResets           failed reset tries per account that raise "failed-resets"
 * @param failedResetWindow      their window
 * @param ipAccounts             distinct accounts one address touches that raise "ip-many-accounts"
 * @param ipWindow               their window
 * @param departmentMinimum      resets in a department's hour below which no spike is raised
 * @param departmentFactor       a spike is that many times the department's own hourly baseline
 * @param newSubnetHistory       sightings of an account before a new subnet is worth a finding
 * @param methodChangeWindow     a reset this soon after a recovery-method change raises "reset-after-method-change"
 * @param sendsPerAccount        codes sent to one account per hour that raise "send-volume"
 * @param sendsPerAddress        codes requested from one address per hour that raise "send-volume"
 * @param riskTtl                how long a finding raises the account's and the address's risk
 * @param elevatedScore          risk score from which the flow asks for one more strong method
 * @param highScore              risk score from which self-service is refused
 * @param maxKeysPerTable        bound of every per-key table (memory bound)
 */
public record ScorerSettings(int failedResets, Duration failedResetWindow, int ipAccounts, Duration ipWindow,
                             int departmentMinimum, double departmentFactor, int newSubnetHistory,
                             Duration methodChangeWindow, int sendsPerAccount, int sendsPerAddress, Duration riskTtl,
                             int elevatedScore, int highScore, int maxKeysPerTable) {

    public static final ScorerSettings DEFAULTS = new ScorerSettings(5, Duration.ofMinutes(10), 10,
            Duration.ofMinutes(10), 5, 3.0, 3, Duration.ofHours(72), 10, 30, Duration.ofMinutes(60), 40, 80, 200_000);

    public ScorerSettings {
        positive("failed-resets", failedResets, 1, 255);
        positive("ip-accounts", ipAccounts, 2, 127);
        positive("department-minimum", departmentMinimum, 1, 1_000_000);
        positive("new-subnet-history", newSubnetHistory, 1, 255);
        positive("sends-per-account", sendsPerAccount, 1, 255);
        positive("sends-per-address", sendsPerAddress, 1, 255);
        positive("elevated-score", elevatedScore, 1, 100);
        positive("high-score", highScore, elevatedScore, 100);
        positive("max-keys-per-table", maxKeysPerTable, 16, 50_000_000);
        if (departmentFactor < 1.0 || departmentFactor > 100) {
            throw new IllegalArgumentException("department-factor is " + departmentFactor + "; allowed is 1 to 100");
        }
        for (Duration d : new Duration[] {failedResetWindow, ipWindow, methodChangeWindow, riskTtl}) {
            if (d.isNegative() || d.isZero() || d.toDays() > 30) {
                throw new IllegalArgumentException("windows must be between 1 s and 30 days, got " + d);
            }
        }
    }

    private static void positive(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " is " + value + "; allowed is " + min + " to " + max);
        }
    }
}
