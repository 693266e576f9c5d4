package org.proofmap.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.datasets.Fixtures.failure;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.model.Shape;
import org.proofmap.testing.SharedData;

class ImageFilesTest {
    private static final Shape GREY = Shape.of(1, 1, 5, 7); // 7 wide, 5 high: catches swapped axes
    private static final Shape RGB = Shape.of(1, 3, 5, 7);

    @TempDir
    Path dir;

    /** A grey image whose pixel (x, y) is 10x + 40y + 5. */
    private static BufferedImage greyImage(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, (10 * x + 40 * y + 5) % 256);
            }
        }
        return img;
    }

    private static int red(int x, int y) {
        return 30 * x;
    }

    private static int green(int x, int y) {
        return 50 * y;
    }

    private static int blue(int x, int y) {
        return 255 - 20 * x - 10 * y;
    }

    private static BufferedImage colourImage(int type) {
        BufferedImage img = new BufferedImage(7, 5, type);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, (red(x, y) << 16) | (green(x, y) << 8) | blue(x, y));
            }
        }
        return img;
    }

    private Path save(BufferedImage img, String format, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        assertTrue(ImageIO.write(img, format, p.toFile()), "no ImageIO writer for " + format);
        return p;
    }

    @Test
    void greyPngReadsExactly() throws IOException {
        Path p = save(greyImage(7, 5), "png", "g.png");
        for (Sample s : List.of(ImageFiles.read(p, GREY), ImageFiles.read(p))) {
            assertEquals(GREY, s.shape());
            assertEquals(Sample.NO_LABEL, s.label());
            assertEquals("g.png", s.id());
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 7; x++) {
                    assertEquals((10 * x + 40 * y + 5) / 255.0, s.feature(y * 7 + x), "(" + x + "," + y + ")");
                }
            }
        }
    }

    @Test
    void greyImageRepeatedForThreeChannels() throws IOException {
        Sample s = ImageFiles.read(save(greyImage(7, 5), "png", "g.png"), RGB);
        assertEquals(RGB, s.shape());
        for (int c = 0; c < 3; c++) {
            assertEquals((10 * 3 + 40 * 2 + 5) / 255.0, s.feature(c * 35 + 2 * 7 + 3));
        }
    }

    @Test
    void colourPngAndBmpGiveRgbPlanes() throws IOException {
        for (Path p : List.of(save(colourImage(BufferedImage.TYPE_INT_RGB), "png", "c.png"),
                save(colourImage(BufferedImage.TYPE_3BYTE_BGR), "bmp", "c.bmp"))) {
            Sample s = ImageFiles.read(p);
            assertEquals(RGB, s.shape(), p.toString());
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 7; x++) {
                    int i = y * 7 + x;
                    assertEquals(red(x, y) / 255.0, s.feature(i));
                    assertEquals(green(x, y) / 255.0, s.feature(35 + i));
                    assertEquals(blue(x, y) / 255.0, s.feature(70 + i));
                }
            }
        }
    }

    @Test
    void colourImageForOneChannelIsLuma() throws IOException {
        Sample s = ImageFiles.read(save(colourImage(BufferedImage.TYPE_INT_RGB), "png", "c.png"), GREY);
        assertEquals(GREY, s.shape());
        int x = 4;
        int y = 3;
        double luma = (0.299 * red(x, y) + 0.587 * green(x, y) + 0.114 * blue(x, y)) / 255;
        assertEquals(luma, s.feature(y * 7 + x), 1e-12);
    }

    @Test
    void greyStoredAsRgbGivesTheSameValuesAsGrey() throws IOException {
        BufferedImage grey = greyImage(7, 5);
        BufferedImage rgb = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                int v = grey.getRaster().getSample(x, y, 0);
                rgb.setRGB(x, y, v * 0x010101);
            }
        }
        assertArrayEquals(ImageFiles.read(save(grey, "png", "g.png")).features(),
                ImageFiles.read(save(rgb, "bmp", "g.bmp"), GREY).features());
    }

    @Test
    void jpegAndGifRead() throws IOException {
        // JPEG is lossy: a smooth image comes back close, not exact.
        BufferedImage smooth = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                smooth.getRaster().setSample(x, y, 0, 60 + 4 * x + 3 * y);
            }
        }
        Sample jpeg = ImageFiles.read(save(smooth, "jpg", "s.jpg"), Shape.of(1, 16, 16));
        for (int i = 0; i < 256; i++) {
            assertEquals((60 + 4 * (i % 16) + 3 * (i / 16)) / 255.0, jpeg.feature(i), 8 / 255.0);
        }
        BufferedImage twoColours = new BufferedImage(7, 5, BufferedImage.TYPE_BYTE_INDEXED);
        twoColours.setRGB(1, 2, 0xffffff);
        Sample gif = ImageFiles.read(save(twoColours, "gif", "t.gif"), GREY);
        assertEquals(1.0, gif.feature(2 * 7 + 1));
        assertEquals(0.0, gif.feature(0));
    }

    @Test
    void wrongSizeIsAnErrorNotAResize() throws IOException {
        Path p = save(greyImage(32, 32), "png", "big.png");
        assertEquals("image is 32x32, the model expects 28x28 (width x height; images are not resized)",
                failure(p, () -> ImageFiles.read(p, Shape.of(1, 1, 28, 28))));
        Path q = save(greyImage(7, 5), "png", "g.png");
        assertTrue(failure(q, () -> ImageFiles.read(q, Shape.of(1, 1, 7, 5))).startsWith("image is 7x5, the model expects 5x7"));
    }

    @Test
    void unsupportedShapes() throws IOException {
        Path p = save(greyImage(7, 5), "png", "g.png");
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(p, Shape.of(1, 2, 5, 7)));
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(p, Shape.of(1, 35)));
    }

    @Test
    void unreadableImages() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        assertEquals("not an image file ImageIO can read (PNG, JPEG, BMP or GIF)",
                failure(text, () -> ImageFiles.read(text)));
        for (String format : List.of("png", "jpg", "bmp")) {
            Path whole = save(greyImage(20, 20), format, "whole." + format);
            byte[] bytes = Files.readAllBytes(whole);
            Path cut = Files.write(dir.resolve("cut." + format), Arrays.copyOf(bytes, bytes.length * 2 / 3));
            String msg = failure(cut, () -> ImageFiles.read(cut));
            assertTrue(msg.contains("truncated " + (format.equals("jpg") ? "JPEG" : format.toUpperCase()) + " image"), msg);
        }
        Path bmp = save(greyImage(20, 20), "bmp", "whole.bmp");
        Path cutBmp = Files.write(dir.resolve("short.bmp"), Arrays.copyOf(Files.readAllBytes(bmp), 100));
        assertEquals("truncated BMP image: the file ends before the image data", failure(cutBmp, () -> ImageFiles.read(cutBmp)));
        Path missing = dir.resolve("missing.png");
        assertEquals("file not found", failure(missing, () -> ImageFiles.read(missing)));
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertTrue(failure(empty, () -> ImageFiles.read(empty)).startsWith("not an image file"));
    }

    @Test
    void folderIsSortedAndLabelledByNumericFolderNames() throws IOException {
        save(greyImage(7, 5), "png", "digits/3/b.png");
        save(greyImage(7, 5), "png", "digits/3/a.png");
        save(colourImage(BufferedImage.TYPE_INT_RGB), "bmp", "digits/10/x.bmp");
        save(greyImage(7, 5), "png", "digits/misc/y.PNG");
        save(greyImage(7, 5), "png", "digits/.hidden.png");
        Files.writeString(dir.resolve("digits/README.txt"), "not an image");
        Dataset ds = ImageFiles.folder(dir.resolve("digits"));
        assertEquals(RGB, ds.shape()); // decided by the first image in order, 10/x.bmp, a colour image
        List<String> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Sample s : ds) {
            ids.add(s.id());
            labels.add(s.label());
        }
        assertEquals(List.of("10/x.bmp", "3/a.png", "3/b.png", "misc/y.PNG"), ids);
        assertEquals(List.of(10, 3, 3, -1), labels);
    }

    @Test
    void folderWithExpectedShapeAndBadMembers() throws IOException {
        save(greyImage(7, 5), "png", "f/a.png");
        save(greyImage(8, 5), "png", "f/b.png");
        Dataset ds = ImageFiles.folder(dir.resolve("f"), RGB);
        assertEquals(RGB, ds.shape());
        assertEquals(RGB, ds.get(0).shape());
        Path b = dir.resolve("f/b.png");
        assertTrue(failure(b, () -> ds.get(1)).startsWith("image is 8x5, the model expects 7x5"));
    }

    @Test
    void folderErrors() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("a.txt"), "x");
        assertEquals("holds no image files (.png, .jpg, .jpeg, .bmp, .gif)", failure(empty, () -> ImageFiles.folder(empty)));
        Path missing = dir.resolve("missing");
        assertEquals("folder not found", failure(missing, () -> ImageFiles.folder(missing)));
        Path file = save(greyImage(7, 5), "png", "g.png");
        assertEquals("is a file, not a folder of images", failure(file, () -> ImageFiles.folder(file)));
    }

    @Test
    void sharedMnistDigitSavedAsPngReadsBackExactly() throws IOException {
        IdxDataset mnist = IdxDataset.open(SharedData.resolve("datasets/mnist/t10k-images-idx3-ubyte.gz"));
        for (int i : new int[] {0, 1, 9999}) {
            Sample digit = mnist.get(i);
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int k = 0; k < 784; k++) {
                img.getRaster().setSample(k % 28, k / 28, 0, (int) Math.round(digit.feature(k) * 255));
            }
            Path p = save(img, "png", "mnist/" + digit.label() + "/" + i + ".png");
            assertArrayEquals(digit.features(), ImageFiles.read(p, mnist.shape()).features(), "image " + i);
        }
        Dataset folder = ImageFiles.folder(dir.resolve("mnist"), Shape.of(1, 28, 28));
        assertEquals(3, folder.size());
        assertEquals("2/1.png", folder.get(0).id());
        assertEquals(2, folder.get(0).label());
        assertArrayEquals(mnist.get(1).features(), folder.get(0).features());
    }
}
