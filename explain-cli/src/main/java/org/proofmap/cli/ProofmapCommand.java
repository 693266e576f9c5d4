package org.proofmap.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.proofmap.ProofmapException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code proofmap} command: the subcommands, the global {@code --debug} option and the one error
 * handler shared by every command (see the {@linkplain org.proofmap.cli package documentation}).
 */
@Command(name = "proofmap",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        subcommands = {InfoCommand.class, ForwardCommand.class, VnnlibCommand.class, BoundsCommand.class,
            CertifyCommand.class, VerifyCommand.class, ExplainCommand.class, CheckCommand.class,
            CommandLine.HelpCommand.class},
        headerHeading = Help.NAME,
        header = "Formally verified explanations and verification for neural-network classifiers.",
        synopsisHeading = Help.SYNOPSIS,
        synopsisSubcommandLabel = "COMMAND",
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "Proofmap loads ONNX classifiers and VNNLIB properties and answers questions about"
                + " them with proofs: which outputs a region of inputs can reach, which features a"
                + " prediction depends on. Each command does one thing; run 'proofmap COMMAND --help'"
                + " for its page.",
            "",
            "Results go to standard output as text or, with --json, as one JSON object on one"
                + " line. Problems with input files are reported as one line on standard error,"
                + " 'error: <file>: <problem>', so they can be read and grepped without a stack trace.",
        },
        optionListHeading = Help.OPTIONS,
        commandListHeading = Help.COMMANDS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap info ../shared/models-ref/cnn_small.onnx",
            "  proofmap forward ../shared/models-ref/mlp_5_50_50_5.onnx \\",
            "      --input ../shared/models-ref/center_mlp_5_50_50_5_0.csv",
            "  proofmap vnnlib ../shared/benchmarks/mnist_fc/vnnlib/prop_0_0.03.vnnlib",
            "  proofmap bounds ../shared/models-ref/mlp_5_50_50_5.onnx \\",
            "      --center ../shared/models-ref/center_mlp_5_50_50_5_0.csv --eps 0.01",
            "  proofmap verify ../shared/benchmarks/acasxu/onnx/ACASXU_run2a_1_2_batch_2000.onnx \\",
            "      ../shared/benchmarks/acasxu/vnnlib/prop_1.vnnlib",
            "  proofmap --debug info broken.onnx     # stack trace after the error line",
            "",
            Help.EXIT_STATUS, Help.EXIT_0, Help.EXIT_1, Help.EXIT_2,
        })
public final class ProofmapCommand implements Runnable {
    /** Shown by {@code --version} when the jar carries no version. */
    static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";

    @Spec
    CommandSpec spec;

    /**
     * Declared here and inherited by every subcommand; the error handler reads it from the parse
     * result ({@link #debugRequested}), wherever on the command line it was given.
     */
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, print the Java stack trace after the one-line message (for bug reports). "
                    + "Accepted before or after the command name. Off by default.")
    boolean debug;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        BatchProgress.processStderr = true;
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line with {@code args}, writing UTF-8 text to {@code out} and {@code err}, and
     * returns the exit status: 0 success, 1 internal error, 2 bad input or usage.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        try {
            return run(commandLine(), out, err, args);
        } catch (RuntimeException | Error ex) {
            // A failure while building the command line (a bug in the annotations).
            PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
            return internalError(e, ex, containsDebug(args));
        }
    }

    /** Runs {@code args} on a configured command line (see {@link #commandLine()}). */
    static int run(CommandLine cmd, PrintStream out, PrintStream err, String... args) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            cmd.setOut(o);
            cmd.setErr(e);
            return cmd.execute(args);
        } catch (RuntimeException | Error ex) {
            // Thrown by picocli itself rather than by a command: still a bug.
            return internalError(e, ex, containsDebug(args));
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** The configured command line (error handlers included), without output streams. */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new ProofmapCommand());
        cmd.setExecutionExceptionHandler(ProofmapCommand::handleExecutionException);
        cmd.setParameterExceptionHandler(ProofmapCommand::handleParameterException);
        Help.install(cmd);
        return cmd;
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = debugRequested(parsed);
        if (ex instanceof ProofmapException pe) {
            err.println("error: " + pe.oneLine());
            if (debug) {
                pe.printStackTrace(err);
            }
            err.flush();
            return 2;
        }
        return internalError(err, ex, debug);
    }

    private static int internalError(PrintWriter err, Throwable ex, boolean debug) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().replace('\n', ' ');
        if (ex instanceof OutOfMemoryError) {
            err.println("error: out of memory (" + msg + "): give Java more, e.g. java -Xmx8g -jar proofmap.jar ...");
        } else {
            err.println("error: internal error: " + msg + (debug ? "" : " (run with --debug for details)"));
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ex.getMessage().replace('\n', ' '));
        UnmatchedArgumentException.printSuggestions(ex, err);
        String name = cmd.getCommandSpec().qualifiedName();
        err.println("Try '" + name + " --help' for more information.");
        if (containsDebug(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 2;
    }

    /** Whether {@code --debug} was given on the command or any of its subcommands. */
    static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Fallback when parsing failed: {@code --debug} among the arguments before any {@code --}. */
    private static boolean containsDebug(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** {@code proofmap <version>} from the jar (manifest or Maven properties), plus the Java runtime. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "proofmap " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            };
        }

        static String version() {
            String v = ProofmapCommand.class.getPackage().getImplementationVersion();
            if (v != null && !v.isBlank()) {
                return v;
            }
            try (InputStream in = ProofmapCommand.class.getResourceAsStream(
                    "/META-INF/maven/org.proofmap/explain-cli/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String pv = p.getProperty("version");
                    if (pv != null && !pv.isBlank()) {
                        return pv;
                    }
                }
            } catch (java.io.IOException ignored) {
                // fall through to the default
            }
            return FALLBACK_VERSION;
        }
    }
}
