package io.governedrecovery.freeze;

import java.util.Optional;

import org.keycloak.models.UserModel;

/**
 * Self-service recovery frozen for one account: its reset walks the pages of an unknown name and ends on the helpdesk
 * page, as a break-glass account's does. Set by a security analyst confirming a finding (and by the owner's "this was
 * not me"); lifted only by the helpdesk through the admin API. Sign-in with the password and second factor is not
 * affected: the owner is not locked out.
 *
 * <p>Kept as user-profile "unmanaged" attributes, which the account console neither shows nor edits (the realm's
 * default; the policy summary reports a realm that lets users edit them).
 */
public final class RecoveryFreeze {

    public static final String PREFIX = "governed-recovery.frozen";
    static final String AT = PREFIX + "-at";
    static final String BY = PREFIX + "-by";
    static final String REASON = PREFIX + "-reason";
    /** How many times the helpdesk lifted a freeze: "This was not me" links of an earlier generation are refused. */
    static final String GENERATION = "governed-recovery.freeze-generation";
    /** Who froze the account when its owner reported a notice as not theirs. */
    public static final String BY_OWNER = "owner";

    /** When (epoch milliseconds), by whom (a user id) and why (a finding id, or a short reason). */
    public record Freeze(long at, String by, String reason) {
    }

    private RecoveryFreeze() {
    }

    public static boolean isFrozen(UserModel user) {
        return user != null && user.getFirstAttribute(AT) != null;
    }

    public static Optional<Freeze> of(UserModel user) {
        String at = user == null ? null : user.getFirstAttribute(AT);
        if (at == null) {
            return Optional.empty();
        }
        long time;
        try {
            time = Long.parseLong(at);
        } catch (NumberFormatException unreadable) {
            time = 0; // still frozen: an unreadable time never unfreezes an account
        }
        return Optional.of(new Freeze(time, user.getFirstAttribute(BY), user.getFirstAttribute(REASON)));
    }

    public static void freeze(UserModel user, long at, String by, String reason) {
        user.setSingleAttribute(AT, Long.toString(at));
        user.setSingleAttribute(BY, by == null ? "" : by);
        user.setSingleAttribute(REASON, reason == null ? "" : reason);
    }

    /** The account's generation of "This was not me" links (0 until the helpdesk first lifts a freeze). */
    public static long generation(UserModel user) {
        String raw = user.getFirstAttribute(GENERATION);
        try {
            return raw == null ? 0 : Long.parseLong(raw);
        } catch (NumberFormatException unreadable) {
            return -1; // matches no link: an unreadable generation never lets an old link work
        }
    }

    /** Lifts the freeze, and ends the account's earlier links; false when the account was not frozen. */
    public static boolean lift(UserModel user) {
        if (!isFrozen(user)) {
            return false;
        }
        user.setSingleAttribute(GENERATION, Long.toString(Math.max(0, generation(user)) + 1));
        user.removeAttribute(AT);
        user.removeAttribute(BY);
        user.removeAttribute(REASON);
        return true;
    }
}
