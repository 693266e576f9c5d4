package org.proofmap.datasets;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.proofmap.ProofmapException;
import org.proofmap.model.Shape;

/**
 * Image files (PNG, JPEG, BMP, GIF: whatever the JDK's ImageIO reads) as samples, and folders of them
 * as data sets.
 *
 * <p>Values are in [0,1]: an 8-bit value {@code v} becomes {@code v / 255.0}, exactly as in {@link
 * IdxDataset} and {@link CsvDataset}, so an MNIST digit saved as a grey PNG reads back bit for bit.
 * A model with one input channel gets the image's grey levels: stored grey samples as they are, and
 * for a colour image the luma {@code (299 R + 587 G + 114 B) / 1000} of ITU-R BT.601 (what PIL's
 * {@code convert("L")} and torchvision's {@code Grayscale} compute). A model with three channels gets
 * the R, G and B planes; a grey image is repeated in all three. Colour images are taken in sRGB as
 * ImageIO converts them; grey samples are read from the raster directly, because ImageIO's sRGB
 * conversion of its linear grey colour space would change them. Transparency is ignored, and a GIF
 * animation contributes its first frame.
 *
 * <p>Images are never resized: an image of the wrong size is an error, because a verified statement
 * about a resampled image is not one about the image the user has.
 */
public final class ImageFiles {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    private ImageFiles() {}

    /** True when {@code fileName} ends with an image extension ImageFiles reads (case-insensitive). */
    public static boolean isImageName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /**
     * Reads an image for a model with input shape {@code expected} ({@code 1xCxHxW} or {@code CxHxW},
     * C = 1 or 3). The sample has that shape, no label, and the file name as id.
     *
     * @throws ProofmapException naming the file when it is missing, is no readable image, or is not
     *     H pixels high and W wide
     * @throws IllegalArgumentException when {@code expected} is not such an image shape
     */
    public static Sample read(Path file, Shape expected) {
        return new Sample(pixels(file, expected), expected, Sample.NO_LABEL, idOf(file));
    }

    private static double[] pixels(Path file, Shape expected) {
        int channels = channelsOf(expected);
        BufferedImage img = decode(file);
        checkSize(img, expected.dim(-1), expected.dim(-2), file.toString());
        return values(img, channels);
    }

    /**
     * Reads an image at its own size: shape {@code 1x1xHxW} when it is stored as grey levels,
     * otherwise {@code 1x3xHxW}.
     *
     * @throws ProofmapException naming the file when it is missing or no readable image
     */
    public static Sample read(Path file) {
        BufferedImage img = decode(file);
        Shape shape = Shape.of(1, isGrey(img) ? 1 : 3, img.getHeight(), img.getWidth());
        return new Sample(values(img, shape.dim(1)), shape, Sample.NO_LABEL, idOf(file));
    }

