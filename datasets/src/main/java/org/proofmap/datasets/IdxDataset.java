package org.proofmap.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.proofmap.ProofmapException;
import org.proofmap.model.Shape;

/**
 * Images in the IDX format of MNIST and Fashion-MNIST ({@code t10k-images-idx3-ubyte.gz}), with the
 * labels from the matching IDX labels file when there is one.
 *
 * <p>An IDX file is a big-endian header, then the data: two zero bytes, an element type ({@code
 * 0x08}, unsigned byte, is the only one images use), the number of dimensions, one 32-bit size per
 * dimension. Images are {@code 0x00000803} (count, rows, columns), labels {@code 0x00000801}
 * (count). Either file may be gzip-compressed; that is recognised by its content, not its name.
 *
 * <p>Pixels are scaled to [0,1] by dividing by 255, so a pixel equals the same pixel read from
 * {@link CsvDataset} or from a PNG by {@link ImageFiles}. Samples have shape {@code 1x1xHxW}.
 */
public final class IdxDataset implements Dataset {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private final String source;
    private final byte[] pixels; // the data part of the images file, image after image
    private final int dataOffset;
    private final int[] labels; // null when there is no labels file
    private final int count;
    private final Shape shape;
    private final String idPrefix;

    private IdxDataset(String source, byte[] pixels, int dataOffset, int count, int rows, int cols, int[] labels,
            String idPrefix) {
        this.source = source;
        this.pixels = pixels;
        this.dataOffset = dataOffset;
        this.count = count;
        this.shape = Shape.of(1, 1, rows, cols);
        this.labels = labels;
        this.idPrefix = idPrefix;
    }

    /**
     * Opens an images file with the labels file beside it, when one is found under the usual name
     * (see {@link #labelsFileFor}); without one every sample has {@link Sample#NO_LABEL}.
     *
     * @throws ProofmapException naming the file that is missing, is not IDX, or is truncated
     */
    public static IdxDataset open(Path images) {
        return open(images, labelsFileFor(images));
    }

    /**
     * Opens an images file and the given labels file ({@code null}: no labels).
     *
     * @throws ProofmapException naming the file that is missing, is not IDX, or is truncated, or the
     *     labels file when its count differs from the number of images
     */
    public static IdxDataset open(Path images, Path labels) {
        Objects.requireNonNull(images, "images");
        String name = images.toString();
        byte[] bytes = InputFiles.readMaybeGzip(images);
        int[] dims = header(bytes, name, IMAGES_MAGIC, "images");
        int count = dims[0];
        int rows = dims[1];
        int cols = dims[2];
        if (rows == 0 || cols == 0) {
            throw new ProofmapException(name, "images of " + rows + "x" + cols + " pixels have no pixels");
        }
        int offset = 4 + 4 * dims.length;
        checkLength(bytes, name, offset, (long) count * rows * cols, count + " images of " + rows + "x" + cols);
        int[] labelValues = null;
        if (labels != null) {
            labelValues = readLabels(labels);
            if (labelValues.length != count) {
                throw new ProofmapException(labels.toString(), "holds " + labelValues.length + " labels, but "
                        + name + " holds " + count + " images");
            }
        }
        String prefix = images.getFileName() == null ? name : images.getFileName().toString();
        return new IdxDataset(name, bytes, offset, count, rows, cols, labelValues, prefix);
    }

    /**
     * Reads an IDX labels file ({@code 0x00000801}, one unsigned byte per label).
     *
     * @throws ProofmapException naming the file when it is missing, not an IDX labels file, or truncated
     */
    public static int[] readLabels(Path labels) {
        String name = labels.toString();
        byte[] bytes = InputFiles.readMaybeGzip(labels);
        int count = header(bytes, name, LABELS_MAGIC, "labels")[0];
        checkLength(bytes, name, 8, count, count + " labels");
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = bytes[8 + i] & 0xff;
        }
        return out;
    }

    /**
     * The labels file that belongs to an images file, when it exists: the name with {@code images}
     * replaced by {@code labels} and {@code idx3} by {@code idx1} ({@code t10k-images-idx3-ubyte.gz}
     * → {@code t10k-labels-idx1-ubyte.gz}, {@code train-images.idx3-ubyte} → {@code
     * train-labels.idx1-ubyte}), compressed or not whatever the images file is. Otherwise {@code null}.
     */
    public static Path labelsFileFor(Path images) {
        Path fileName = images.getFileName();
        if (fileName == null) {
            return null;
        }
        String name = fileName.toString();
        String base = name.replace("images", "labels").replace("idx3", "idx1");
        if (base.equals(name)) {
            return null; // an unusual name: there is no rule to guess by, and the file itself is no label file
        }
        String plain = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
        List<String> candidates = new ArrayList<>(List.of(base));
        candidates.add(base.equals(plain) ? plain + ".gz" : plain);
        for (String candidate : candidates) {
            Path p = images.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Checks the magic number and returns the dimension sizes. Header problems name what the file
     * appears to be, so that a swapped images/labels pair is obvious from the message.
     */
    private static int[] header(byte[] b, String name, int magic, String what) {
        if (b.length < 4) {
            throw new ProofmapException(name, "too short for an IDX " + what + " file (" + b.length + " bytes)");
        }
        int found = readInt(b, 0);
        if (found != magic) {
            String hint = found == IMAGES_MAGIC ? " (this is an IDX images file)"
                    : found == LABELS_MAGIC ? " (this is an IDX labels file)"
                    : (found >>> 16) == 0 ? " (an IDX file of element type 0x" + String.format("%02x", (found >>> 8) & 0xff)
                            + " with " + (found & 0xff) + " dimensions)"
                    : "";
            throw new ProofmapException(name, String.format("not an IDX %s file: magic number 0x%08x, expected 0x%08x%s",
                    what, found, magic, hint));
        }
        int rank = magic & 0xff;
        if (b.length < 4 + 4 * rank) {
            throw new ProofmapException(name, "truncated IDX header: " + b.length + " bytes, the header needs "
                    + (4 + 4 * rank));
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(b, 4 + 4 * i);
            if (dims[i] < 0) {
                throw new ProofmapException(name, "corrupt IDX header: dimension " + (i + 1) + " is "
                        + Integer.toUnsignedString(dims[i]));
            }
        }
        return dims;
    }

    private static void checkLength(byte[] b, String name, int offset, long expected, String what) {
        long actual = b.length - (long) offset;
        if (actual < expected) {
            throw new ProofmapException(name, "truncated: the header announces " + what + " (" + expected
                    + " bytes of data), but only " + actual + " bytes follow it");
        }
        if (actual > expected) {
            // Extra bytes mean the header and the data disagree (a wrong or concatenated file); refusing
            // is safer than guessing which of the images were meant.
            throw new ProofmapException(name, "the header announces " + what + " (" + expected
                    + " bytes of data), but " + actual + " bytes follow it");
        }
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    @Override
    public int size() {
        return count;
    }

    /** Sample {@code index}, its id {@code <images file name>#<index>}. */
    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, count);
        int n = shape.size();
        double[] x = new double[n];
        int from = dataOffset + index * n;
        for (int i = 0; i < n; i++) {
            x[i] = (pixels[from + i] & 0xff) / 255.0;
        }
        return new Sample(x, shape, labels == null ? Sample.NO_LABEL : labels[index], idPrefix + "#" + index);
    }

    /** True when a labels file was read. */
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public String source() {
        return source;
    }
}
