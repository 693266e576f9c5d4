package org.proofmap.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.proofmap.ProofmapException;
import org.proofmap.model.Shape;

/** Opens a data set of any supported kind, deciding the reader by the file's content and name. */
public final class Datasets {
    private Datasets() {}

    /**
     * Opens {@code path} as a data set:
     *
     * <ul>
     *   <li>a folder: its images ({@link ImageFiles#folder(Path, Shape)});
     *   <li>IDX images, gzip-compressed or not (recognised by the magic numbers, whatever the name):
     *       {@link IdxDataset#open(Path)}, with the labels file beside it;
     *   <li>a PNG, JPEG, BMP or GIF file (recognised by its signature): one sample;
     *   <li>a file named {@code *.csv}: {@link CsvDataset#read(Path)}.
     * </ul>
     *
     * @throws ProofmapException naming the file when it is missing, of none of these kinds (an IDX
     *     labels file on its own, for example), or malformed
     */
    public static Dataset open(Path path) {
        return open(path, null);
    }

    /**
     * {@link #open(Path)} for a model with input shape {@code expected} ({@code 1xCxHxW} or {@code
     * CxHxW}): images are read with its channel count and must have its size, and an IDX or CSV data
     * set must hold images of that size and channel count. {@code null}: no expectation.
     *
     * @throws ProofmapException as {@link #open(Path)}, and naming the file when its images do not
     *     fit {@code expected}
     */
    public static Dataset open(Path path, Shape expected) {
        Objects.requireNonNull(path, "path");
        String name = path.toString();
        // An image shape tells the image readers the channel count and size; any other shape (1x784
        // for a fully connected model) is only checked against the number of values.
        Shape imageShape = expected != null && isImageShape(expected) ? expected : null;
        Dataset ds;
        if (Files.isDirectory(path)) {
            ds = ImageFiles.folder(path, imageShape);
        } else {
            byte[] head = head(path);
            if (isIdx(head, IdxDataset.IMAGES_MAGIC)) {
                ds = IdxDataset.open(path);
            } else if (isIdx(head, IdxDataset.LABELS_MAGIC)) {
                throw new ProofmapException(name, "is an IDX labels file; open the images file beside it instead");
            } else if (isImage(head)) {
                ds = single(imageShape == null ? ImageFiles.read(path) : ImageFiles.read(path, imageShape), name);
            } else if (path.getFileName() != null
                    && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                ds = CsvDataset.read(path);
            } else {
                throw new ProofmapException(name, "unrecognised data set: expected IDX images (optionally gzipped),"
                        + " a .csv file, a PNG, JPEG, BMP or GIF image, or a folder of images");
            }
        }
        if (expected != null && !fits(ds.shape(), expected)) {
            throw new ProofmapException(name, "holds images of shape " + ds.shape() + ", the model expects "
                    + expected);
        }
        return ds;
    }

    private static boolean isImageShape(Shape s) {
        return s.rank() == 3 || (s.rank() == 4 && s.dim(0) == 1);
    }

    /**
     * Same number of values and, for an image shape, the same C, H and W (the last three dimensions,
     * so that 1x1x28x28 and 1x28x28 agree).
     */
    private static boolean fits(Shape actual, Shape expected) {
        if (actual.size() != expected.size()) {
            return false;
        }
        return !isImageShape(expected) || (actual.dim(-1) == expected.dim(-1) && actual.dim(-2) == expected.dim(-2)
                && actual.dim(-3) == expected.dim(-3));
    }

    /** The first bytes of the content, decompressed when the file is gzip data. */
    private static byte[] head(Path path) {
        String name = path.toString();
        try (InputStream raw = Files.newInputStream(path)) {
            byte[] start = raw.readNBytes(8);
            if (!InputFiles.isGzip(start)) {
                return start;
            }
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "file not found");
        } catch (IOException e) {
            throw new ProofmapException(name, "cannot read file: " + InputFiles.why(e), e);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw new ProofmapException(name, "corrupt gzip data: " + InputFiles.why(e), e);
        }
    }

    private static boolean isIdx(byte[] b, int magic) {
        return b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == ((magic >> 8) & 0xff)
                && (b[3] & 0xff) == (magic & 0xff);
    }

    /** PNG, JPEG, BMP and GIF signatures. */
    private static boolean isImage(byte[] b) {
        return startsWith(b, 0x89, 'P', 'N', 'G')
                || startsWith(b, 0xff, 0xd8, 0xff)
                || startsWith(b, 'B', 'M')
                || startsWith(b, 'G', 'I', 'F', '8');
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Dataset single(Sample s, String source) {
        List<Sample> one = List.of(s);
        return new Dataset() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public Sample get(int index) {
                return one.get(Objects.checkIndex(index, 1));
            }

            @Override
            public Shape shape() {
                return s.shape();
            }

            @Override
            public String source() {
                return source;
            }
        };
    }
}
