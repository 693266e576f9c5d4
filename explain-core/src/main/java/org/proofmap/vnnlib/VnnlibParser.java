package org.proofmap.vnnlib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proofmap.ProofmapException;

/**
 * Parses VNNLIB properties in the VNN-COMP dialect into a {@link Property} in disjunctive normal
 * form. See the {@linkplain org.proofmap.vnnlib package documentation} for the accepted language
 * and the meaning of the result.
 *
 * <p>Every problem with the input is a {@link ProofmapException} carrying the source name and a
 * one-line message. Syntax errors start with {@code line L, column C: } (1-based; a tab counts as
 * one column); errors about a well-formed constraint that has no meaning here (a non-box input
 * constraint, a constraint that mixes inputs and outputs, too many DNF clauses) end with
 * {@code (line L, column C)}.
 *
 * <p>Thread-safe: the static methods share no state.
 */
public final class VnnlibParser {
    /** The most clauses the disjunctive normal form may have before parsing gives up. */
    /** SMT-LIB commands accepted and ignored: they carry no constraint. */
    private static final java.util.Set<String> IGNORED_COMMANDS =
            java.util.Set.of("check-sat", "set-logic", "set-info", "set-option", "get-model", "exit");

    public static final int MAX_DNF_CLAUSES = 100_000;

    /** The deepest nesting of parentheses accepted (guards the recursive descent). */
    static final int MAX_NESTING = 1_000;

    private VnnlibParser() {}

