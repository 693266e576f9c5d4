package org.proofmap.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.proofmap.ProofmapException;

/**
 * A VNN-COMP result file (the format of the VNN-COMP 2022 rules and of the organisers' checker,
 * {@code SCORING/counterexamples.py}): the result word on the first line, {@code sat},
 * {@code unsat}, {@code timeout} or {@code unknown}; for {@code sat}, the counterexample follows as
 * one s-expression list of {@code (X_i value)} pairs for every input, then {@code (Y_j value)} pairs
 * for every output, one pair per line:
 *
 * <pre>
 * sat
 * ((X_0 0.6399288845)
 *  (X_1 0.5)
 *  (Y_0 -0.0182)
 *  (Y_1 0.0021))
 * </pre>
 *
 * <p>Values are written with {@link Double#toString(double)}, the shortest decimal that reads back to
 * the same double (full precision; Python's {@code float()} reads it too, exponent included). Exactly
 * one space separates a name from its value: the checker splits each pair on a single space.
 *
 * <p>The reader ({@link #read}, {@link #parse}) accepts what the writer writes and a little more: any
 * whitespace, the pairs in any order (each index exactly once, none missing), the VNN-COMP 2021 words
 * {@code holds} ({@code unsat}) and {@code violated} ({@code sat}), and a bare counterexample list
 * without a result word (a {@code .counterexample} file of the VNN-COMP results), read as {@code sat}.
 *
 * <p>A {@code PROBABLY_UNSAT} verification is written as {@code unknown} (the format has no word for a
 * probabilistic result, and a checker must not count it as proved), followed by a comment line with
 * its provenance: {@code ; unsat (probabilistic, confidence P), samples N, estimator E}. Comments
 * ({@code ;} to the line end) are skipped when reading.
 */
public final class VnnCompResult {
    private final Verdict verdict;
    private final double[] inputs;
    private final double[] outputs;
    private final String comment;

    /**
     * A result; {@code inputs} and {@code outputs} (the counterexample and the model's outputs at it)
     * only for {@code SAT}, where both are given or both null.
     */
    public VnnCompResult(Verdict verdict, double[] inputs, double[] outputs) {
        this(verdict, inputs, outputs, null);
    }

    /** {@code comment}: one line written after the verdict as a {@code ;} comment, or null. */
    private VnnCompResult(Verdict verdict, double[] inputs, double[] outputs, String comment) {
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        if (verdict == Verdict.PROBABLY_UNSAT) {
            throw new IllegalArgumentException("a result file has no probably_unsat: it is written as unknown");
        }
        if (comment != null && (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("a comment is one line");
        }
        this.comment = comment;
        if ((inputs == null) != (outputs == null)) {
            throw new IllegalArgumentException("a counterexample needs both its inputs and its outputs");
        }
        if (inputs != null && (inputs.length == 0 || outputs.length == 0)) {
            throw new IllegalArgumentException("a counterexample needs at least one input and one output");
        }
        if (inputs != null && verdict != Verdict.SAT) {
            throw new IllegalArgumentException("only a sat result has a counterexample, not " + verdict.word());
        }
        this.inputs = inputs == null ? null : inputs.clone();
        this.outputs = outputs == null ? null : outputs.clone();
    }

    /** The result file of a verification: its verdict and, for {@code SAT}, its witness and outputs. */
    public static VnnCompResult of(VerificationResult r) {
        if (r.verdict() == Verdict.PROBABLY_UNSAT) {
            Map<String, Object> st = r.statistics();
            return new VnnCompResult(Verdict.UNKNOWN, null, null, r.verdictText() + ", samples " + st.get("samples")
                    + ", estimator " + st.get("estimator") + " (PT-LiRPA: not a proof)");
        }
        if (r.verdict() == Verdict.SAT && r.witness() != null && r.witnessOutput() != null) {
            return new VnnCompResult(Verdict.SAT, r.witness(), r.witnessOutput());
        }
        return new VnnCompResult(r.verdict(), null, null);
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The counterexample's inputs {@code X_i} (a copy), or null when there is none. */
    public double[] inputs() {
        return inputs == null ? null : inputs.clone();
    }

    /** The model's outputs {@code Y_j} at the counterexample (a copy), or null when there is none. */
    public double[] outputs() {
        return outputs == null ? null : outputs.clone();
    }

    /** The file's text, ending with a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder(verdict.word()).append('\n');
        if (comment != null) {
            sb.append("; ").append(comment).append('\n');
        }
        if (inputs == null) {
            return sb.toString();
        }
        int n = inputs.length + outputs.length;
        for (int k = 0; k < n; k++) {
            boolean isInput = k < inputs.length;
            int i = isInput ? k : k - inputs.length;
            double v = isInput ? inputs[i] : outputs[i];
            sb.append(k == 0 ? "((" : " (").append(isInput ? "X_" : "Y_").append(i).append(' ')
                    .append(Double.toString(v)).append(')');
            sb.append(k == n - 1 ? ")\n" : "\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * Writes the file (UTF-8), replacing it if it exists.
     *
     * @throws ProofmapException naming {@code file} when it cannot be written
     */
    public void write(Path file) {
        try {
            Files.writeString(file, text(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(file.toString(), "cannot write file: no such folder", e);
        } catch (AccessDeniedException e) {
            throw new ProofmapException(file.toString(), "cannot write file: permission denied", e);
        } catch (IOException e) {
            throw new ProofmapException(file.toString(), "cannot write file: " + message(e), e);
        }
    }

    /**
     * Reads a result file.
     *
     * @throws ProofmapException naming {@code file} when it cannot be read or is not a result file
     */
    public static VnnCompResult read(Path file) {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new ProofmapException(name, "cannot read file: it is a directory");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), name);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "cannot read file: no such file", e);
        } catch (AccessDeniedException e) {
            throw new ProofmapException(name, "cannot read file: permission denied", e);
        } catch (IOException e) {
            throw new ProofmapException(name, "cannot read file: " + message(e), e);
        }
    }

