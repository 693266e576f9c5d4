/**
 * The model graph: an immutable DAG of operator nodes with shapes resolved and constants folded at
 * load time ({@link org.proofmap.model.Graph}), and its batched forward pass
 * ({@link org.proofmap.model.ForwardPass}). The graph walker knows no operator; each operator family
 * lives in {@link org.proofmap.model.ops}.
 */
package org.proofmap.model;
