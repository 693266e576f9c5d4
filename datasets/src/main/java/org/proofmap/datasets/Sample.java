package org.proofmap.datasets;

import java.util.Arrays;
import java.util.Objects;
import org.proofmap.model.Shape;

/**
 * One model input: its features in flattened NCHW order (batch 1), their shape, the true class if
 * the source records one, and an id that says where the sample came from (for reports).
 *
 * <p>Immutable: the features are copied in and out, so a data set can hand the same sample to many
 * threads and a caller may modify the array it gets.
 */
public final class Sample {
    /** The label of a sample whose class is not known. */
    public static final int NO_LABEL = -1;

    private final double[] features;
    private final Shape shape;
    private final int label;
    private final String id;

    /**
     * @param features the values in flattened NCHW order; copied
     * @param shape the shape of {@code features}, e.g. {@code 1x1x28x28}
     * @param label the class (0 or more), or {@link #NO_LABEL}
     * @param id where the sample came from, e.g. {@code t10k-images-idx3-ubyte.gz#0}
     * @throws IllegalArgumentException when the shape does not hold exactly {@code features.length}
     *     values or the label is below {@link #NO_LABEL}
     */
    public Sample(double[] features, Shape shape, int label, String id) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(id, "id");
        if (shape.size() != features.length) {
            throw new IllegalArgumentException("shape " + shape + " holds " + shape.size() + " values, but "
                    + features.length + " features were given");
        }
        if (label < NO_LABEL) {
            throw new IllegalArgumentException("label must be " + NO_LABEL + " (unknown) or at least 0: " + label);
        }
        this.features = features.clone();
        this.shape = shape;
        this.label = label;
        this.id = id;
    }

    /** A copy of the features, flattened NCHW. */
    public double[] features() {
        return features.clone();
    }

    /** Feature {@code index} of the flattened NCHW array, without copying the array. */
    public double feature(int index) {
        return features[index];
    }

    /** The number of features. */
    public int size() {
        return features.length;
    }

    public Shape shape() {
        return shape;
    }

    /** The class, or {@link #NO_LABEL}. */
    public int label() {
        return label;
    }

    public boolean hasLabel() {
        return label != NO_LABEL;
    }

    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && label == s.label && id.equals(s.id) && shape.equals(s.shape)
                && Arrays.equals(features, s.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, shape, label, Arrays.hashCode(features));
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", " + shape + (hasLabel() ? ", label " + label : ", no label") + "]";
    }
}
