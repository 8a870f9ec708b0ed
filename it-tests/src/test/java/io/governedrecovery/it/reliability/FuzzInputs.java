package io.governedrecovery.it.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The hostile values the fuzz suite sends, by input class, and the seeded choice among them: input number {@code i} of
 * a run with seed {@code s} is always the same value, whichever thread sends it, so a run can be replayed.
 *
 * <p>A value is text to put into a field (URL-encoded by the sender) or, when {@link Value#raw} is set, text that goes
 * into a form body or URL as it is (broken or overlong percent-escapes, which no encoder would produce).
 */
public final class FuzzInputs {

    /** What kind of hostile input a value is (the rows of the report's per-class table). */
    public enum InputClass {
        WRONG_TYPE("wrong type"),
        HUGE("huge (64 KiB+, 1 MiB bodies)"),
        EMPTY("empty"),
        MISSING("missing"),
        DUPLICATED("duplicated"),
        UNICODE("unicode (RTL, combining, astral, NUL, overlong-ish)"),
        CONTROL("control characters"),
        CRLF("CRLF"),
        INJECTION("injection (SQL, LDAP, FreeMarker, HTML/JS, path, JSON/CSV formula)"),
        OUT_OF_RANGE("numbers out of range"),
        REPLAYED("replayed session code"),
        CROSS_TAB("session code of another tab"),
        OTHER_USER("another user's flow, id or token");

        private final String label;

        InputClass(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Value classes: the ones a plain text value stands for (the others are built by the target). */
    static final List<InputClass> VALUE_CLASSES = List.of(InputClass.WRONG_TYPE, InputClass.HUGE, InputClass.EMPTY,
            InputClass.UNICODE, InputClass.CONTROL, InputClass.CRLF, InputClass.INJECTION, InputClass.OUT_OF_RANGE);

    /** A value to send: {@code raw} values go into a body or URL without encoding. */
    public record Value(String text, boolean raw) {

        static Value of(String text) {
            return new Value(text, false);
        }

        static Value raw(String text) {
            return new Value(text, true);
        }

        /** A short printable form for reports: control characters escaped, long values cut. */
        public String shown() {
            return FuzzInputs.shown(text) + (raw ? " (raw)" : "");
        }
    }

    /** A number a template would print if it evaluated our expressions ({@code 1048573*13}). */
    public static final String EVALUATED_MARKER = "13631449";
    /** The alert number of our HTML/JS payloads; an unescaped payload with it in an HTML answer is an injection. */
    public static final List<String> UNESCAPED_MARKERS = List.of("<script>alert(8241)", "<img src=x onerror=alert(8241)>",
            "<svg/onload=alert(8241)>", "<iframe src=//evil.example>", "\" autofocus onfocus=alert(8241) x=\"");

    static final int HUGE_FIELD = 64 * 1024;
    static final int HUGE_BODY = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> WRONG_TYPE = List.of("true", "false", "null", "[]", "{}", "[\"select\"]", "{\"a\":1}",
            "12345", "-1.5e3", "0", "undefined", "NaN", "2026-01-01T00:00:00Z", "[object Object]", "0x1F", "1,2,3",
            "@@@", "?", "&", "=", "#", ";");

    static final List<String> EMPTY = List.of("", " ", "   ", "\t", "+", "\u00A0", "\u3000");

    static final List<String> UNICODE = List.of(
            "\u202Eevil\u202C", "\u202Egnp.exe", "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308",
            "Z\u0351\u0360\u0361\u035C\u0489\u0334\u0335", "\uD835\uDD4F\uD835\uDD38\uD83D\uDE42\uD83D\uDC69\u200D"
                    + "\uD83D\uDC69\u200D\uD83D\uDC67", "\uD83D\uDE00".repeat(60), "a\u0000b", "\u0000",
            "\u0000\u0000\u0000\u0000", "\uFEFFfz-std-0", "fz\u200B-std-0", "\u200D", "\uD800", "\uDFFF", "x\uD800y",
            "\uFFFD", "\uFFFF", "\uFFFE", "\u0430lice", "\uFF41\uFF4C\uFF49\uFF43\uFF45", "\u0130", "\u00DF", "\uFB00",
            "\u2028\u2029", "\u0085", "\u65E5\u672C\u8A9E\u30E6\u30FC\u30B6\u30FC", "\u0645\u0631\u062D\u0628\u0627",
            "\u05E9\u05DC\u05D5\u05DD", "\u2126", "\u212A", "\u017F", "\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17",
            "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "\u00E9", "e\u0301", "\u1100\u1161\u11A8",
            "\uDB40\uDC01", "\u0007\uD83D\uDE00", "FZ-STD-0", "Fz-Std-0\u0130");

    /** Overlong UTF-8, encoded surrogates and impossible bytes: raw percent-escapes no encoder writes. */
    static final List<String> OVERLONG = List.of("%C0%AF", "%C0%AE%C0%AE%2F", "%C0%80", "%E0%80%AF", "%ED%A0%80",
            "%ED%BF%BF", "%F8%88%80%80%80", "%FF%FE", "%80", "%C3", "%F4%90%80%80", "a%C0%80b");

    /** Percent-escapes that are not escapes at all. */
    static final List<String> BROKEN_ESCAPES = List.of("%zz", "%", "%%", "%u0041", "%2", "a%2Gb", "%%41");

    static final List<String> CONTROL = List.of("\u0001", "\u0007\u0008", "\u001B[2J\u001B[31mred", "a\u0001\u0002b",
            "\u007F", "\u009B31m", "\t\t", "\u000B\u000C", "x\u0008\u0008\u0008y", allControls(), "\u001F", "\u0004",
            "\u001A", "\u0085\u008D");

    static final List<String> CRLF = List.of("a\r\nb", "\r\n", "x\r\nSet-Cookie: fuzz=1", "x\r\n\r\n<h1>injected</h1>",
            "\n\n", "\r", "line1\nline2", "x\r\nX-Fuzz: 1", "\r\n\r\n", "a\n\rb", "x\u2028y");

    static final List<String> INJECTION = List.of(
            // SQL
            "' OR '1'='1", "' OR 1=1--", "\"; DROP TABLE USER_ENTITY; --", "1; SELECT pg_sleep(5)--", "admin'--",
            "') OR ('a'='a", "%' AND 1=0 UNION SELECT NULL,NULL--", "1' AND SLEEP(5)#",
            // LDAP
            "*", "*)(uid=*))(|(uid=*", "admin)(&)", "\\2a", "*()|&'", "(|(objectClass=*))",
            // FreeMarker and other template languages
            "${1048573*13}", "<#assign x=\"freemarker.template.utility.Execute\"?new()>${x(\"id\")}",
            "${\"freemarker.template.utility.Execute\"?new()(\"id\")}", "${.data_model}", "${.vars}",
            "<#list 1..3 as i>${i}</#list>", "#{1048573*13}", "${msg('x')}", "[=1048573*13]",
            "${product.getClass()}", "{{1048573*13}}", "<#include \"/etc/passwd\">", "${1048573*13?c}",
            "${realm.name}", "${url.loginAction}",
            // HTML and JavaScript
            "<script>alert(8241)</script>", "\"><img src=x onerror=alert(8241)>", "javascript:alert(8241)",
            "'><svg/onload=alert(8241)>", "<iframe src=//evil.example>", "</textarea><script>alert(8241)</script>",
            "&lt;script&gt;", "\" autofocus onfocus=alert(8241) x=\"",
            // paths
            "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/etc/passwd\u0000.png", "....//....//etc/passwd", "file:///etc/passwd", "..", "./", "/",
            // JSON and CSV formulas
            "=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)",
            "=HYPERLINK(\"http://evil.example\",\"x\")", "\"},\"admin\":true,\"x\":{\"", "{\"$gt\":\"\"}",
            "\\u0000", "\t=1+1", "\r=1+1",
            // JNDI, EL, format strings
            "${jndi:ldap://127.0.0.1:1/a}", "#{7*7}", "%s%s%s%n", "%x%x%x%x", "{0}{1}{2}", "'{0}'",
            "${env:HOME}", "$(id)", "`id`", "; id");

    static final List<String> OUT_OF_RANGE = List.of("-1", "0", "-0", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e309", "-1e309", "NaN",
            "Infinity", "-Infinity", "1.5", "0x10", "1_000", "00000000000000000000001", "9".repeat(400),
            "4.9e-324", "481", "1441", "100000000", "1e3", "+1", "0.0", "99999999999999999999999999");

    private FuzzInputs() {
    }

    private static String allControls() {
        StringBuilder s = new StringBuilder();
        for (char c = 1; c < 32; c++) {
            s.append(c);
        }
        return s.toString();
    }

    /** A value of {@code c} (a value class) for a field whose legitimate value looks like {@code base}. */
    public static Value value(InputClass c, SplittableRandom r, String base) {
        return switch (c) {
            case WRONG_TYPE -> r.nextInt(3) == 0 && base != null && !base.isEmpty() ? Value.of(nearMiss(base, r))
                    : Value.of(pick(WRONG_TYPE, r));
            case HUGE -> Value.of(huge(r, HUGE_FIELD + r.nextInt(HUGE_FIELD)));
            case EMPTY -> Value.of(pick(EMPTY, r));
            case UNICODE -> switch (r.nextInt(6)) {
                case 0 -> Value.raw(pick(OVERLONG, r));
                case 1 -> Value.of((base == null ? "" : base) + pick(UNICODE, r));
                default -> Value.of(pick(UNICODE, r));
            };
            case CONTROL -> r.nextInt(4) == 0 && base != null ? Value.of(base + pick(CONTROL, r))
                    : Value.of(pick(CONTROL, r));
            case CRLF -> r.nextInt(4) == 0 && base != null ? Value.of(base + pick(CRLF, r)) : Value.of(pick(CRLF, r));
            case INJECTION -> r.nextInt(12) == 0 ? Value.raw(pick(BROKEN_ESCAPES, r)) : Value.of(pick(INJECTION, r));
            case OUT_OF_RANGE -> Value.of(pick(OUT_OF_RANGE, r));
            default -> throw new IllegalArgumentException(c + " is not a value class");
        };
    }

    /** The legitimate value slightly off: another case, padded, cut, doubled, with a NUL or a dot. */
    static String nearMiss(String base, SplittableRandom r) {
        return switch (r.nextInt(9)) {
            case 0 -> base.toUpperCase(Locale.ROOT);
            case 1 -> " " + base;
            case 2 -> base + " ";
            case 3 -> base.substring(0, Math.max(0, base.length() - 1));
            case 4 -> base + base;
            case 5 -> base + "\u0000";
            case 6 -> base + ".";
            case 7 -> base.isEmpty() ? "x" : Character.toUpperCase(base.charAt(0)) + base.substring(1);
            default -> base + "[]";
        };
    }

    /** A huge value of about {@code length} characters, of one of several shapes. */
    static String huge(SplittableRandom r, int length) {
        return switch (r.nextInt(6)) {
            case 0 -> "x".repeat(length);
            case 1 -> "9".repeat(length);
            case 2 -> "\uD83D\uDE42".repeat(length / 2);
            case 3 -> "${1048573*13}".repeat(length / 13);
            case 4 -> "<a>".repeat(length / 3);
            default -> "%".repeat(length);
        };
    }

    /** A JSON text (a literal, string, array or object) of class {@code c} to put where a field's value goes. */
    public static String jsonValue(InputClass c, SplittableRandom r, String kind) {
        return switch (c) {
            case WRONG_TYPE -> pick(kind.equals("number") || kind.equals("boolean")
                    ? List.of("\"60\"", "\"true\"", "\"yes\"", "[]", "{}", "null", "\"\"", "[1]", "{\"a\":1}", "1.5")
                    : List.of("123", "true", "false", "null", "[]", "{}", "[\"callback\"]", "{\"a\":\"b\"}", "1.5",
                            "-1", "0"), r);
            case HUGE -> quote(huge(r, HUGE_FIELD + r.nextInt(HUGE_FIELD)));
            case EMPTY -> pick(List.of("\"\"", "\" \"", "\"\\t\"", "null", "[]", "{}"), r);
            case UNICODE -> r.nextInt(5) == 0 ? pick(List.of("\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"",
                    "\"a\\u0000b\"", "\"\\uFEFF\""), r) : quote(pick(UNICODE, r));
            case CONTROL -> quote(pick(CONTROL, r));
            case CRLF -> quote(pick(CRLF, r));
            case INJECTION -> quote(pick(INJECTION, r));
            case OUT_OF_RANGE -> pick(List.of("-1", "0", "481", "1441", "2147483648", "-2147483649",
                    "9223372036854775808", "1e309", "-1e309", "1.0000000001", "99999999999999999999999999", "1E2",
                    "-0", "4.9e-324", "25", "7"), r);
            default -> throw new IllegalArgumentException(c + " is not a JSON value class");
        };
    }

    /** A whole request body of class {@code c} (not a field of it): bodies no endpoint takes. */
    public static byte[] body(InputClass c, SplittableRandom r, String validJson) {
        String text = switch (c) {
            case WRONG_TYPE -> pick(List.of("[]", "1", "\"decision\"", "null", "true", "[" + validJson + "]",
                    "nonsense", "{", "{\"a\":", "]]]", "{'decision':'approve'}", "{decision:approve}",
                    validJson + "xyz", validJson + validJson, "/* */" + validJson, "{\"a\":NaN}",
                    "decision=approve", "<xml/>"), r);
            case HUGE -> r.nextBoolean() ? hugeJson(r) : "[".repeat(HUGE_BODY / 4) + "]".repeat(HUGE_BODY / 4);
            case EMPTY -> pick(List.of("", " ", "\n", "{}", "\"\""), r);
            case UNICODE -> null; // bytes below
            case DUPLICATED -> duplicateKeys(validJson);
            default -> throw new IllegalArgumentException(c + " is not a body class");
        };
        if (text != null) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        // Bytes that are not UTF-8 (overlong, lone continuation, impossible), a BOM, UTF-16.
        byte[] valid = validJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return switch (r.nextInt(5)) {
            case 0 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid);
            case 1 -> validJson.getBytes(java.nio.charset.StandardCharsets.UTF_16);
            case 2 -> concat(valid, new byte[] {(byte) 0xC0, (byte) 0xAF});
            case 3 -> ("{\"decision\":\"" + new String(new char[] {'a'}) + "\u0000\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> concat("{\"x\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0xFF, (byte) 0x80, '"', '}'});
        };
    }

    /** A JSON object of about 1 MiB: one huge string field. */
    static String hugeJson(SplittableRandom r) {
        return "{\"note\":" + quote(huge(r, HUGE_BODY)) + "}";
    }

    /** The object with each of its keys written twice, the second time with another value. */
    static String duplicateKeys(String validJson) {
        String inner = validJson.trim();
        if (!inner.startsWith("{") || inner.equals("{}")) {
            return "{\"a\":1,\"a\":2}";
        }
        return inner.substring(0, inner.length() - 1) + "," + inner.substring(1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T pick(List<T> list, SplittableRandom r) {
        return list.get(r.nextInt(list.size()));
    }

    /** Every value class's corpus, to check the suite's own input lists (no secret or marker collisions). */
    static List<String> corpus() {
        List<String> all = new ArrayList<>();
        all.addAll(WRONG_TYPE);
        all.addAll(EMPTY);
        all.addAll(UNICODE);
        all.addAll(CONTROL);
        all.addAll(CRLF);
        all.addAll(INJECTION);
        all.addAll(OUT_OF_RANGE);
        return Collections.unmodifiableList(all);
    }

    /** A value as a report shows it: control and invisible characters escaped, at most 60 characters. */
    public static String shown(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length() && shown < 60; i++, shown++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) || Character.isSurrogate(ch)
                    || Character.getType(ch) == Character.FORMAT || ch == '|' || ch == '`') {
                s.append(String.format("\\u%04X", (int) ch));
            } else {
                s.append(ch);
            }
        }
        if (text.length() > 60) {
            s.append("... (").append(text.length()).append(" chars)");
        }
        return s.toString();
    }
}
