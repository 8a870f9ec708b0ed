package io.governedrecovery.it.harness;

import java.util.Map;

/** What an attacker does at the reset pages, for the tests of what follows. */
public final class Attacks {

    private static final String METHODS_FORM = "governed-recovery-methods-form";
    private static final String CODE_FORM = "governed-recovery-code-form";

    private Attacks() {
    }

    /** Names {@code username} at the reset page, chooses the authenticator app and types five wrong codes. */
    public static void fiveWrongAppCodes(TestRealm realm, String username) {
        fiveWrongAppCodes(realm, username, null);
    }

    /**
     * The same from {@code address} (sent as X-Forwarded-For: the realm's recovery controls must trust the test's
     * loopback address as a proxy), so the method pauses for that address, not for the owner's.
     */
    public static void fiveWrongAppCodes(TestRealm realm, String username, String address) {
        FlowClient attacker = new FlowClient();
        if (address != null) {
            attacker.header("X-Forwarded-For", address);
        }
        FlowClient.Page page = attacker.post(attacker.requestReset(attacker.openResetPage(realm), username)
                .formAction(METHODS_FORM), Map.of("action", "select", "method", "totp"));
        for (int i = 0; i < 5; i++) {
            FlowClient.Page answer = attacker.post(page.formAction(CODE_FORM),
                    Map.of("action", "verify", "code", "00000" + i));
            if (answer.body().contains(CODE_FORM)) {
                page = answer;
            }
        }
    }
}
