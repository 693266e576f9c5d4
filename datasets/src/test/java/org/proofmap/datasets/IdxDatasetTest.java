package org.proofmap.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.datasets.Fixtures.failure;
import static org.proofmap.datasets.Fixtures.gzip;
import static org.proofmap.datasets.Fixtures.idxImages;
import static org.proofmap.datasets.Fixtures.idxLabels;
import static org.proofmap.datasets.Fixtures.write;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.model.Shape;
import org.proofmap.testing.SharedData;

class IdxDatasetTest {
    @TempDir
    Path dir;

    private final byte[] pixels = Fixtures.ramp(3 * 2 * 4, 250); // 3 images of 2x4, values wrap past 255

    private void checkFixture(IdxDataset ds, boolean labelled) {
        assertEquals(3, ds.size());
        assertEquals(Shape.of(1, 1, 2, 4), ds.shape());
        for (int i = 0; i < 3; i++) {
            Sample s = ds.get(i);
            assertEquals(Shape.of(1, 1, 2, 4), s.shape());
            for (int k = 0; k < 8; k++) {
                assertEquals((pixels[i * 8 + k] & 0xff) / 255.0, s.feature(k));
            }
            assertEquals(labelled ? new int[] {4, 0, 9}[i] : Sample.NO_LABEL, s.label());
        }
        assertEquals(250 / 255.0, ds.get(0).feature(0));
        assertEquals(labelled, ds.hasLabels());
    }

    @Test
    void readsPlainFilesWithLabelsBeside() {
        Path images = write(dir.resolve("train-images.idx3-ubyte"), idxImages(3, 2, 4, pixels));
        write(dir.resolve("train-labels.idx1-ubyte"), idxLabels(4, 0, 9));
        IdxDataset ds = IdxDataset.open(images);
        checkFixture(ds, true);
        assertEquals("train-images.idx3-ubyte#2", ds.get(2).id());
        assertEquals(images.toString(), ds.source());
    }