    /**
     * Reads and parses a VNNLIB file (UTF-8).
     *
     * @throws ProofmapException if the file cannot be read ({@code cannot read file: ...}) or is not
     *     a valid property; the exception's file is {@code file.toString()}
     */
    public static Property parse(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ProofmapException(name, "cannot read file: it is a directory");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "cannot read file: no such file", e);
        } catch (AccessDeniedException e) {
            throw new ProofmapException(name, "cannot read file: permission denied", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ProofmapException(name, "cannot read file: " + why.replace('\n', ' '), e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), name);
    }

    /**
     * Parses VNNLIB text.
     *
     * @param text the property
     * @param sourceName the name used in error messages and as {@link Property#source()}
     * @throws ProofmapException if the text is not a valid property
     */
    public static Property parse(String text, String sourceName) {
        return new Run(text, sourceName).parseAll();
    }

    // ---------------------------------------------------------------------------------------
    // Atoms and conjunctions

    /** A clause atom: either a bound on one input or one linear row over the outputs. */
    private abstract static class Atom {}

    /** {@code X_index <= value} (upper) or {@code X_index >= value}. */
    private static final class InputBound extends Atom {
        final int index;
        final boolean upper;
        final double value;

        InputBound(int index, boolean upper, double value) {
            this.index = index;
            this.upper = upper;
            this.value = value;
        }
    }

    /** {@code sum coef[k] * Y_outputs[k] <= d}. */
    private static final class OutputRow extends Atom {
        final int[] outputs;
        final double[] coefs;
        final double d;

        OutputRow(int[] outputs, double[] coefs, double d) {
            this.outputs = outputs;
            this.coefs = coefs;
            this.d = d;
        }
    }

    /**
     * An immutable conjunction of atoms as a binary tree, so that the DNF product shares structure
     * instead of copying atom lists; {@code null} is the empty conjunction ({@code true}).
     */
    private static final class Conj {
        final Conj left;
        final Conj right;
        final Atom atom;

        Conj(Atom atom) {
            this.left = null;
            this.right = null;
            this.atom = atom;
        }

        Conj(Conj left, Conj right) {
            this.left = left;
            this.right = right;
            this.atom = null;
        }

        static Conj and(Conj a, Conj b) {
            return a == null ? b : b == null ? a : new Conj(a, b);
        }

        /** The atoms in order (left to right), without recursion. */
        void collect(List<Atom> out) {
            ArrayList<Conj> stack = new ArrayList<>();
            stack.add(this);
            while (!stack.isEmpty()) {
                Conj c = stack.remove(stack.size() - 1);
                if (c.atom != null) {
                    out.add(c.atom);
                } else {
                    stack.add(c.right);
                    stack.add(c.left);
                }
            }
        }
    }

    /** The DNF of {@code true}: one empty conjunction (a fresh list; List.of rejects nulls). */
    private static List<Conj> trueDnf() {
        List<Conj> l = new ArrayList<>(1);
        l.add(null);
        return l;
    }

    // ---------------------------------------------------------------------------------------
    // Linear expressions

    /**
     * A sparse linear expression {@code sum coef[k] * var[k] + constant}; a variable id is
     * {@code i} for {@code X_i} and {@code ~j} (negative) for {@code Y_j}. Mutable, owned by one term.
     */
    private static final class Lin {
        int[] vars = new int[2];
        double[] coefs = new double[2];
        int n;
        double constant;

        static Lin constant(double v) {
            Lin l = new Lin();
            l.constant = v;
            return l;
        }

        static Lin variable(int id) {
            Lin l = new Lin();
            l.vars[0] = id;
            l.coefs[0] = 1.0;
            l.n = 1;
            return l;
        }

        boolean isConstant() {
            for (int k = 0; k < n; k++) {
                if (coefs[k] != 0) {
                    return false;
                }
            }
            return true;
        }

        /** this += s * other. */
        void addScaled(Lin other, double s) {
            constant += s * other.constant;
            for (int k = 0; k < other.n; k++) {
                int v = other.vars[k];
                double c = s * other.coefs[k];
                int at = -1;
                for (int m = 0; m < n; m++) {
                    if (vars[m] == v) {
                        at = m;
                        break;
                    }
                }
                if (at >= 0) {
                    coefs[at] += c;
                } else {
                    if (n == vars.length) {
                        vars = Arrays.copyOf(vars, 2 * n);
                        coefs = Arrays.copyOf(coefs, 2 * n);
                    }
                    vars[n] = v;
                    coefs[n] = c;
                    n++;
                }
            }
        }

        void scale(double s) {
            constant *= s;
            for (int k = 0; k < n; k++) {
                coefs[k] *= s;
            }
        }
    }

    /** Turns -0.0 into 0.0 so results compare and print cleanly. */
    private static double clean(double v) {
        return v + 0.0;
    }

    // ---------------------------------------------------------------------------------------
    // One parse

    private static final int EOF = 0;
    private static final int LPAREN = 1;
    private static final int RPAREN = 2;
    private static final int SYMBOL = 3;
    private static final int NUMBER = 4;

    private static final int BAD_NAME = Integer.MIN_VALUE;

    private static final class Run {
        private final String text;
        private final String source;
        private final int len;

        // scanner position
        private int pos;
        private int line = 1;
        private int col = 1;

        // current token
        private int tok;
        private int tokStart;
        private int tokEnd;
        private int tokLine;
        private int tokCol;

        // declarations: variable id -> {line, column} of the name
        private final Map<Integer, int[]> declared = new HashMap<>();
        private int maxInput = -1;
        private int maxOutput = -1;

        // running DNF of the conjunction of all asserts
        private List<Conj> dnf = trueDnf();

        Run(String text, String source) {
            this.text = text;
            this.source = source;
            this.len = text.length();
            if (len > 0 && text.charAt(0) == '\uFEFF') {
                pos = 1; // byte order mark
            }
        }

        // ----- errors

        private ProofmapException syntax(int l, int c, String msg) {
            return new ProofmapException(source, "line " + l + ", column " + c + ": " + msg);
        }

        private ProofmapException atToken(String msg) {
            return syntax(tokLine, tokCol, msg);
        }

        private ProofmapException semantic(String msg, int l, int c) {
            return new ProofmapException(source, msg + " (line " + l + ", column " + c + ")");
        }

        private String describe() {
            switch (tok) {
                case EOF:
                    return "end of file";
                case LPAREN:
                    return "'('";
                case RPAREN:
                    return "')'";
                default:
                    return "'" + shorten(tokenText()) + "'";
            }
        }

        private static String shorten(String s) {
            return s.length() <= 40 ? s : s.substring(0, 37) + "...";
        }

        private String tokenText() {
            return text.substring(tokStart, tokEnd);
        }

        // ----- scanner

        private void advance() {
            // skip whitespace and comments
            while (pos < len) {
                char ch = text.charAt(pos);
                if (ch == '\n') {
                    pos++;
                    line++;
                    col = 1;
                } else if (ch == '\r') {
                    pos++;
                    if (pos < len && text.charAt(pos) == '\n') {
                        continue; // the '\n' ends the line
                    }
                    line++;
                    col = 1;
                } else if (ch <= ' ') {
                    pos++;
                    col++;
                } else if (ch == ';') {
                    while (pos < len && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                        pos++;
                        col++;
                    }
                } else {
                    break;
                }
            }
            tokStart = pos;
            tokLine = line;
            tokCol = col;
            if (pos >= len) {
                tok = EOF;
                tokEnd = pos;
                return;
            }
            char ch = text.charAt(pos);
            if (ch == '(' || ch == ')') {
                tok = ch == '(' ? LPAREN : RPAREN;
                pos++;
                col++;
                tokEnd = pos;
                return;
            }
            while (pos < len) {
                char c = text.charAt(pos);
                if (c <= ' ' || c == '(' || c == ')' || c == ';') {
                    break;
                }
                pos++;
                col++;
            }
            tokEnd = pos;
            tok = looksNumeric(tokStart, tokEnd) ? NUMBER : SYMBOL;
        }

        private boolean looksNumeric(int s, int e) {
            char c = text.charAt(s);
            if (isDigit(c)) {
                return true;
            }
            if ((c == '-' || c == '+' || c == '.') && s + 1 < e) {
                char d = text.charAt(s + 1);
                return isDigit(d) || (d == '.' && c != '.');
            }
            return false;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** The value of the current NUMBER token, checked to be a plain decimal literal. */
        private double numberValue() {
            int i = tokStart;
            int e = tokEnd;
            if (text.charAt(i) == '+' || text.charAt(i) == '-') {
                i++;
            }
            int digits = 0;
            while (i < e && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
            if (i < e && text.charAt(i) == '.') {
                i++;
                while (i < e && isDigit(text.charAt(i))) {
                    i++;
                    digits++;
                }
            }
            boolean ok = digits > 0;
            if (ok && i < e && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                i++;
                if (i < e && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                    i++;
                }
                int expDigits = 0;
                while (i < e && isDigit(text.charAt(i))) {
                    i++;
                    expDigits++;
                }
                ok = expDigits > 0;
            }
            if (!ok || i != e) {
                throw atToken("malformed number " + describe());
            }
            double v = Double.parseDouble(tokenText());
            if (!Double.isFinite(v)) {
                throw atToken("number out of range " + describe());
            }
            return v;
        }

        /**
         * The variable id named by the current SYMBOL token ({@code X_i} -> i, {@code Y_j} -> ~j),
         * or {@link #BAD_NAME} when it is not of that form (no sign, no leading zeros).
         */
        private int variableId() {
            int s = tokStart;
            int e = tokEnd;
            if (e - s < 3 || text.charAt(s + 1) != '_') {
                return BAD_NAME;
            }
            char kind = text.charAt(s);
            if (kind != 'X' && kind != 'Y') {
                return BAD_NAME;
            }
            int digits = e - s - 2;
            if (digits > 9 || (digits > 1 && text.charAt(s + 2) == '0')) {
                return BAD_NAME;
            }
            int index = 0;
            for (int i = s + 2; i < e; i++) {
                char c = text.charAt(i);
                if (!isDigit(c)) {
                    return BAD_NAME;
                }
                index = index * 10 + (c - '0');
            }
            return kind == 'X' ? index : ~index;
        }

        private static String varName(int id) {
            return id >= 0 ? "X_" + id : "Y_" + ~id;
        }

        private void expectClose() {
            if (tok != RPAREN) {
                throw atToken("expected ')' but found " + describe());
            }
            advance();
        }

        // ----- commands

        Property parseAll() {
            advance();
            while (tok != EOF) {
                if (tok == RPAREN) {
                    throw atToken("unexpected ')' without a matching '('");
                }
                if (tok != LPAREN) {
                    throw atToken("expected '(' but found " + describe());
                }
                int openLine = tokLine;
                int openCol = tokCol;
                advance();
                if (tok != SYMBOL) {
                    throw atToken("expected a command (declare-const or assert) but found " + describe());
                }
                String command = tokenText();
                if (command.equals("declare-const")) {
                    advance();
                    parseDeclaration();
                } else if (command.equals("assert")) {
                    advance();
                    parseAssert(openLine, openCol);
                } else if (IGNORED_COMMANDS.contains(command)) {
                    // SMT-LIB housekeeping that some benchmark files carry; it does not change the property.
                    skipToClose();
                } else {
                    throw atToken("unknown command " + describe() + "; expected declare-const or assert");
                }
            }
            return build();
        }

        private void skipToClose() {
            int depth = 1;
            while (depth > 0) {
                advance();
                if (tok == EOF) {
                    throw atToken("expected ')' but found " + describe());
                }
                if (tok == LPAREN) {
                    depth++;
                } else if (tok == RPAREN) {
                    depth--;
                }
            }
            advance();
        }

        private void parseDeclaration() {
            if (tok != SYMBOL) {
                throw atToken("expected a variable name but found " + describe());
            }
            int id = variableId();
            if (id == BAD_NAME) {
                throw atToken("bad variable name " + describe() + "; expected X_<index> or Y_<index>");
            }
            int[] first = declared.get(id);
            if (first != null) {
                throw atToken("duplicate declaration of " + varName(id)
                        + " (first declared at line " + first[0] + ", column " + first[1] + ")");
            }
            declared.put(id, new int[] {tokLine, tokCol});
            if (id >= 0) {
                maxInput = Math.max(maxInput, id);
            } else {
                maxOutput = Math.max(maxOutput, ~id);
            }
            advance();
            if (tok != SYMBOL || !tokenText().equals("Real")) {
                throw atToken("expected sort 'Real' but found " + describe());
            }
            advance();
            expectClose();
        }

        private void parseAssert(int openLine, int openCol) {
            List<Conj> f = parseFormula(1);
            expectClose();
            dnf = product(dnf, f, openLine, openCol);
        }

        private List<Conj> product(List<Conj> a, List<Conj> b, int l, int c) {
            if ((long) a.size() * b.size() > MAX_DNF_CLAUSES) {
                throw tooManyClauses(l, c);
            }
            if (b.size() == 1) {
                Conj only = b.get(0);
                if (only == null) {
                    return a;
                }
                List<Conj> out = new ArrayList<>(a.size());
                for (Conj x : a) {
                    out.add(Conj.and(x, only));
                }
                return out;
            }
            List<Conj> out = new ArrayList<>(a.size() * b.size());
            for (Conj x : a) {
                for (Conj y : b) {
                    out.add(Conj.and(x, y));
                }
            }
            return out;
        }

        private ProofmapException tooManyClauses(int l, int c) {
            return semantic("the property has more than " + MAX_DNF_CLAUSES
                    + " clauses in disjunctive normal form", l, c);
        }

        // ----- formulas (each returns its DNF: a list of conjunctions; empty = false)

        private List<Conj> parseFormula(int depth) {
            if (tok != LPAREN) {
                throw atToken("expected a formula but found " + describe());
            }
            if (depth > MAX_NESTING) {
                throw atToken("nesting deeper than " + MAX_NESTING + " levels");
            }
            int openLine = tokLine;
            int openCol = tokCol;
            advance();
            if (tok != SYMBOL) {
                throw atToken("expected an operator but found " + describe());
            }
            String op = tokenText();
            int opLine = tokLine;
            int opCol = tokCol;
            switch (op) {
                case "and":
                case "or": {
                    advance();
                    boolean isAnd = op.equals("and");
                    List<Conj> acc = isAnd ? trueDnf() : new ArrayList<>();
                    int count = 0;
                    while (tok != RPAREN) {
                        if (tok == EOF) {
                            throw atToken("expected ')' but found end of file");
                        }
                        List<Conj> child = parseFormula(depth + 1);
                        count++;
                        if (isAnd) {
                            acc = product(acc, child, openLine, openCol);
                        } else {
                            if (acc.size() + child.size() > MAX_DNF_CLAUSES) {
                                throw tooManyClauses(openLine, openCol);
                            }
                            acc.addAll(child);
                        }
                    }
                    if (count == 0) {
                        throw syntax(opLine, opCol, "'" + op + "' expects at least 1 argument but got 0");
                    }
                    advance();
                    return acc;
                }
                case "<=":
                case "<":
                case ">=":
                case ">": {
                    advance();
                    List<Lin> args = parseArguments(depth);
                    if (args.size() != 2) {
                        throw syntax(opLine, opCol, "'" + op + "' expects 2 arguments but got " + args.size());
                    }
                    advance();
                    // normalise to e <= 0
                    Lin e;
                    if (op.charAt(0) == '<') {
                        e = args.get(0);
                        e.addScaled(args.get(1), -1.0);
                    } else {
                        e = args.get(1);
                        e.addScaled(args.get(0), -1.0);
                    }
                    return atom(e, openLine, openCol);
                }
                default:
                    throw syntax(opLine, opCol, "unknown operator '" + shorten(op)
                            + "' in a formula; expected and, or, <=, >=, <, >");
            }
        }

        /** Terms up to the closing ')', which is left as the current token. */
        private List<Lin> parseArguments(int depth) {
            List<Lin> args = new ArrayList<>(2);
            while (tok != RPAREN) {
                if (tok == EOF) {
                    throw atToken("expected ')' but found end of file");
                }
                args.add(parseTerm(depth + 1));
            }
            return args;
        }

        /** The DNF of the atom {@code e <= 0}. */
        private List<Conj> atom(Lin e, int l, int c) {
            int inputs = 0;
            int outputs = 0;
            int someInput = 0;
            int someOutput = 0;
            for (int k = 0; k < e.n; k++) {
                if (e.coefs[k] == 0) {
                    continue;
                }
                if (e.vars[k] >= 0) {
                    if (inputs == 0) {
                        someInput = k;
                    }
                    inputs++;
                } else {
                    if (outputs == 0) {
                        someOutput = k;
                    }
                    outputs++;
                }
            }
            if (inputs > 0 && outputs > 0) {
                throw semantic("constraint mixes input and output variables ("
                        + varName(e.vars[someInput]) + " and " + varName(e.vars[someOutput]) + ")", l, c);
            }
            if (inputs > 1) {
                throw semantic("input constraint is not a box bound", l, c);
            }
            if (inputs == 1) {
                // a*x + k <= 0  <=>  x <= -k/a (a > 0)  or  x >= -k/a (a < 0)
                double a = e.coefs[someInput];
                double v = clean(-e.constant / a);
                if (!Double.isFinite(v)) {
                    throw semantic("input bound is out of range", l, c);
                }
                Conj conj = new Conj(new InputBound(e.vars[someInput], a > 0, v));
                List<Conj> out = new ArrayList<>(1);
                out.add(conj);
                return out;
            }
            if (outputs > 0) {
                int[] idx = new int[outputs];
                double[] coefs = new double[outputs];
                int m = 0;
                for (int k = 0; k < e.n; k++) {
                    if (e.coefs[k] != 0) {
                        idx[m] = ~e.vars[k];
                        coefs[m] = clean(e.coefs[k]);
                        m++;
                    }
                }
                double d = clean(-e.constant);
                List<Conj> out = new ArrayList<>(1);
                out.add(new Conj(new OutputRow(idx, coefs, d)));
                return out;
            }
            // constants only: true drops the atom, false drops the clause
            return e.constant <= 0 ? trueDnf() : new ArrayList<>();
        }

        // ----- terms

        private Lin parseTerm(int depth) {
            switch (tok) {
                case NUMBER: {
                    double v = numberValue();
                    advance();
                    return Lin.constant(v);
                }
                case SYMBOL: {
                    int id = variableId();
                    if (id == BAD_NAME || !declared.containsKey(id)) {
                        throw atToken("undeclared variable " + describe());
                    }
                    advance();
                    return Lin.variable(id);
                }
                case LPAREN:
                    break;
                default:
                    throw atToken("expected a term but found " + describe());
            }
            if (depth > MAX_NESTING) {
                throw atToken("nesting deeper than " + MAX_NESTING + " levels");
            }
            advance();
            if (tok != SYMBOL) {
                throw atToken("expected an operator but found " + describe());
            }
            String op = tokenText();
            int opLine = tokLine;
            int opCol = tokCol;
            if (!op.equals("+") && !op.equals("-") && !op.equals("*")) {
                throw atToken("unknown operator '" + shorten(op) + "' in a term; expected +, -, *");
            }
            advance();
            List<Lin> args = parseArguments(depth);
            Lin result;
            switch (op) {
                case "+":
                    if (args.isEmpty()) {
                        throw syntax(opLine, opCol, "'+' expects at least 1 argument but got 0");
                    }
                    result = args.get(0);
                    for (int i = 1; i < args.size(); i++) {
                        result.addScaled(args.get(i), 1.0);
                    }
                    break;
                case "-":
                    if (args.isEmpty()) {
                        throw syntax(opLine, opCol, "'-' expects at least 1 argument but got 0");
                    }
                    result = args.get(0);
                    if (args.size() == 1) {
                        result.scale(-1.0);
                    }
                    for (int i = 1; i < args.size(); i++) {
                        result.addScaled(args.get(i), -1.0);
                    }
                    break;
                default: // "*"
                    if (args.size() != 2) {
                        throw syntax(opLine, opCol, "'*' expects 2 arguments but got " + args.size());
                    }
                    Lin a = args.get(0);
                    Lin b = args.get(1);
                    if (a.isConstant()) {
                        b.scale(a.constant);
                        result = b;
                    } else if (b.isConstant()) {
                        a.scale(b.constant);
                        result = a;
                    } else {
                        throw syntax(opLine, opCol, "nonlinear term: '*' needs a constant factor");
                    }
                    break;
            }
            advance(); // the ')'
            return result;
        }

        // ----- result

        private Property build() {
            int numInputs = checkContiguous(true, maxInput);
            int numOutputs = checkContiguous(false, maxOutput);

            Map<BoxKey, List<OutputConstraint>> byBox = new LinkedHashMap<>();
            List<Atom> atoms = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            List<Double> ds = new ArrayList<>();
            int clauseNo = 0;
            for (Conj clause : dnf) {
                clauseNo++;
                atoms.clear();
                rows.clear();
                ds.clear();
                if (clause != null) {
                    clause.collect(atoms);
                }
                double[] lower = new double[numInputs];
                double[] upper = new double[numInputs];
                Arrays.fill(lower, Double.NEGATIVE_INFINITY);
                Arrays.fill(upper, Double.POSITIVE_INFINITY);
                for (Atom atom : atoms) {
                    if (atom instanceof InputBound b) {
                        if (b.upper) {
                            upper[b.index] = Math.min(upper[b.index], b.value);
                        } else {
                            lower[b.index] = Math.max(lower[b.index], b.value);
                        }
                    } else {
                        OutputRow r = (OutputRow) atom;
                        double[] row = new double[numOutputs];
                        for (int k = 0; k < r.outputs.length; k++) {
                            row[r.outputs[k]] = r.coefs[k];
                        }
                        rows.add(row);
                        ds.add(r.d);
                    }
                }
                String where = dnf.size() > 1
                        ? " (in clause " + clauseNo + " of " + dnf.size() + " of the disjunctive normal form)"
                        : "";
                boolean empty = false;
                for (int i = 0; i < numInputs; i++) {
                    if (lower[i] == Double.NEGATIVE_INFINITY) {
                        throw new ProofmapException(source, "X_" + i + " has no lower bound" + where);
                    }
                    if (upper[i] == Double.POSITIVE_INFINITY) {
                        throw new ProofmapException(source, "X_" + i + " has no upper bound" + where);
                    }
                    empty |= lower[i] > upper[i];
                }
                if (empty) {
                    continue; // an empty box cannot be violated
                }
                double[] d = new double[ds.size()];
                for (int r = 0; r < d.length; r++) {
                    d[r] = ds.get(r);
                }
                OutputConstraint oc = new OutputConstraint(numOutputs, rows.toArray(new double[0][]), d);
                byBox.computeIfAbsent(new BoxKey(lower, upper), k -> new ArrayList<>()).add(oc);
            }
            List<PropertyCase> cases = new ArrayList<>(byBox.size());
            for (Map.Entry<BoxKey, List<OutputConstraint>> e : byBox.entrySet()) {
                cases.add(new PropertyCase(e.getKey().lower, e.getKey().upper, e.getValue()));
            }
            return new Property(numInputs, numOutputs, cases, source);
        }

        /** The count n of X_ (or Y_) variables, checked to be exactly 0..n-1. */
        private int checkContiguous(boolean inputs, int max) {
            String kind = inputs ? "input" : "output";
            String prefix = inputs ? "X_" : "Y_";
            if (max < 0) {
                throw new ProofmapException(source, "no " + kind + " variables declared (expected "
                        + prefix + "0, " + prefix + "1, ...)");
            }
            for (int i = 0; i <= max; i++) {
                int id = inputs ? i : ~i;
                if (!declared.containsKey(id)) {
                    int[] at = declared.get(inputs ? max : ~max);
                    throw new ProofmapException(source, kind + " variables must be " + prefix + "0 .. "
                            + prefix + "(n-1) without gaps: " + prefix + i + " is not declared but "
                            + prefix + max + " is (line " + at[0] + ", column " + at[1] + ")");
                }
            }
            return max + 1;
        }
    }

    /** An input box as a map key (bit-wise equality of the bounds). */
    private static final class BoxKey {
        final double[] lower;
        final double[] upper;
        final int hash;

        BoxKey(double[] lower, double[] upper) {
            this.lower = lower;
            this.upper = upper;
            this.hash = 31 * Arrays.hashCode(lower) + Arrays.hashCode(upper);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoxKey k && Arrays.equals(lower, k.lower) && Arrays.equals(upper, k.upper);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
