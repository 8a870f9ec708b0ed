package io.governedrecovery.privileged;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * What Governed Recovery records on a break-glass account, as user attributes (so it lives and is exported with the
 * account): the last intentional test (when, by whom, ticket), the window in which a sign-in counts as that test, and
 * the last real use. Also finds a realm's break-glass accounts.
 */
public final class BreakGlassRecords {

    public static final String PREFIX = Tiers.BREAK_GLASS_ATTRIBUTE + ".";
    public static final String LAST_TEST_AT = PREFIX + "last-test-at";
    public static final String LAST_TEST_BY = PREFIX + "last-test-by";
    public static final String LAST_TEST_TICKET = PREFIX + "last-test-ticket";
    public static final String TEST_UNTIL = PREFIX + "test-until";
    public static final String LAST_USE_AT = PREFIX + "last-use-at";
    public static final String LAST_SIGN_IN_AT = PREFIX + "last-sign-in-at";

    /** A ticket reference: 1 to 64 letters, digits and {@code . _ : / # -}. */
    public static final Pattern TICKET = Pattern.compile("[A-Za-z0-9._:/#-]{1,64}");
    private static final int MAX_ACCOUNTS = 1000;

    private BreakGlassRecords() {
    }

    /** Records an intentional test; sign-ins until {@code testUntil} count as that test. */
    public static void recordTest(UserModel user, long at, String by, String ticket, long testUntil) {
        user.setSingleAttribute(LAST_TEST_AT, Long.toString(at));
        user.setSingleAttribute(LAST_TEST_BY, by);
        user.setSingleAttribute(LAST_TEST_TICKET, ticket);
        user.setSingleAttribute(TEST_UNTIL, Long.toString(testUntil));
    }

    /** Whether a sign-in at {@code at} falls in a recorded test's window. */
    public static boolean inTestWindow(UserModel user, long at) {
        OptionalLong until = millis(user, TEST_UNTIL);
        OptionalLong from = millis(user, LAST_TEST_AT);
        return until.isPresent() && from.isPresent() && at >= from.getAsLong() && at <= until.getAsLong();
    }

    public static OptionalLong millis(UserModel user, String attribute) {
        String value = user.getFirstAttribute(attribute);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The status of a realm's break-glass accounts: each with its last test (at, by, ticket), whether the test is
     * overdue, its last real use and sign-in, and whether a new password is pending.
     */
    public static Map<String, Object> status(KeycloakSession session, RealmModel realm, TierDefinition definition,
                                             long now) {
        long period = definition.breakGlassTestDays() * 86_400_000L;
        List<Map<String, Object>> accounts = new ArrayList<>();
        int overdue = 0;
        for (UserModel user : accounts(session, realm, definition)) {
            OptionalLong lastTest = millis(user, LAST_TEST_AT);
            boolean late = lastTest.isEmpty() || lastTest.getAsLong() < now - period;
            overdue += late ? 1 : 0;
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", user.getId());
            a.put("username", user.getUsername());
            a.put("enabled", user.isEnabled());
            a.put("lastTestAt", value(lastTest));
            a.put("lastTestBy", user.getFirstAttribute(LAST_TEST_BY));
            a.put("lastTestTicket", user.getFirstAttribute(LAST_TEST_TICKET));
            a.put("testOverdue", late);
            a.put("testDue", lastTest.isPresent() ? lastTest.getAsLong() + period : null);
            a.put("lastUseAt", value(millis(user, LAST_USE_AT)));
            a.put("lastSignInAt", value(millis(user, LAST_SIGN_IN_AT)));
            a.put("rotationRequired", user.getRequiredActionsStream()
                    .anyMatch(UserModel.RequiredAction.UPDATE_PASSWORD.name()::equals));
            accounts.add(a);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("testDays", definition.breakGlassTestDays());
        body.put("testWindowMinutes", definition.breakGlassTestWindowMinutes());
        body.put("overdue", overdue);
        body.put("accounts", accounts);
        return body;
    }

    private static Long value(OptionalLong millis) {
        return millis.isPresent() ? millis.getAsLong() : null;
    }

    /** The realm's break-glass accounts: by the marking attribute and by membership of the break-glass groups. */
    public static List<UserModel> accounts(KeycloakSession session, RealmModel realm, TierDefinition definition) {
        Map<String, UserModel> found = new LinkedHashMap<>();
        var attribute = definition.breakGlassAttribute();
        // A marking without a value matches any value; the listing finds those marked "true".
        session.users().searchForUserByUserAttributeStream(realm, attribute.name(), attribute.value().orElse("true"))
                .limit(MAX_ACCOUNTS).forEach(u -> found.putIfAbsent(u.getId(), u));
        for (String path : definition.breakGlassGroups()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group != null) {
                GroupMembers.of(session, realm, group, MAX_ACCOUNTS, u -> true)
                        .forEach(u -> found.putIfAbsent(u.getId(), u));
            }
        }
        return new ArrayList<>(found.values());
    }
}
