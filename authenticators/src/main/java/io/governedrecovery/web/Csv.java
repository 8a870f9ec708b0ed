package io.governedrecovery.web;

/** CSV for the admin endpoints' downloads. */
public final class Csv {

    private Csv() {
    }

    /** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula; null is empty. */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
