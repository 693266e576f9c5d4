package org.proofmap.datasets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.proofmap.ProofmapException;
import org.proofmap.model.Shape;

/**
 * Labelled images as CSV rows, the format of ERAN's {@code mnist_test.csv} and {@code
 * cifar10_test.csv} (and of {@code ../shared/datasets/*_test_100.csv}): no header, one image per
 * line, {@code label,p0,p1,...} with pixel values from 0 to 255.
 *
 * <p>Without a given shape the pixel count decides: 784 values are a 28x28 grey image (row-major)
 * and 3072 values a 32x32 RGB image stored pixel-interleaved (R,G,B of pixel 0, then of pixel 1,
 * ...; HWC), which is rearranged into NCHW planes. Pixels are scaled to [0,1] by dividing by 255.
 *
 * <p>The whole file is read and checked when it is opened. Strictly: UTF-8 (a byte order mark is
 * skipped), blank lines are ignored, the label is a non-negative integer, a pixel is a plain decimal
 * number (as in {@link VectorCsv}) between 0 and 255, and every row has the same number of values.
 */
public final class CsvDataset implements Dataset {
    /** How the channels of one image are laid out along a row. */
    public enum ChannelOrder {
        /** All of channel 0, then all of channel 1, ... (CHW, the order of NCHW). */
        PLANAR,
        /** All channels of pixel 0, then of pixel 1, ... (HWC, the order of CIFAR-10 in ERAN's CSV). */
        INTERLEAVED
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\d{1,9}");
    private static final Shape MNIST = Shape.of(1, 1, 28, 28);
    private static final Shape CIFAR = Shape.of(1, 3, 32, 32);

    private final String source;
    private final Shape shape;
    private final double[][] rows; // scaled to [0,1], NCHW
    private final int[] labels;
    private final String idPrefix;

    private CsvDataset(String source, Shape shape, double[][] rows, int[] labels, String idPrefix) {
        this.source = source;
        this.shape = shape;
        this.rows = rows;
        this.labels = labels;
        this.idPrefix = idPrefix;
    }

    /**
     * Reads a file of 28x28 grey (784 values) or 32x32 RGB pixel-interleaved (3072 values) images.
     *
     * @throws ProofmapException naming the file when it is missing, empty or malformed (with the
     *     line number), or its rows have another number of pixels
     */
    public static CsvDataset read(Path file) {
        return read(file, null, ChannelOrder.INTERLEAVED);
    }

    /**
     * Reads a file whose rows hold images of the given shape ({@code 1xCxHxW} or {@code CxHxW}) with
     * channels in the given order. A {@code null} shape means: decide by the pixel count as {@link
     * #read(Path)} does (then {@code order} is ignored).
     *
     * @throws ProofmapException as {@link #read(Path)}, or when the rows do not hold {@code shape}'s
     *     number of pixels
     */
    public static CsvDataset read(Path file, Shape shape, ChannelOrder order) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(order, "order");
        String name = file.toString();
        String text = new String(InputFiles.readAll(file), StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<double[]> raw = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        int firstLine = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            String[] fields = lines[i].split(",", -1);
            if (firstLine < 0) {
                firstLine = lineNo;
            } else if (fields.length - 1 != raw.get(0).length) {
                throw new ProofmapException(name, "line " + lineNo + " has " + (fields.length - 1)
                        + " pixel values, line " + firstLine + " has " + raw.get(0).length);
            }
            labelList.add(label(fields[0].strip(), name, lineNo));
            double[] px = new double[fields.length - 1];
            for (int k = 1; k < fields.length; k++) {
                px[k - 1] = pixel(fields[k].strip(), name, lineNo, k + 1, fields.length);
            }
            raw.add(px);
        }
        if (raw.isEmpty()) {
            throw new ProofmapException(name, "holds no rows; expected lines of label,pixel values");
        }
        int n = raw.get(0).length;
        Shape s;
        ChannelOrder o = order;
        if (shape != null) {
            s = shape.rank() == 3 ? Shape.of(1, shape.dim(0), shape.dim(1), shape.dim(2)) : shape;
            if (s.rank() != 4 || s.dim(0) != 1) {
                throw new IllegalArgumentException("expected an image shape 1xCxHxW or CxHxW, got " + shape);
            }
            if (s.size() != n) {
                throw new ProofmapException(name, "rows have " + n + " pixel values, but an image of shape " + s
                        + " has " + s.size());
            }
        } else if (n == MNIST.size()) {
            s = MNIST;
        } else if (n == CIFAR.size()) {
            s = CIFAR;
            o = ChannelOrder.INTERLEAVED;
        } else {
            throw new ProofmapException(name, "rows have " + n + " pixel values; without a given shape only 784"
                    + " (28x28 grey) and 3072 (32x32 RGB, R,G,B per pixel) are recognised");
        }
        double[][] rows = new double[raw.size()][];
        int[] labels = new int[raw.size()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = toPlanes(raw.get(r), s, o);
            labels[r] = labelList.get(r);
        }
        String prefix = file.getFileName() == null ? name : file.getFileName().toString();
        return new CsvDataset(name, s, rows, labels, prefix);
    }

    private static int label(String f, String name, int lineNo) {
        if (!LABEL.matcher(f).matches()) {
            throw new ProofmapException(name, "line " + lineNo + ", column 1: the label '" + shorten(f)
                    + "' is not a non-negative integer");
        }
        return Integer.parseInt(f);
    }

    private static double pixel(String f, String name, int lineNo, int column, int columns) {
        if (f.isEmpty()) {
            throw new ProofmapException(name, "line " + lineNo + ", column " + column + " is empty"
                    + (column == columns ? " (trailing comma?)" : ""));
        }
        if (!DECIMAL.matcher(f).matches()) {
            throw new ProofmapException(name, "line " + lineNo + ", column " + column + ": '" + shorten(f)
                    + "' is not a number");
        }
        double v = Double.parseDouble(f);
        if (!(v >= 0 && v <= 255)) {
            throw new ProofmapException(name, "line " + lineNo + ", column " + column + ": pixel value " + f
                    + " is outside 0..255");
        }
        return v / 255.0;
    }

    /** Rearranges one row into NCHW order (interleaved rows are HWC). */
    private static double[] toPlanes(double[] row, Shape s, ChannelOrder order) {
        int c = s.dim(1);
        if (order == ChannelOrder.PLANAR || c == 1) {
            return row;
        }
        int hw = s.dim(2) * s.dim(3);
        double[] out = new double[row.length];
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                out[ch * hw + p] = row[p * c + ch];
            }
        }
        return out;
    }

    /** A cell as shown in a message: at most 40 characters, control characters escaped. */
    private static String shorten(String s) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            if (k == 40) {
                return sb.append("...").toString();
            }
            char ch = s.charAt(k);
            sb.append(ch < ' ' || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
        }
        return sb.toString();
    }

    @Override
    public int size() {
        return rows.length;
    }

    /** Row {@code index} (0-based, blank lines not counted), its id {@code <file name>#<index>}. */
    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, rows.length);
        return new Sample(rows[index], shape, labels[index], idPrefix + "#" + index);
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
