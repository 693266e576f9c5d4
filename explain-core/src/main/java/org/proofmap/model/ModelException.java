package org.proofmap.model;

/**
 * A model that cannot be built: an unsupported operator or attribute, shapes that do not fit, bad
 * weights. The loader adds the file and the node and turns it into a
 * {@link org.proofmap.ProofmapException}.
 */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }
}
