package org.cardiogate.signal.edf;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Formatting shared by the writer and the reader: fixed-width ASCII header fields and EDF+ dates. */
final class EdfFields {
    static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
        "DEC"};

    private EdfFields() {
    }

    /** The shortest plain decimal text that parses back to exactly {@code value}, e.g. {@code 0.5}, {@code -3276.8}. */
    static String plain(double value) {
        if (value == 0) {
            return "0";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * Checks that {@code value} is printable ASCII (32..126) of at most {@code width} characters, as EDF requires of
     * every header field.
     */
    static void checkAscii(String field, String value, int width) {
        if (value.length() > width) {
            throw new IllegalArgumentException(field + " '" + value + "' is " + value.length()
                    + " characters, the EDF header field holds " + width);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 32 || c > 126) {
                throw new IllegalArgumentException(field + " '" + value + "' has character U+"
                        + String.format("%04X", (int) c) + " at " + i + "; EDF header fields are printable ASCII");
            }
        }
    }

    /** A number as header text, failing when it does not fit the field. */
    static String number(String field, double value, int width) {
        String s = plain(value);
        if (s.length() > width) {
            throw new IllegalArgumentException(field + " " + s + " does not fit the " + width
                    + "-character EDF header field");
        }
        return s;
    }

    /** Puts {@code value} left-justified and space-padded into {@code header[pos, pos + width)}. */
    static void put(byte[] header, int pos, int width, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < width; i++) {
            header[pos + i] = i < b.length ? b[i] : (byte) ' ';
        }
    }

    /** Replaces blanks by {@code _} and maps {@code null} or empty to {@code X}, as EDF+ subfields require. */
    static String subfield(String value) {
        if (value == null || value.isBlank()) {
            return "X";
        }
        return value.strip().replace(' ', '_');
    }
}
