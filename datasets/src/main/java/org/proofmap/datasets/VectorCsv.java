package org.proofmap.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.proofmap.ProofmapException;

/**
 * One input vector stored as a single row of comma-separated decimal numbers, for example
 * {@code 0.669963,0.193108,-0.422274,-0.914097,0.947309} (the format of
 * {@code ../shared/models-ref/center_*.csv}; an image is its pixels in flattened C order, NCHW).
 *
 * <p>The format, strictly:
 *
 * <ul>
 *   <li>UTF-8 text (a leading byte order mark is skipped); exactly one non-empty line. Blank lines
 *       before or after it (a trailing newline) are allowed; a second non-empty line is an error, so
 *       a matrix or a file with a header is never mistaken for one vector.
 *   <li>Values are separated by commas; spaces and tabs around a value are ignored. An empty value
 *       ({@code 1,,2} or a trailing comma) is an error.
 *   <li>A value is a plain decimal number: optional sign, digits with an optional decimal point, an
 *       optional exponent ({@code 3}, {@code -0.5}, {@code .25}, {@code 1e-05}, {@code 2.5E+3}).
 *       NaN, infinities, hexadecimal and Java suffixes ({@code 1d}, {@code 2f}) are rejected, and so
 *       is a number too large for a double.
 * </ul>
 *
 * Values are converted with {@link Double#parseDouble}, so a number with at most 17 significant
 * digits round-trips exactly.
 */
public final class VectorCsv {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE =
            Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private VectorCsv() {}

    /**
     * Reads the vector in {@code file}.
     *
     * @throws ProofmapException naming {@code file.toString()} when the file is missing or unreadable,
     *     empty, has more than one non-empty line, or holds a value that is not a finite number
     */
    public static double[] read(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ProofmapException(name, "is a directory, not a CSV file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "file not found");
        } catch (AccessDeniedException e) {
            throw new ProofmapException(name, "permission denied");
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ProofmapException(name, "cannot read file: " + why, e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), name);
    }

    /**
     * Parses the text of a vector file; {@code sourceName} is the file named in errors.
     *
     * @throws ProofmapException as {@link #read(Path)}
     */
    public static double[] parse(String text, String sourceName) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            throw new ProofmapException(sourceName, "the file is empty; expected one line of comma-separated numbers");
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        int rowLine = -1;
        int nonEmpty = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                nonEmpty++;
                if (rowLine < 0) {
                    rowLine = i;
                }
            }
        }
        if (nonEmpty == 0) {
            throw new ProofmapException(sourceName,
                    "the file holds only white space; expected one line of comma-separated numbers");
        }
        if (nonEmpty > 1) {
            throw new ProofmapException(sourceName, "expected exactly one non-empty line (one input vector), found "
                    + nonEmpty + " non-empty lines");
        }
        String[] fields = lines[rowLine].split(",", -1);
        double[] values = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            int no = i + 1;
            if (f.isEmpty()) {
                throw new ProofmapException(sourceName, "value " + no + " of " + fields.length + " is empty"
                        + (no == fields.length ? " (trailing comma?)" : ""));
            }
            if (NON_FINITE.matcher(f).matches()) {
                throw new ProofmapException(sourceName, "value " + no + " is not finite: '" + f + "'");
            }
            if (!DECIMAL.matcher(f).matches()) {
                throw new ProofmapException(sourceName, "value " + no + " is not a number: '" + quote(f) + "'");
            }
            double v = Double.parseDouble(f);
            if (!Double.isFinite(v)) {
                throw new ProofmapException(sourceName, "value " + no + " is not finite: '" + quote(f)
                        + "' is too large for a double");
            }
            values[i] = v;
        }
        return values;
    }

    /** The value as printed in a message: at most 40 characters, control characters escaped. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int k = 0; k < s.length(); k++) {
            if (shown == 40) {
                sb.append("...");
                break;
            }
            char c = s.charAt(k);
            if (c < ' ' || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
            shown++;
        }
        return sb.toString();
    }
}
