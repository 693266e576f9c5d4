package org.proofmap.cli;

import java.nio.file.Path;
import org.proofmap.ProofmapException;
import org.proofmap.datasets.Dataset;
import org.proofmap.datasets.Datasets;
import org.proofmap.datasets.ImageFiles;
import org.proofmap.datasets.Sample;
import org.proofmap.datasets.VectorCsv;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;

/**
 * The one input of a command that explains or certifies: a CSV vector, an image, a data set sample
 * or a VNNLIB box centre, checked against the model's input size (one-line errors naming the file).
 */
final class Inputs {
    private Inputs() {}

    /** An input, the file it came from, and its true label (-1 when the source has none). */
    record Loaded(double[] x, String file, int trueLabel) {}

    /** One row of comma-separated numbers (the format of {@code proofmap forward}). */
    static Loaded vector(Graph g, Path file) {
        return fit(g, VectorCsv.read(file), file.toString(), -1);
    }

    /** A PNG, JPEG, BMP or GIF image of the model's size, scaled to [0, 1]. */
    static Loaded image(Graph g, Path file) {
        Shape shape = imageShape(g);
        Sample s = shape != null ? ImageFiles.read(file, shape) : ImageFiles.read(file);
        return fit(g, s.features(), file.toString(), s.label());
    }

    /** Sample {@code index} of a data set (IDX, CSV, image folder). */
    static Loaded sample(Graph g, Path dataset, int index) {
        Dataset ds = Datasets.open(dataset, imageShape(g));
        if (index < 0 || index >= ds.size()) {
            throw new ProofmapException(dataset.toString(), "has " + ds.size() + " samples, --index " + index
                    + " is out of range");
        }
        Sample s = ds.get(index);
        return fit(g, s.features(), dataset.toString(), s.label());
    }

    /** The centre of the first input box of a VNNLIB property. */
    static Loaded vnnlibCentre(Graph g, Path property) {
        PropertyCase pc = VnnlibParser.parse(property).cases().get(0);
        double[] x = new double[pc.numInputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (pc.lower(i) + pc.upper(i)) / 2;
        }
        return fit(g, x, property.toString(), -1);
    }

    /**
     * The image shape readers should produce: an NCHW model tells the layout; a flat model (1x784,
     * or 1x784x1 as some exporters write it) takes a square image of s*s (grey) or 3*s*s (colour)
     * values; null when the input is no image.
     */
    private static Shape imageShape(Graph g) {
        int[] chw = imageLayout(g.inputShape(), g.inputSize());
        return chw[1] > 1 ? Shape.of(1, chw[0], chw[1], chw[2]) : null;
    }

    /**
     * Channels, height and width of an input drawn as an image: from a 1xCxHxW input shape; a flat
     * input of n = s² or 3·s² features as an s×s image (a fully connected MNIST or CIFAR model),
     * anything else as one row.
     */
    static int[] imageLayout(Shape s, int n) {
        int[] d = s.dims();
        if (d.length == 4) {
            return new int[] {d[1], d[2], d[3]};
        }
        for (int c : new int[] {1, 3}) {
            int side = (int) Math.round(Math.sqrt(n / (double) c));
            if (c * side * side == n) {
                return new int[] {c, side, side};
            }
        }
        return new int[] {1, 1, n};
    }

    private static Loaded fit(Graph g, double[] x, String file, int label) {
        try {
            g.checkInputLength(x.length);
        } catch (IllegalArgumentException e) {
            throw new ProofmapException(file, e.getMessage(), e);
        }
        return new Loaded(x, file, label);
    }
}
