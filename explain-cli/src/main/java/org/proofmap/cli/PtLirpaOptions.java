package org.proofmap.cli;

import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.PtLirpa;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The settings of the probabilistic {@code pt-lirpa} method, shared by {@code bounds}, {@code certify},
 * {@code verify} and {@code explain}.
 */
final class PtLirpaOptions {
    @Option(names = "--samples", paramLabel = "N",
            description = "With pt-lirpa: the number of uniform samples of the input region whose extremes estimate"
                    + " the intermediate bounds. N >= 3; default: " + PtLirpa.DEFAULT_SAMPLES + ".")
    Integer samples;

    @Option(names = "--confidence", paramLabel = "P",
            description = "With pt-lirpa: the probability, over the sampling, that every estimated intermediate"
                    + " bound holds (under the method's tail assumption; see DESCRIPTION). 0 < P < 1;"
                    + " default: 0.99.")
    Double confidence;

    @Option(names = "--gamma", paramLabel = "G",
            description = "With pt-lirpa: the widening uses the k = ceil(N^G) largest samples of each neuron."
                    + " 0 < G < 1; default: 0.75.")
    Double gamma;

    @Option(names = "--tail-index", paramLabel = "A",
            description = "With pt-lirpa: the largest tail index assumed for every pre-activation (larger is"
                    + " more cautious and looser; the inputs' dimension is the worst case of a piecewise-linear"
                    + " network). A >= 1; default: 10.")
    Double tailIndex;

    @Option(names = "--pt-alpha",
            description = "With pt-lirpa: optimise the final relaxation as alpha-crown does, instead of CROWN's"
                    + " final pass. Off by default.")
    boolean alpha;

    /** Whether any pt-lirpa option was given. */
    boolean given() {
        return samples != null || confidence != null || gamma != null || tailIndex != null || alpha;
    }

    /** The method called {@code name}, with these settings when it is pt-lirpa. */
    BoundMethod method(String name, CommandSpec spec) {
        if (!name.equals("pt-lirpa")) {
            return BoundMethods.byName(name);
        }
        return new PtLirpa(options(spec));
    }

    /** These settings over PT-LiRPA's defaults; a value out of range is a usage error. */
    PtLirpa.Options options(CommandSpec spec) {
        PtLirpa.Options o = PtLirpa.Options.defaults();
        try {
            if (samples != null) {
                o = o.withSamples(samples);
            }
            if (confidence != null) {
                o = o.withConfidence(confidence);
            }
            if (gamma != null) {
                o = o.withGamma(gamma);
            }
            if (tailIndex != null) {
                o = o.withMaxTailIndex(tailIndex);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return o.withAlpha(alpha);
    }

    /** The description paragraph about pt-lirpa. */
    static final String DESCRIPTION = "'pt-lirpa' (probabilistically tightened LiRPA) is not sound but"
            + " probabilistic: it samples N points uniformly in the region (seeded, so runs repeat), widens each"
            + " pre-activation's sample extremes by an order-statistics bound (a Weibull-type power tail with"
            + " index at most 10 is assumed; the k = N^G largest samples set the scale) at a failure probability"
            + " of (1 - P)/m for m estimated bounds, intersects them with CROWN's, and runs CROWN's final pass on"
            + " them, keeping per row the tighter of that and plain CROWN. With probability P over the sampling"
            + " (under the tail assumption) the bounds hold for every input; its results say 'probabilistic"
            + " true' with the confidence, sample size and estimator in their settings. Caution: on 784-input"
            + " MNIST nets, PGD finds real counterexamples inside most radii pt-lirpa certifies at the default"
            + " tail index (see bench/RESULTS.md): its bounds cover what uniform sampling reaches, not the worst"
            + " case.";
}
