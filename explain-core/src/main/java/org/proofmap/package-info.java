/**
 * Proofmap: formally verified explanations and verification for neural-network classifiers.
 *
 * <p>{@link org.proofmap.ProofmapException} is the one exception type for bad input (what the user
 * can fix); everything else that escapes is a bug.
 */
package org.proofmap;
