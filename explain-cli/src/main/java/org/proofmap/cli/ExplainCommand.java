package org.proofmap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.proofmap.ProofmapException;
import org.proofmap.explain.Explain;
import org.proofmap.explain.Explainers;
import org.proofmap.explain.Explanation;
import org.proofmap.explain.ExplanationProblem;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.TraversalOrders;
import org.proofmap.model.Graph;
import org.proofmap.model.Normalization;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.reports.ExplanationJournal;
import org.proofmap.reports.ExplanationJson;
import org.proofmap.reports.Heatmap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap explain MODEL ...}: a formally verified explanation of one input's prediction. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Explain a prediction: the input features that provably matter, each with a witness.",
        synopsisHeading = Help.SYNOPSIS,
        customSynopsis = {
            "proofmap explain MODEL (--input=FILE | --image=FILE | --dataset=FILE --index=N | --vnnlib=PROP)",
            "                 --eps=E [--range=LO,HI] [--mean=M --std=S] [--order=ORDER] [--algorithm=ALG]",
            "                 [--oracle=ORACLE] [--probabilistic]",
            "                 [--samples=N] [--confidence=P]",
            "                 [--timeout=S] [--threads=N] [--seed=N] [--no-efx]",
            "                 --out=DIR [--json] [--debug] [-hV]",
        },
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "For the input's predicted label, a feature set F is irrelevant when every input that agrees"
                + " with the original outside F and moves by at most E on F (staying within the range) gets"
                + " the same label. The explanation is the complement of a maximal such F: removing any"
                + " feature from it breaks the guarantee, which a witness (an input with another label)"
                + " shows for each one.",
            "",
            "Features are tried in the order ORDER (most likely irrelevant first) by the algorithm ALG;"
                + " every query goes to the cheapest oracle of the chain ORACLE that decides it. A sound"
                + " bound proves irrelevance; only a counterexample re-checked by a forward pass proves"
                + " relevance; a feature no oracle decides within --timeout is asked once more at the end"
                + " with three times as long (chains with an exact oracle; the retries together take at most"
                + " as long as the run before them), and if that fails too it stays 'unknown' and is"
                + " reported as such, never silently counted.",
            "",
            "Orders: reciph (CROWN's linear bounds over the full ball; default), sensitivity (output"
                + " change when the feature alone moves, VeriX's), saliency (|d y_label / d x_i|), bounds"
                + " (CROWN bound of the margin when the feature alone moves), index, random (--seed).",
            "Algorithms: binary (blocks of the order, halved on failure; default), deletion (one"
                + " feature at a time, as VeriX), quickxplain.",
            "Oracles: auto (CROWN, PGD, alpha-CROWN, exact MIP; default), ibp, crown, alpha-crown, bab"
                + " (activation branch and bound), mip; and pt-lirpa, which proves nothing: a batched PGD"
                + " attack finds relevant features, and PT-LiRPA frees the others probabilistically.",
            "",
            "Probably irrelevant features: with --probabilistic, after the chain has finished (the"
                + " irrelevant set and its proof are final then and do not depend on this step), the"
                + " features it left unknown (timeouts) go to PT-LiRPA in the order ORDER, in blocks halved"
                + " on failure; a block joins the probably irrelevant set when PT-LiRPA bounds every margin"
                + " positive over the box of the irrelevant set, the probably irrelevant set so far and the"
                + " block. All its calls share the failure probability 1 - P, so with probability P (under"
                + " PT-LiRPA's tail assumption) the irrelevant and probably irrelevant features are irrelevant"
                + " together. They are kept apart everywhere: the 'probably_irrelevant' array and"
                + " 'probabilistic' provenance (confidence, samples, estimator) of explanation.json, amber in"
                + " the heatmap, a count of their own in the summary line, and 'proofmap check' does not count"
                + " them as proven. With --oracle pt-lirpa every feature not shown relevant goes to this"
                + " step. " + PtLirpaOptions.DESCRIPTION,
            "",
            "While it runs, DIR/explanation.journal.jsonl records every feature settled, and progress lines go to"
                + " standard error; a run stopped or crashed resumes from the journal when started again with the"
                + " same model, input and settings but for --timeout (--fresh: start over; a journal written"
                + " for other settings is kept as explanation.journal.jsonl.previous, and a line says which"
                + " settings differ). The journal is"
                + " also kept when features are left unknown: the same command again, with a longer"
                + " --timeout if need be, asks only those (straight in the retries, at three times the limit)."
                + " Writes DIR/explanation.json (the"
                + " certificate: model SHA-256, input, label, eps, range,"
                + " order, algorithm, relevant / irrelevant / unknown features as flat NCHW indices, every"
                + " decision, the proof of the irrelevant set, a witness per relevant feature, the EFX"
                + " check, times) and DIR/heatmap.png (the input with relevant pixels red, unknown ones"
                + " blue and probably irrelevant ones amber, and the order's scores beside it). 'proofmap check MODEL DIR/explanation.json'"
                + " re-verifies it. Prints one line: label, sizes, EFX, time.",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap explain ../shared/benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx \\",
            "      --dataset ../shared/datasets/mnist_test_100.csv --index 0 --eps 0.05 --out out/img0",
            "  proofmap explain ../shared/models-ref/cnn_small.onnx --image digit.png --eps 0.05 \\",
            "      --order reciph --algorithm deletion --oracle crown --out out/digit",
            "",
            Help.EXIT_STATUS, Help.EXIT_0, Help.EXIT_1, Help.EXIT_2,
        })
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX classifier (.onnx). Required.")
    Path model;

    static final class Source {
        @Option(names = "--input", paramLabel = "FILE",
                description = "The input as one line of comma-separated numbers (the format of 'proofmap forward').")
        Path input;

        @Option(names = "--image", paramLabel = "FILE",
                description = "The input as a PNG, JPEG, BMP or GIF image of the model's size, scaled to [0, 1].")
        Path image;

        @Option(names = "--dataset", paramLabel = "FILE",
                description = "A data set: IDX images (gzip or plain), the CSV format of ../shared/datasets"
                        + " (label then pixels 0..255), or a folder of images; needs --index.")
        Path dataset;

        @Option(names = "--vnnlib", paramLabel = "PROP",
                description = "The centre of the first input box of a VNNLIB property.")
        Path vnnlib;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--index", paramLabel = "N", description = "With --dataset: the sample, from 0.")
    Integer index;

    @Option(names = "--eps", paramLabel = "E", required = true,
            description = "How far a free feature may move (L-inf), in the units of the input. Required, > 0.")
    double eps;

    @Option(names = "--range", paramLabel = "LO,HI", defaultValue = "0,1",
            description = "The data range every feature stays in. Default: ${DEFAULT-VALUE}.")
    String range;

    @Option(names = "--mean", paramLabel = "M", split = ",",
            description = "Per-channel mean of a normalisation (x - M) / S in front of the model (one value,"
                    + " or one per channel); needs --std. The input and --range stay in raw units.")
    double[] mean;

    @Option(names = "--std", paramLabel = "S", split = ",", description = "Per-channel std; needs --mean.")
    double[] std;

    @Option(names = "--order", paramLabel = "ORDER", defaultValue = "reciph",
            description = "Traversal order (see DESCRIPTION). Default: ${DEFAULT-VALUE}.")
    String order;

    @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "binary",
            description = "Algorithm (see DESCRIPTION). Default: ${DEFAULT-VALUE}.")
    String algorithm;

    @Option(names = "--oracle", paramLabel = "ORACLE", defaultValue = "auto",
            description = "Oracle chain (see DESCRIPTION). Default: ${DEFAULT-VALUE}.")
    String oracle;

    @Option(names = "--probabilistic",
            description = "After the oracle chain, try the features it left unknown with PT-LiRPA; those it frees"
                    + " are probably irrelevant, kept apart from the proven ones (see DESCRIPTION).")
    boolean probabilistic;

    @picocli.CommandLine.Mixin
    PtLirpaOptions pt = new PtLirpaOptions();

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "20",
            description = "Time limit of one query over the whole chain, in seconds; a feature left unknown gets"
                    + " one retry at the end with three times as long. Default: ${DEFAULT-VALUE}.")
    double timeout;

    @Option(names = "--budget", paramLabel = "S",
            description = "Wall time, in seconds, this run may spend searching (default: no limit). Features not"
                    + " settled by then stay unknown, say so, and are not journaled: the same command again (with"
                    + " a larger budget, say) resumes and asks them.")
    Double budget;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads of the complete oracles (0: one per core). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random order. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--no-efx", description = "Skip the EFX check.")
    boolean noEfx;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder for explanation.json and heatmap.png (created if missing). Required.")
    Path out;

    @Option(names = "--json", description = "Print explanation.json to stdout instead of the summary line.")
    boolean json;

    @Option(names = "--fresh", description = "Start over, ignoring the journal an interrupted run left in DIR"
            + " (by default a run with the same model, input and settings resumes from it).")
    boolean fresh;

    @Override
    public Integer call() {
        checkOptions();
        double[] r = Ranges.parse(range, "--range", spec);
        Graph g = OnnxLoader.load(model);
        if (mean != null) {
            try {
                g = Normalization.prepend(g, mean, std);
            } catch (IllegalArgumentException e) {
                throw usage("--mean/--std: " + e.getMessage());
            }
        }
        Inputs.Loaded in = load(g);
        ExplanationProblem problem;
        try {
            problem = new ExplanationProblem(g, in.x(), eps, r[0], r[1]);
        } catch (IllegalArgumentException e) {
            throw new ProofmapException(in.file(), e.getMessage(), e);
        }
        Explain.Options options = Explain.Options.defaults().withOrder(order).withAlgorithm(algorithm)
                .withOracle(oracle).withQueryTimeout(timeout).withThreads(threads).withSeed(seed).withEfx(!noEfx)
                .withBudget(budget == null ? 0 : budget);
        if (probabilistic || oracle.equalsIgnoreCase("pt-lirpa")) {
            options = options.withOracle(oracle.toLowerCase(Locale.ROOT)).withProbabilistic(pt.options(spec));
        }
        int[] shape = g.inputShape().dims();
        String sha = Output.sha256(model);
        Path journalFile = out.resolve(JOURNAL);
        if (fresh) {
            try {
                Files.deleteIfExists(journalFile);
            } catch (IOException ex) {
                throw new ProofmapException(journalFile.toString(), "cannot delete: " + ex.getMessage(), ex);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        Explanation e;
        try (ExplanationJournal journal = ExplanationJournal.open(journalFile, journalKey(sha, in.x(), eps, r, mean, std, options),
                in.x()); ExplainProgress progress = new ExplainProgress(err, problem.features(), PROGRESS_SECONDS)) {
            if (journal.setAside() != null) {
                err.println("explain: the journal in " + out + " was written for other settings (differing: "
                        + String.join(", ", journal.differingFields()) + "); kept as " + journal.setAside()
                        + ", starting afresh");
            }
            if (!journal.replay().isEmpty()) {
                err.println("explain: resuming from " + journalFile + " (" + journal.replay().free().cardinality()
                        + " irrelevant and " + journal.replay().relevant().size() + " relevant features settled"
                        + (journal.replay().unknown().isEmpty() ? "" : ", " + journal.replay().unknown().size()
                                + " unknown to retry") + ")");
                err.flush();
            }
            progress.restored(journal.replay()).heartbeat(QUIET_SECONDS);
            e = Explain.run(problem, options, journal.replay(), List.of(journal, progress));
        } catch (java.io.UncheckedIOException ex) {
            throw new ProofmapException(journalFile.toString(), ex.getCause().getMessage(), ex);
        }
        ExplanationJson.write(e, model.toString(), sha, shape, mean, std, out.resolve("explanation.json"));
        int[] chw = Inputs.imageLayout(g.inputShape(), in.x().length);
        Heatmap.write(in.x(), chw[0], chw[1], chw[2], e.relevant(), e.probablyIrrelevant(), e.unknown(),
                pixelScores(e.orderScores(), chw), out.resolve("heatmap.png"));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(ExplanationJson.text(e, model.toString(), sha, shape, mean, std));
        } else {
            String truth = in.trueLabel() >= 0 ? " (true " + in.trueLabel() + ")" : "";
            w.println(e.summary().replaceFirst("^label (\\d+)", "label $1" + truth) + "; wrote "
                    + out.resolve("explanation.json") + ", " + out.resolve("heatmap.png"));
        }
        w.flush();
        long notAsked = e.decisions().stream().filter(d -> d.note().startsWith(ExplanationSearch.BUDGET)).count();
        if (notAsked > 0) {
            // Those were never asked: the journal leaves them open for the next run's main pass.
            err.println("explain: the time budget ran out with " + notAsked + " features not asked ("
                    + e.unknown().cardinality() + " unknown in all); " + journalFile
                    + " is kept: the same command again, with a larger --budget if need be, goes on from there");
            err.flush();
            return 0;
        }
        if (!e.unknown().isEmpty()) {
            // Kept: running again (with a longer --timeout, say) asks only the unknown features.
            err.println("explain: " + e.unknown().cardinality() + " features unknown; " + journalFile
                    + " is kept: the same command again, with a longer --timeout if need be, asks only those");
            err.flush();
            return 0;
        }
        try {
            Files.deleteIfExists(journalFile); // the explanation is written and complete: nothing left to resume
        } catch (IOException ex) {
            throw new ProofmapException(journalFile.toString(), "cannot delete: " + ex.getMessage(), ex);
        }
        return 0;
    }

    /**
     * The journal of a running explanation in the output folder, kept until an explanation.json with
     * no unknown feature is written.
     */
    static final String JOURNAL = "explanation.journal.jsonl";

    /** Seconds between progress lines on standard error. */
    static final double PROGRESS_SECONDS = 15;

    /** Seconds without a progress line after which the line is printed anyway (marked "working"). */
    static final double QUIET_SECONDS = 60;

    /** What makes two runs the same explanation: a journal is resumed only under the same key. */
    static ObjectNode journalKey(String sha, double[] x, double eps, double[] r, double[] mean, double[] std,
            Explain.Options o) {
        ObjectNode k = new ObjectMapper().createObjectNode();
        k.put("model_sha256", sha);
        ArrayNode input = k.putArray("input");
        for (double v : x) {
            input.add(v);
        }
        k.put("eps", eps);
        k.putArray("range").add(r[0]).add(r[1]);
        if (mean != null) {
            ArrayNode m = k.putArray("mean");
            for (double v : mean) {
                m.add(v);
            }
            ArrayNode sd = k.putArray("std");
            for (double v : std) {
                sd.add(v);
            }
        }
        k.put("order", o.order());
        k.put("algorithm", o.algorithm());
        k.put("oracle", o.oracle());
        k.put("timeout", o.queryTimeoutSeconds());
        k.put("seed", o.seed());
        return k;
    }

    private void checkOptions() {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw usage("--eps must be a positive finite number, found " + eps);
        }
        if (!(timeout > 0)) {
            throw usage("--timeout must be positive, found " + timeout);
        }
        if (budget != null && (!(budget > 0) || budget.isInfinite())) {
            throw usage("--budget must be a positive number of seconds, found " + budget);
        }
        if ((mean == null) != (std == null)) {
            throw usage("--mean and --std go together");
        }
        if (source.dataset != null && index == null) {
            throw usage("--dataset needs --index N");
        }
        if (source.dataset == null && index != null) {
            throw usage("--index is only used with --dataset");
        }
        check(TraversalOrders.NAMES, order, "--order");
        check(Explainers.NAMES, algorithm, "--algorithm");
        check(Explain.ORACLES, oracle, "--oracle");
        if (pt.given() && !probabilistic && !oracle.equalsIgnoreCase("pt-lirpa")) {
            throw usage("--samples, --confidence, --gamma, --tail-index and --pt-alpha are settings of --probabilistic"
                    + " or --oracle pt-lirpa");
        }
    }

    private void check(java.util.List<String> names, String value, String option) {
        if (!names.contains(value.toLowerCase(Locale.ROOT))) {
            throw usage("unknown value '" + value + "' for " + option + " (known: " + String.join(", ", names) + ")");
        }
    }

    private Inputs.Loaded load(Graph g) {
        if (source.input != null) {
            return Inputs.vector(g, source.input);
        }
        if (source.image != null) {
            return Inputs.image(g, source.image);
        }
        if (source.dataset != null) {
            return Inputs.sample(g, source.dataset, index);
        }
        return Inputs.vnnlibCentre(g, source.vnnlib);
    }

    /** One score per pixel: the mean over channels of the order's feature scores. */
    static double[] pixelScores(double[] scores, int[] chw) {
        if (scores == null) {
            return null;
        }
        int hw = chw[1] * chw[2];
        double[] s = new double[hw];
        for (int c = 0; c < chw[0]; c++) {
            for (int i = 0; i < hw; i++) {
                s[i] += scores[c * hw + i] / chw[0];
            }
        }
        return s;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
