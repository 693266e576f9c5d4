/**
 * Reading inputs for models. One input vector: {@link org.proofmap.datasets.VectorCsv}, a row of
 * comma-separated numbers (the format of {@code ../shared/models-ref/center_*.csv}). Data sets of
 * {@link org.proofmap.datasets.Sample}s (features in flattened NCHW order, label, id), all behind
 * {@link org.proofmap.datasets.Dataset}: IDX images with labels ({@link
 * org.proofmap.datasets.IdxDataset}), labelled CSV rows ({@link org.proofmap.datasets.CsvDataset}),
 * image files and folders of them ({@link org.proofmap.datasets.ImageFiles}); {@link
 * org.proofmap.datasets.Datasets#open} picks the reader by content. Pixel values are scaled to [0,1]
 * by dividing by 255 in every reader, so the same image read from any of them gives equal features.
 *
 * <p>Every problem with a file is a {@link org.proofmap.ProofmapException} naming the file, with a
 * one-line message the command line prints as {@code error: <file>: <message>}.
 */
package org.proofmap.datasets;