    /**
     * The images in a folder and its subfolders as a data set, in order of their paths relative to
     * the folder (so {@code 0/a.png} comes before {@code 1/a.png}). A sample's label is the name of
     * the folder holding it when that name is a number (the layout {@code digits/7/x.png}), otherwise
     * {@link Sample#NO_LABEL}; its id is the relative path. Files without an image extension, and
     * hidden files (a name starting with a dot), are skipped. Images are read when they are asked for.
     *
     * @param expected the model's input shape (see {@link #read(Path, Shape)}), or {@code null}: the
     *     first image decides the shape (as {@link #read(Path)}) and every image must have its size
     * @throws ProofmapException naming the folder when it is missing, not a folder, unreadable or
     *     holds no image files, and naming an image when the first image cannot be read
     */
    public static Dataset folder(Path dir, Shape expected) {
        Objects.requireNonNull(dir, "dir");
        String name = dir.toString();
        if (!Files.exists(dir)) {
            throw new ProofmapException(name, "folder not found");
        }
        if (!Files.isDirectory(dir)) {
            throw new ProofmapException(name, "is a file, not a folder of images");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
                Path p = it.next();
                String fileName = p.getFileName().toString();
                if (Files.isRegularFile(p) && !fileName.startsWith(".") && isImageName(fileName)) {
                    files.add(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new ProofmapException(name, "cannot list the folder: " + InputFiles.why(cause), e);
        }
        if (files.isEmpty()) {
            throw new ProofmapException(name, "holds no image files (" + String.join(", ", EXTENSIONS) + ")");
        }
        // Sort by the relative path with '/' separators, so the order is the same on every platform.
        files.sort((a, b) -> relative(dir, a).compareTo(relative(dir, b)));
        Shape shape = expected != null ? expected : read(files.get(0)).shape();
        channelsOf(shape);
        return new Folder(dir, List.copyOf(files), shape);
    }

    /** {@link #folder(Path, Shape)} with the shape of the first image. */
    public static Dataset folder(Path dir) {
        return folder(dir, null);
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static String idOf(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    private static int channelsOf(Shape s) {
        Objects.requireNonNull(s, "shape");
        boolean image = (s.rank() == 4 && s.dim(0) == 1) || s.rank() == 3;
        int c = image ? s.dim(-3) : 0;
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("an image input has shape 1xCxHxW or CxHxW with C = 1 or 3, not " + s);
        }
        return c;
    }

    /**
     * Decodes the first image in the file. Decoder warnings are errors: the JPEG reader, for one,
     * reports a truncated file only as a warning and fills the missing rows with grey.
     */
    private static BufferedImage decode(Path file) {
        String name = file.toString();
        byte[] bytes = InputFiles.readAll(file);
        String what = "image";
        // A memory cache: the bytes are in memory already, and ImageIO's default would spool them to a temp file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ProofmapException(name, "not an image file ImageIO can read (PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            what = describe(reader);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new ProofmapException(name, "corrupt or truncated " + what + ": " + warnings.get(0));
                }
                if (img.getWidth() == 0 || img.getHeight() == 0) {
                    throw new ProofmapException(name, "the image has no pixels");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (ProofmapException e) {
            throw e;
        } catch (IOException e) {
            Throwable root = rootCause(e);
            if (root instanceof EOFException) {
                throw new ProofmapException(name, "truncated " + what + ": the file ends before the image data", e);
            }
            throw new ProofmapException(name, "corrupt or truncated " + what + ": " + InputFiles.why(root), e);
        } catch (RuntimeException e) {
            // Some decoders fail on malformed data with unchecked exceptions (array bounds, bad arguments).
            throw new ProofmapException(name, "corrupt " + what + ": " + InputFiles.why(e), e);
        }
    }

    /** Like "PNG image", for messages. */
    private static String describe(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT) + " image";
        } catch (IOException e) {
            return "image";
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void checkSize(BufferedImage img, int width, int height, String name) {
        if (img.getWidth() != width || img.getHeight() != height) {
            throw new ProofmapException(name, "image is " + img.getWidth() + "x" + img.getHeight()
                    + ", the model expects " + width + "x" + height + " (width x height; images are not resized)");
        }
    }

    /** Stored as grey levels (not a palette, which may hold colours even when it looks grey). */
    private static boolean isGrey(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        return !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /** The pixels as 1 or 3 planes (NCHW, batch 1) in [0,1]. */
    private static double[] values(BufferedImage img, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        int hw = w * h;
        double[] out = new double[channels * hw];
        if (isGrey(img)) {
            Raster raster = img.getRaster();
            double max = (1L << img.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = raster.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        out[c * hw + y * w + x] = v;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int p = y * w + x;
                if (channels == 1) {
                    // One division of exact integers: a grey pixel stored as RGB (r = g = b) gives exactly v / 255.0.
                    out[p] = (299 * r + 587 * g + 114 * b) / 255000.0;
                } else {
                    out[p] = r / 255.0;
                    out[hw + p] = g / 255.0;
                    out[2 * hw + p] = b / 255.0;
                }
            }
        }
        return out;
    }

    /** A folder of images, read one at a time when asked for. */
    private static final class Folder implements Dataset {
        private final Path dir;
        private final List<Path> files;
        private final Shape shape;

        Folder(Path dir, List<Path> files, Shape shape) {
            this.dir = dir;
            this.files = files;
            this.shape = shape;
        }

        @Override
        public int size() {
            return files.size();
        }

        @Override
        public Sample get(int index) {
            Path file = files.get(Objects.checkIndex(index, files.size()));
            double[] x = pixels(file, shape);
            Path parent = file.getParent();
            String folder = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
            int label = NUMBER.matcher(folder).matches() ? Integer.parseInt(folder) : Sample.NO_LABEL;
            return new Sample(x, shape, label, relative(dir, file));
        }

        @Override
        public Shape shape() {
            return shape;
        }

        @Override
        public String source() {
            return dir.toString();
        }
    }
}