    /**
     * Parses the text of a result file.
     *
     * @param sourceName the name used in error messages
     * @throws ProofmapException naming {@code sourceName}, with the line, when the text is not a result file
     */
    public static VnnCompResult parse(String text, String sourceName) {
        return new Reader(text, sourceName).result();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VnnCompResult r && r.verdict == verdict && Arrays.equals(r.inputs, inputs)
                && Arrays.equals(r.outputs, outputs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verdict, Arrays.hashCode(inputs), Arrays.hashCode(outputs));
    }

    private static String message(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
    }

    /** A tokenizer over {@code (}, {@code )} and words, with line numbers for messages. */
    private static final class Reader {
        private final String text;
        private final String source;
        private int pos;
        private int line = 1;
        private int tokenLine = 1;

        Reader(String text, String source) {
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.source = source;
        }

        VnnCompResult result() {
            String first = next();
            if (first == null) {
                throw error(1, "the file is empty (expected sat, unsat, timeout or unknown)");
            }
            Verdict v;
            if (first.equals("(")) {
                v = Verdict.SAT; // a bare counterexample list
                pos -= 1;
            } else {
                v = verdict(first);
            }
            String after = next();
            if (after == null) {
                return new VnnCompResult(v, null, null);
            }
            if (v != Verdict.SAT) {
                throw error(tokenLine, "unexpected '" + after + "' after '" + v.word()
                        + "': only a sat result is followed by a counterexample");
            }
            if (!after.equals("(")) {
                throw error(tokenLine, "expected '(' to start the counterexample after 'sat', found '" + after + "'");
            }
            double[][] xy = pairs();
            String extra = next();
            if (extra != null) {
                throw error(tokenLine, "unexpected '" + extra + "' after the counterexample");
            }
            return new VnnCompResult(Verdict.SAT, xy[0], xy[1]);
        }

        private Verdict verdict(String word) {
            switch (word.toLowerCase(Locale.ROOT)) {
                case "sat":
                case "violated":
                    return Verdict.SAT;
                case "unsat":
                case "holds":
                    return Verdict.UNSAT;
                case "timeout":
                    return Verdict.TIMEOUT;
                case "unknown":
                    return Verdict.UNKNOWN;
                default:
                    throw error(tokenLine, "unknown result '" + word + "' (expected sat, unsat, timeout or unknown)");
            }
        }

        /** After the opening '(': pairs {@code (X_i v)} / {@code (Y_j v)} up to the closing ')'. */
        private double[][] pairs() {
            int startLine = tokenLine;
            java.util.Map<Integer, Double> xs = new java.util.HashMap<>();
            java.util.Map<Integer, Double> ys = new java.util.HashMap<>();
            while (true) {
                String t = next();
                if (t == null) {
                    throw error(line, "the counterexample list opened on line " + startLine + " is not closed");
                }
                if (t.equals(")")) {
                    break;
                }
                if (!t.equals("(")) {
                    throw error(tokenLine, "expected a pair '(X_i value)' or '(Y_j value)', found '" + t + "'");
                }
                int pairLine = tokenLine;
                String name = next();
                String value = next();
                String close = next();
                if (name == null || value == null || close == null || name.equals(")") || value.equals(")")
                        || !close.equals(")")) {
                    throw error(pairLine, "a pair must be '(X_i value)' or '(Y_j value)'");
                }
                java.util.Map<Integer, Double> into;
                if (name.startsWith("X_")) {
                    into = xs;
                } else if (name.startsWith("Y_")) {
                    into = ys;
                } else {
                    throw error(pairLine, "unknown variable '" + name + "' (expected X_i or Y_j)");
                }
                int index;
                try {
                    index = Integer.parseInt(name.substring(2));
                    if (index < 0 || !name.substring(2).matches("[0-9]+")) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw error(pairLine, "bad variable name '" + name + "' (expected X_i or Y_j, i = 0, 1, ...)");
                }
                double v;
                try {
                    v = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw error(pairLine, "'" + value + "' is not a number (value of " + name + ")");
                }
                if (into.put(index, v) != null) {
                    throw error(pairLine, name + " is given twice");
                }
            }
            return new double[][] {dense(xs, "X", startLine), dense(ys, "Y", startLine)};
        }

        private double[] dense(java.util.Map<Integer, Double> values, String var, int startLine) {
            double[] a = new double[values.size()];
            for (int i = 0; i < a.length; i++) {
                Double v = values.get(i);
                if (v == null) {
                    throw error(startLine, "the counterexample has no " + var + "_" + i + " but has "
                            + values.size() + " " + var + " values");
                }
                a[i] = v;
            }
            if (a.length == 0) {
                throw error(startLine, "the counterexample has no " + var + " values");
            }
            return a;
        }

        /** The next token ("(", ")" or a word), or null at the end. Comments start with ';'. */
        private String next() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == ';') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else {
                    break;
                }
            }
            if (pos >= text.length()) {
                return null;
            }
            tokenLine = line;
            char c = text.charAt(pos);
            if (c == '(' || c == ')') {
                pos++;
                return String.valueOf(c);
            }
            int start = pos;
            while (pos < text.length()) {
                char d = text.charAt(pos);
                if (Character.isWhitespace(d) || d == '(' || d == ')' || d == ';') {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private ProofmapException error(int atLine, String message) {
            return new ProofmapException(source, "line " + atLine + ": " + message);
        }
    }
}
