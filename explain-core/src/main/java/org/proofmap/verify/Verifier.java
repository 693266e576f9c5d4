package org.proofmap.verify;

import org.proofmap.model.Graph;
import org.proofmap.vnnlib.Property;

/**
 * Verifies a VNN-COMP property, choosing the branching strategy from the input dimension: input
 * splitting when the box has few inputs (ACAS Xu's 5), activation splitting otherwise (MNIST's
 * 784), unless told which.
 */
public final class Verifier {
    /** Inputs up to this many are split directly; more are handled by splitting activations. */
    public static final int INPUT_SPLIT_MAX_DIMENSION = 16;

    /** How to branch. */
    public enum Strategy { AUTO, INPUT, ACTIVATION }

    /**
     * Settings.
     *
     * @param strategy how to branch
     * @param input settings of input splitting (heuristic, bound method, PGD)
     * @param activation settings of activation splitting
     */
    public record Options(Strategy strategy, InputSplitVerifier.Options input, ActivationSplitVerifier.Options activation) {
        public static Options defaults() {
            return new Options(Strategy.AUTO, InputSplitVerifier.Options.defaults(),
                    ActivationSplitVerifier.Options.defaults());
        }

        /** The same wall-time limit for whichever strategy runs. */
        public Options withTimeout(double seconds) {
            return new Options(strategy, input.withTimeout(seconds), activation.withTimeout(seconds));
        }

        public Options withStrategy(Strategy s) {
            return new Options(s, input, activation);
        }

        public Options withInput(InputSplitVerifier.Options o) {
            return new Options(strategy, o, activation);
        }
    }

    private Verifier() {}

    /** The strategy AUTO resolves to for {@code graph}. */
    public static Strategy resolve(Strategy s, Graph graph) {
        if (s != Strategy.AUTO) {
            return s;
        }
        return graph.inputSize() <= INPUT_SPLIT_MAX_DIMENSION ? Strategy.INPUT : Strategy.ACTIVATION;
    }

    public static VerificationResult verify(Graph graph, Property property, Options options) {
        return resolve(options.strategy(), graph) == Strategy.INPUT
                ? new InputSplitVerifier(options.input()).verify(graph, property)
                : new ActivationSplitVerifier(options.activation()).verify(graph, property);
    }
}
