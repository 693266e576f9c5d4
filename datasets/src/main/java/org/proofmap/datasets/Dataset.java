package org.proofmap.datasets;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.proofmap.model.Shape;

/**
 * A fixed, indexed sequence of samples that all have the same shape. Implementations read their
 * file when they are opened (so a bad header or a truncated file is reported at once) unless they
 * say otherwise; {@link #get} may then read one sample lazily.
 */
public interface Dataset extends Iterable<Sample> {
    /** The number of samples. */
    int size();

    /**
     * Sample {@code index} (0-based).
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, size())}
     */
    Sample get(int index);

    /** The shape every sample has, e.g. {@code 1x1x28x28}. */
    Shape shape();

    /** The file or folder the samples come from, as the user named it (used in messages). */
    String source();

    /** The samples in index order. */
    @Override
    default Iterator<Sample> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }
}
