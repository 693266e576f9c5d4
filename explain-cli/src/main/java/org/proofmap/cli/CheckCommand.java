package org.proofmap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.proofmap.ProofmapException;
import org.proofmap.explain.CertificateChecker;
import org.proofmap.explain.Explanation;
import org.proofmap.model.Graph;
import org.proofmap.model.Normalization;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.reports.ExplanationJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap check MODEL EXPLANATION.json}: re-verifies an explanation certificate. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Re-verify an explanation written by 'proofmap explain', independently of how it was made.",
        synopsisHeading = Help.SYNOPSIS,
        customSynopsis = {
            "proofmap check MODEL EXPLANATION [--mean=M --std=S] [--timeout=S]",
            "               [--recheck-probable[=SEED]] [--debug] [-hV]",
        },
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "Checks that MODEL is the model the explanation was made for (its SHA-256), that the model"
                + " still predicts the explanation's label at its input, that the irrelevant set is"
                + " irrelevant (proved afresh by CROWN, alpha-CROWN or the exact MIP, not by trusting the"
                + " recorded proof), and that every relevant feature's witness lies in the box of the"
                + " irrelevant set plus that feature and gets another label by a double-precision forward"
                + " pass. Prints 'check passed' or one line per failure.",
            "",
            "Probably irrelevant features (from 'explain --probabilistic' or '--oracle pt-lirpa') are not"
                + " proven and are not counted as such: the proof covers the irrelevant set alone, and a note"
                + " says how many there are and at what confidence. With --recheck-probable, PT-LiRPA (with"
                + " the recorded sample size and confidence, and the seed SEED, default 1) bounds the box of"
                + " the irrelevant and probably irrelevant features together, and a note says whether it"
                + " confirms them — probabilistically; the outcome does not change the exit status.",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap check ../shared/benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx out/img0/explanation.json",
            "",
            Help.EXIT_STATUS, Help.EXIT_0,
            Help.EXIT_1, Help.EXIT_2,
            "  3  The explanation does not hold: a failed check, listed on stdout.",
        })
final class CheckCommand implements Callable<Integer> {
    /** Exit code when the certificate does not hold. */
    static final int FAILED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX classifier (.onnx). Required.")
    Path model;

    @Parameters(index = "1", paramLabel = "EXPLANATION", description = "explanation.json. Required.")
    Path explanation;

    @Option(names = "--mean", paramLabel = "M", split = ",",
            description = "The normalisation in front of the model; default: the one recorded in the"
                    + " explanation by 'proofmap explain --mean --std', if any.")
    double[] mean;

    @Option(names = "--std", paramLabel = "S", split = ",", description = "With --mean.")
    double[] std;

    @Option(names = "--timeout", paramLabel = "S",
            description = "Time limit of the irrelevant-set proof, in seconds. Default: twice the time the"
                    + " explanation's own proof took, at least 60. When that proof took more than 20 s (it then"
                    + " ran over MIP-refined bounds), a first attempt over the plain bounds gets a quarter of"
                    + " the limit and one over bounds the checker refines itself the whole limit.")
    Double timeout;

    @Option(names = "--recheck-probable", paramLabel = "SEED", arity = "0..1", fallbackValue = "1",
            description = "Re-check the probably irrelevant features with PT-LiRPA under this sampling seed"
                    + " (default 1); reported as a note (see DESCRIPTION).")
    Long recheckSeed;

    @Override
    public Integer call() {
        if (timeout != null && !(timeout > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--timeout must be a positive number of seconds, found " + timeout);
        }
        if (recheckSeed != null && recheckSeed < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--recheck-probable needs a seed >= 0, found " + recheckSeed);
        }
        ExplanationJson.Stored stored = ExplanationJson.read(explanation);
        String sha = Output.sha256(model);
        Graph g = OnnxLoader.load(model);
        // The normalisation recorded in the explanation, unless given here.
        double[] m = mean != null ? mean : stored.mean();
        double[] s = std != null ? std : stored.std();
        if (m != null && s != null) {
            g = Normalization.prepend(g, m, s);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (stored.sha256() != null && !stored.sha256().equals(sha)) {
            out.println("check failed: " + model + " is not the model of the explanation (SHA-256 " + sha
                    + ", the explanation was made for " + stored.sha256() + ")");
            out.flush();
            return FAILED;
        }
        Explanation e = stored.explanation();
        if (e.input().length != g.inputSize()) {
            throw new ProofmapException(explanation.toString(), "its input has " + e.input().length
                    + " features, the model takes " + g.inputSize());
        }
        double limit = timeout != null ? timeout : CertificateChecker.defaultTimeLimit(e);
        if (timeout == null && limit > CertificateChecker.MIN_TIME_LIMIT) {
            out.printf(java.util.Locale.ROOT, "note: time limit %.0f s, twice the explanation's own proof (%.1f s)%n",
                    limit, e.proof().seconds());
        }
        CertificateChecker.Report r = CertificateChecker.check(g, e, limit, recheckSeed == null ? -1 : recheckSeed);
        for (String f : r.failures()) {
            out.println("failed: " + f);
        }
        for (String n : r.notes()) {
            out.println("note: " + n);
        }
        if (r.passed()) {
            out.printf(java.util.Locale.ROOT,
                    "check passed: label %d, %d relevant features with witnesses, %d irrelevant proved by %s,%s %d"
                            + " unknown; %.2f s%n", e.label(), e.relevant().cardinality(), e.irrelevant().cardinality(),
                    r.proofOracle(), e.probablyIrrelevant().isEmpty() ? ""
                            : " " + e.probablyIrrelevant().cardinality() + " probably irrelevant (not proven),",
                    e.unknown().cardinality(), r.seconds());
        } else {
            out.println("check failed: " + r.failures().size() + " problem(s)");
        }
        out.flush();
        return r.passed() ? 0 : FAILED;
    }
}
