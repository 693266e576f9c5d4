package org.proofmap.model.ops;

import org.proofmap.model.ModelException;
import org.proofmap.model.Shape;

/** Numpy-style (multidirectional) broadcasting, as ONNX opsets 7+ define it for element-wise ops. */
final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, or a {@link ModelException} when they do not fit. */
    static Shape shape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new ModelException("shapes " + a + " and " + b + " cannot be broadcast together");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /**
     * For each element of {@code out}, the index of the element of {@code in} that broadcasts to it;
     * {@code null} when the map is the identity.
     */
    static int[] indexMap(Shape in, Shape out) {
        if (in.equals(out)) {
            return null;
        }
        int rank = out.rank();
        int offset = rank - in.rank();
        int[] inStrides = in.strides();
        int[] stride = new int[rank];
        for (int i = 0; i < rank; i++) {
            int k = i - offset;
            stride[i] = (k < 0 || in.dim(k) == 1) ? 0 : inStrides[k];
        }
        int[] map = new int[out.size()];
        int[] idx = new int[rank];
        for (int flat = 0; flat < map.length; flat++) {
            int src = 0;
            for (int i = 0; i < rank; i++) {
                src += idx[i] * stride[i];
            }
            map[flat] = src;
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < out.dim(i)) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return map;
    }
}
