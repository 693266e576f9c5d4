package org.proofmap.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One-line CSV fields (RFC 4180: a field with a comma, a quote or a line break is quoted, quotes
 * doubled), for the instance lists and result tables of {@code proofmap verify}.
 */
final class Csv {
    private Csv() {}

    /** The fields of one line; null when a quoted field is not closed. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                f.setLength(0);
            } else if (c == ',') {
                fields.add(wasQuoted ? f.toString() : f.toString().strip());
                f.setLength(0);
                wasQuoted = false;
            } else if (!wasQuoted || !Character.isWhitespace(c)) {
                f.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        fields.add(wasQuoted ? f.toString() : f.toString().strip());
        return fields;
    }

    /** A field as written: quoted only when it has to be. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0
                && value.strip().equals(value)) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** A line of fields (without the line end). */
    static String line(String... values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(values[i]));
        }
        return sb.toString();
    }
}
