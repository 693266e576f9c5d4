/**
 * Reading inputs for models: for now {@link org.proofmap.datasets.VectorCsv}, one input vector as a
 * row of comma-separated numbers (the format of {@code ../shared/models-ref/center_*.csv}). Image
 * files, IDX, CIFAR batches and folders of samples follow.
 *
 * <p>Every problem with a file is a {@link org.proofmap.ProofmapException} naming the file, with a
 * one-line message the command line prints as {@code error: <file>: <message>}.
 */
package org.proofmap.datasets;
