package org.proofmap.mip;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The COIN-OR CBC back-end, run as a subprocess (Debian package {@code coinor-cbc}, executable
 * {@code cbc}). Available when {@code cbc} is on the {@code PATH} or the system property
 * {@code proofmap.cbc} names the executable.
 *
 * <p>One solve: the model is written in CPLEX LP format to a fresh temporary directory and solved
 * with
 *
 * <pre>cbc model.lp timeMode elapsed sec &lt;limit&gt; [threads n] [options] solve printingOptions all solu sol.txt saveSolution sol.bin</pre>
 *
 * <p>The text solution ({@code solu}) gives the status line and the name of every column in CBC's
 * internal order, but prints values with only 8 significant digits; the binary solution
 * ({@code saveSolution}: two native ints — rows, columns — then doubles: objective, row activities,
 * row duals, column values, reduced costs) gives the values in full double precision. Values are
 * matched to variables through the names ({@code x<j>}). The proven lower bound on a time-out is
 * parsed from CBC's {@code Lower bound:} line. A process that overruns the limit by more than a grace
 * period is killed; the directory is always deleted.
 *
 * <p>CBC's defaults are kept: integrality and primal tolerances 1e-7, absolute and relative gap 0
 * (so {@code Optimal} means optimal up to those tolerances).
 */
