package io.governedrecovery.it.harness;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the one-time code in a received mail or text message. */
public final class Codes {

    private static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{6,10})(?![0-9])");

    private Codes() {
    }

    public static String in(String text) {
        Matcher m = CODE.matcher(text);
        if (!m.find()) {
            throw new AssertionError("No code in: " + text);
        }
        return m.group(1);
    }
}