    @Test
    void readsGzipFilesAndFindsTheLabelsWhateverTheirCompression() {
        Path images = write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxImages(3, 2, 4, pixels)));
        Path labels = write(dir.resolve("t10k-labels-idx1-ubyte"), idxLabels(4, 0, 9));
        assertEquals(labels, IdxDataset.labelsFileFor(images));
        checkFixture(IdxDataset.open(images), true);
    }

    @Test
    void gzipIsRecognisedByContentNotName() {
        // A .gz name on plain data and gzip data without the suffix both read.
        Path plainNamedGz = write(dir.resolve("a/x-images-idx3-ubyte.gz"), idxImages(3, 2, 4, pixels));
        Path gzNamedPlain = write(dir.resolve("b/x-images-idx3-ubyte"), gzip(idxImages(3, 2, 4, pixels)));
        checkFixture(IdxDataset.open(plainNamedGz), false);
        checkFixture(IdxDataset.open(gzNamedPlain), false);
    }

    @Test
    void explicitLabelsAndNoLabels() {
        Path images = write(dir.resolve("digits.idx"), idxImages(3, 2, 4, pixels));
        Path labels = write(dir.resolve("whatever.bin"), gzip(idxLabels(4, 0, 9)));
        assertNull(IdxDataset.labelsFileFor(images));
        checkFixture(IdxDataset.open(images, labels), true);
        checkFixture(IdxDataset.open(images), false);
        assertArrayEquals(new int[] {4, 0, 9}, IdxDataset.readLabels(labels));
    }

    @Test
    void samplesAreCopiesAndIndicesChecked() {
        IdxDataset ds = IdxDataset.open(write(dir.resolve("x"), idxImages(3, 2, 4, pixels)));
        double[] f = ds.get(0).features();
        Arrays.fill(f, -1);
        assertEquals(250 / 255.0, ds.get(0).feature(0));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
        int n = 0;
        for (Sample s : ds) {
            assertEquals("x#" + n++, s.id());
        }
        assertEquals(3, n);
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope-images-idx3-ubyte.gz");
        assertEquals("file not found", failure(p, () -> IdxDataset.open(p)));
    }

    @Test
    void truncatedData() {
        byte[] full = idxImages(3, 2, 4, pixels);
        Path p = write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 5));
        assertEquals("truncated: the header announces 3 images of 2x4 (24 bytes of data), but only 19 bytes follow it",
                failure(p, () -> IdxDataset.open(p)));
        Path gz = write(dir.resolve("cut.gz"), gzip(Arrays.copyOf(full, full.length - 5)));
        assertTrue(failure(gz, () -> IdxDataset.open(gz)).startsWith("truncated: "));
    }

    @Test
    void truncatedHeaderAndTruncatedGzipStream() {
        Path p = write(dir.resolve("short"), Arrays.copyOf(idxImages(3, 2, 4, pixels), 10));
        assertEquals("truncated IDX header: 10 bytes, the header needs 16", failure(p, () -> IdxDataset.open(p)));
        byte[] gz = gzip(idxImages(3, 2, 4, pixels));
        Path cut = write(dir.resolve("cutgz"), Arrays.copyOf(gz, gz.length / 2));
        assertTrue(failure(cut, () -> IdxDataset.open(cut)).startsWith("truncated gzip data"));
        Path empty = write(dir.resolve("empty"), new byte[0]);
        assertEquals("too short for an IDX images file (0 bytes)", failure(empty, () -> IdxDataset.open(empty)));
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] full = idxImages(3, 2, 4, pixels);
        Path p = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 1));
        assertTrue(failure(p, () -> IdxDataset.open(p)).endsWith("but 25 bytes follow it"));
    }

    @Test
    void badMagicSaysWhatTheFileIs() {
        Path labels = write(dir.resolve("labels"), idxLabels(1, 2));
        assertEquals("not an IDX images file: magic number 0x00000801, expected 0x00000803 (this is an IDX labels file)",
                failure(labels, () -> IdxDataset.open(labels)));
        Path text = write(dir.resolve("text"), "hello world".getBytes());
        assertEquals("not an IDX images file: magic number 0x68656c6c, expected 0x00000803",
                failure(text, () -> IdxDataset.open(text)));
        Path floats = write(dir.resolve("floats"), new byte[] {0, 0, 0x0d, 3, 0, 0, 0, 0});
        assertTrue(failure(floats, () -> IdxDataset.open(floats)).endsWith("(an IDX file of element type 0x0d with 3 dimensions)"));
        Path images = write(dir.resolve("images"), idxImages(3, 2, 4, pixels));
        assertTrue(failure(images, () -> IdxDataset.readLabels(images)).endsWith("(this is an IDX images file)"));
    }

    @Test
    void labelCountMustMatch() {
        Path images = write(dir.resolve("images"), idxImages(3, 2, 4, pixels));
        Path labels = write(dir.resolve("labels"), idxLabels(1, 2));
        assertEquals("holds 2 labels, but " + images + " holds 3 images",
                failure(labels, () -> IdxDataset.open(images, labels)));
    }

    @Test
    void sharedMnistTestSet() {
        Path images = SharedData.resolve("datasets/mnist/t10k-images-idx3-ubyte.gz");
        IdxDataset mnist = IdxDataset.open(images);
        assertTrue(mnist.hasLabels());
        assertEquals(10000, mnist.size());
        assertEquals(Shape.of(1, 1, 28, 28), mnist.shape());
        assertEquals(7, mnist.get(0).label());
        assertEquals(2, mnist.get(1).label());
        assertEquals(6, mnist.get(9999).label());
        int[] counts = new int[10];
        double max = 0;
        for (Sample s : mnist) {
            counts[s.label()]++;
            for (double v : s.features()) {
                assertTrue(v >= 0 && v <= 1, s.id() + ": " + v);
                max = Math.max(max, v);
            }
        }
        assertEquals(1.0, max);
        // The published class counts of the MNIST test set.
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
    }

    @Test
    void sharedMnistEqualsTheCsvCopyOfItsFirstHundredImages() {
        IdxDataset idx = IdxDataset.open(SharedData.resolve("datasets/mnist/t10k-images-idx3-ubyte.gz"));
        CsvDataset csv = CsvDataset.read(SharedData.resolve("datasets/mnist_test_100.csv"));
        assertEquals(100, csv.size());
        for (int i = 0; i < 100; i++) {
            Sample a = idx.get(i);
            Sample b = csv.get(i);
            assertEquals(a.label(), b.label(), "label " + i);
            assertEquals(a.shape(), b.shape());
            assertArrayEquals(a.features(), b.features(), "image " + i);
        }
        assertFalse(Arrays.equals(idx.get(0).features(), idx.get(1).features()));
    }
}