public final class CbcSolver implements MipSolver {
    /**
     * CBC processes running now, with their folders. A JVM stopped by Ctrl-C or SIGTERM (a long
     * explanation resumes from its journal, so stopping one is routine) kills them and deletes the
     * folders on its way out: otherwise each solver ran on, orphaned, to its time limit (up to
     * minutes), taking the cores of the run that resumes.
     */
    private static final java.util.Map<Process, Path> LIVE = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach((p, dir) -> {
            p.destroyForcibly();
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteRecursively(dir);
        }), "proofmap-cbc-cleanup"));
    }

    private final String executable;
    private final int threads;
    private final List<String> options;
    private final double graceSeconds;

    /** CBC from {@code proofmap.cbc} or the {@code PATH}, single-threaded, default settings. */
    public CbcSolver() {
        this(locate(), 0);
    }

    /**
     * @param executable path of the cbc executable (null: not available)
     * @param threads CBC's {@code threads} option, 0 for its default (no parallel search)
     */
    public CbcSolver(String executable, int threads) {
        this(executable, threads, List.of());
    }

    /**
     * @param options extra CBC arguments placed before {@code solve}, e.g. {@code List.of("cuts", "off")}.
     *     CBC's defaults are the most robust on network encodings measured here: turning cuts and
     *     heuristics off made small MLP queries 2–6× faster but left CNN queries unsolved in 40 s.
     */
    public CbcSolver(String executable, int threads, List<String> options) {
        this(executable, threads, options, 5.0);
    }

    /** As above, with the grace period after the limit before the process is killed (for tests). */
    CbcSolver(String executable, int threads, List<String> options, double graceSeconds) {
        this.executable = executable;
        this.threads = threads;
        this.options = List.copyOf(options);
        this.graceSeconds = graceSeconds;
    }

    /** The cbc executable: the system property {@code proofmap.cbc}, else {@code cbc} on the PATH; or null. */
    public static String locate() {
        String prop = System.getProperty("proofmap.cbc");
        if (prop != null && !prop.isBlank()) {
            return Files.isExecutable(Paths.get(prop)) ? prop : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Paths.get(dir, "cbc");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Override
    public String name() {
        return "cbc";
    }

    @Override
    public boolean isAvailable() {
        return executable != null;
    }

    /** The executable this instance runs, or null. */
    public String executable() {
        return executable;
    }

    /**
     * CBC settings for sign questions ({@link #solveBelow}) on network encodings: preprocessing and
     * primal heuristics off (cuts stay on). Measured on MNIST 256x2 feature queries: a root node
     * with cuts decides them, and the preprocessing and heuristics were most of the time (2.2 s to
     * 0.07 s on one query, same answer).
     */
    public static final List<String> SIGN_OPTIONS = List.of("preprocess", "off", "heuristics", "off");

    /** This executable and thread count with other extra options. */
    public CbcSolver withOptions(List<String> extra) {
        return new CbcSolver(executable, threads, extra, graceSeconds);
    }

    /** The extra options of this instance. */
    public List<String> options() {
        return options;
    }

    /**
     * Runs CBC with {@code cutoff} (CBC then discards every point whose objective is not below it, so
     * a root bound above the cutoff ends the run at once) and {@code maxSolutions 1} (the first point
     * below the cutoff ends it too). "Infeasible" then means no feasible point below the cutoff:
     * returned as {@link State#INFEASIBLE} with {@code bestBound == cutoff}.
     */
    @Override
    public Result solveBelow(MipModel model, double cutoff, double timeLimitSeconds) {
        if (!Double.isFinite(cutoff)) {
            return solve(model, timeLimitSeconds);
        }
        // CBC's objective leaves the model's constant out.
        double c = cutoff - model.objectiveConstant();
        Result r = run(model, timeLimitSeconds, List.of("cutoff", fmt(c), "maxSolutions", "1"));
        if (r.state() == State.INFEASIBLE) {
            return Result.withoutSolution(State.INFEASIBLE, cutoff, r.seconds(), name(),
                    "no point below the cutoff " + cutoff + " (" + r.message() + ")");
        }
        return r;
    }

    @Override
    public Result solve(MipModel model, double timeLimitSeconds) {
        return run(model, timeLimitSeconds, List.of());
    }

    private Result run(MipModel model, double timeLimitSeconds, List<String> more) {
        long t0 = System.nanoTime();
        if (executable == null) {
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, 0, name(), "cbc is not installed (not on the PATH)");
        }
        if (model.variableCount() == 0) {
            return MipSolver.constantModel(model, name());
        }
        Path dir = null;
        Process p = null;
        try {
            dir = Files.createTempDirectory("proofmap-cbc-");
            Path lp = dir.resolve("model.lp");
            writeLp(model, lp);
            Path txt = dir.resolve("sol.txt");
            Path bin = dir.resolve("sol.bin");
            Path log = dir.resolve("cbc.log");
            List<String> cmd = new ArrayList<>(List.of(executable, lp.toString(), "timeMode", "elapsed", "sec",
                    fmt(Math.max(0.01, timeLimitSeconds))));
            if (threads > 0) {
                cmd.add("threads");
                cmd.add(Integer.toString(threads));
            }
            cmd.addAll(options);
            cmd.addAll(more);
            cmd.addAll(List.of("solve", "printingOptions", "all", "solu", txt.toString(), "saveSolution",
                    bin.toString()));
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            LIVE.put(p, dir);
            // CBC checks its clock between nodes and heuristics, and reading the file comes first.
            double grace = graceSeconds + 0.5 * timeLimitSeconds;
            boolean finished;
            try {
                finished = p.waitFor((long) Math.ceil((timeLimitSeconds + grace) * 1000.0), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return Result.withoutSolution(State.UNKNOWN, Double.NaN, elapsed(t0), name(), "interrupted");
            }
            if (!finished) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return Result.withoutSolution(State.UNKNOWN, Double.NaN, elapsed(t0), name(),
                        "cbc overran the time limit and was killed");
            }
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return parse(model, out, txt, bin, elapsed(t0), p.exitValue());
        } catch (IOException | UncheckedIOException e) {
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, elapsed(t0), name(), "cbc failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, elapsed(t0), name(), "interrupted");
        } finally {
            if (p != null) {
                LIVE.remove(p);
            }
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    private Result parse(MipModel model, String out, Path txt, Path bin, double seconds, int exit) throws IOException {
        if (!Files.exists(txt)) {
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, seconds, name(),
                    "cbc wrote no solution (exit " + exit + "): " + lastLines(out, 5));
        }
        List<String> lines = Files.readAllLines(txt, StandardCharsets.UTF_8);
        // e.g. "Optimal - objective value 0.8414" (CBC's objective leaves out the model's constant).
        String status = lines.isEmpty() ? "" : lines.get(0).trim().replaceFirst(" - objective value.*$", "");
        String lower = status.toLowerCase(Locale.ROOT);
        // CBC's bound, like its objective, leaves the model's constant out.
        double bound = parseAfter(out, "Lower bound:") + model.objectiveConstant();
        State state;
        if (lower.startsWith("optimal")) {
            state = State.OPTIMAL;
        } else if (lower.contains("infeasible") && !lower.startsWith("stopped")) {
            return Result.withoutSolution(State.INFEASIBLE, Double.NaN, seconds, name(), status);
        } else if (lower.startsWith("stopped") && !lower.contains("no integer solution")
                && !out.contains("No feasible solution found")) {
            state = State.FEASIBLE;
        } else {
            return Result.withoutSolution(State.UNKNOWN, bound, seconds, name(), status);
        }
        // Column names in CBC's order (rows are named c<r>, columns x<j>).
        int n = model.variableCount();
        int[] variableOfColumn = new int[n];
        java.util.Arrays.fill(variableOfColumn, -1);
        int columns = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().replace("**", " ").trim().split("\\s+");
            if (f.length < 3 || !f[1].startsWith("x")) {
                continue;
            }
            int col = Integer.parseInt(f[0]);
            int var = Integer.parseInt(f[1].substring(1));
            if (col < 0 || col >= n || var < 0 || var >= n) {
                return Result.withoutSolution(State.UNKNOWN, bound, seconds, name(),
                        "unexpected column " + lines.get(i));
            }
            variableOfColumn[col] = var;
            columns++;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.nativeOrder());
        int rows = b.getInt();
        int cols = b.getInt();
        if (cols != n || columns != n || b.remaining() != 8L * (1 + 2L * rows + 2L * cols)) {
            return Result.withoutSolution(State.UNKNOWN, bound, seconds, name(), "cbc solution has " + cols
                    + " columns (" + columns + " named) for " + n + " variables");
        }
        b.getDouble(); // objective without the model's constant
        b.position(b.position() + 16 * rows);
        double[] x = new double[n];
        for (int c = 0; c < n; c++) {
            int var = variableOfColumn[c];
            if (var < 0) {
                return Result.withoutSolution(State.UNKNOWN, bound, seconds, name(), "column " + c + " unnamed");
            }
            x[var] = b.getDouble();
        }
        double objective = model.objectiveValue(x);
        double best = state == State.OPTIMAL ? objective : bound;
        return new Result(state, objective, best, x, seconds, name(), status);
    }

    /**
     * The bound after {@code key} in the log, rounded down by half a unit of its last printed digit
     * (CBC prints it with 3 decimals, rounded to nearest, so the printed number may exceed the bound
     * it proved); NaN when absent or not a number.
     */
    private static double parseAfter(String out, String key) {
        int i = out.lastIndexOf(key);
        if (i < 0) {
            return Double.NaN;
        }
        String rest = out.substring(i + key.length()).trim().split("\\s+")[0];
        try {
            double v = Double.parseDouble(rest);
            String mantissa = rest.toLowerCase(Locale.ROOT).split("e")[0];
            int dot = mantissa.indexOf('.');
            int decimals = dot < 0 ? 0 : mantissa.length() - dot - 1;
            int exp = rest.toLowerCase(Locale.ROOT).contains("e")
                    ? Integer.parseInt(rest.toLowerCase(Locale.ROOT).split("e")[1].replace("+", "")) : 0;
            return v - 0.5 * Math.pow(10, exp - decimals);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String lastLines(String s, int n) {
        String[] l = s.strip().split("\n");
        return String.join(" | ", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - n), l.length));
    }

    /**
     * Writes CPLEX LP format as CBC's CoinLpIO reads it: variables {@code x<j>}, constraints
     * {@code c<r>}, every variable's bounds listed (the format's default lower bound is 0), numbers in
     * shortest round-trip form, at most 8 terms per line. The objective constant is left out (added
     * back when reading the answer).
     */
    static void writeLp(MipModel m, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("\\ proofmap MIP\nMinimize\n obj:");
            int terms = 0;
            for (int j = 0; j < m.variableCount(); j++) {
                double c = m.objective(j);
                if (c != 0.0) {
                    terms = term(w, c, j, terms);
                }
            }
            if (terms == 0) {
                w.write(" 0 x0");
            }
            w.write("\nSubject To\n");
            for (int r = 0; r < m.constraintCount(); r++) {
                w.write(" c" + r + ":");
                int[] idx = m.constraintVariables(r);
                double[] coef = m.constraintCoefficients(r);
                int t = 0;
                for (int k = 0; k < idx.length; k++) {
                    t = term(w, coef[k], idx[k], t);
                }
                w.write(" " + m.sense(r).symbol() + " " + fmt(m.rhs(r)) + "\n");
            }
            w.write("Bounds\n");
            for (int j = 0; j < m.variableCount(); j++) {
                if (m.isBinary(j)) {
                    w.write(" 0 <= x" + j + " <= 1\n");
                    continue;
                }
                double lo = m.lower(j);
                double hi = m.upper(j);
                if (lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY) {
                    w.write(" x" + j + " free\n");
                } else {
                    w.write(" " + (lo == Double.NEGATIVE_INFINITY ? "-inf" : fmt(lo)) + " <= x" + j + " <= "
                            + (hi == Double.POSITIVE_INFINITY ? "inf" : fmt(hi)) + "\n");
                }
            }
            if (m.binaryCount() > 0) {
                w.write("Binaries\n");
                int t = 0;
                for (int j = 0; j < m.variableCount(); j++) {
                    if (m.isBinary(j)) {
                        w.write(" x" + j);
                        if (++t % 16 == 0) {
                            w.write("\n");
                        }
                    }
                }
                w.write("\n");
            }
            w.write("End\n");
        }
    }

    private static int term(BufferedWriter w, double c, int j, int count) throws IOException {
        if (count > 0 && count % 8 == 0) {
            w.write("\n   ");
        }
        w.write(c < 0 ? " - " : " + ");
        w.write(fmt(Math.abs(c)));
        w.write(" x");
        w.write(Integer.toString(j));
        return count + 1;
    }

    /** Shortest decimal that reads back as the same double (Java's {@code Double.toString}). */
    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static double elapsed(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp file left behind is harmless
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "CbcSolver[" + (executable == null ? "not installed" : executable) + "]";
    }
}
