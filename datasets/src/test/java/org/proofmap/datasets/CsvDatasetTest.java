package org.proofmap.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.datasets.Fixtures.failure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.datasets.CsvDataset.ChannelOrder;
import org.proofmap.model.Shape;
import org.proofmap.testing.SharedData;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), text, StandardCharsets.UTF_8);
    }

    private static String row(int label, int n, IntUnaryOperator value) {
        StringBuilder sb = new StringBuilder().append(label);
        for (int i = 0; i < n; i++) {
            sb.append(',').append(value.applyAsInt(i));
        }
        return sb.append('\n').toString();
    }

    @Test
    void mnistRowsAreGreyTwentyEightSquare() throws IOException {
        Path p = write(row(7, 784, i -> i % 256) + "\n" + row(2, 784, i -> 255 - i % 256));
        CsvDataset ds = CsvDataset.read(p);
        assertEquals(2, ds.size());
        assertEquals(Shape.of(1, 1, 28, 28), ds.shape());
        assertEquals(7, ds.get(0).label());
        assertEquals(2, ds.get(1).label());
        assertEquals(300 % 256 / 255.0, ds.get(0).feature(300));
        assertEquals(1.0, ds.get(1).feature(0));
        assertEquals("data.csv#1", ds.get(1).id());
    }

    @Test
    void cifarRowsAreInterleavedAndBecomePlanes() throws IOException {
        // Pixel p has R = p % 256, G = (p + 1) % 256, B = (p + 2) % 256, stored R,G,B per pixel.
        Path p = write(row(3, 3072, i -> (i / 3 + i % 3) % 256));
        CsvDataset ds = CsvDataset.read(p);
        assertEquals(Shape.of(1, 3, 32, 32), ds.shape());
        Sample s = ds.get(0);
        for (int px : new int[] {0, 1, 33, 1023}) {
            for (int c = 0; c < 3; c++) {
                assertEquals((px + c) % 256 / 255.0, s.feature(c * 1024 + px), "pixel " + px + " channel " + c);
            }
        }
    }

    @Test
    void givenShapeAndOrder() throws IOException {
        Path p = write("1,0,1,2,3,4,5,6,7\n");
        Sample planar = CsvDataset.read(p, Shape.of(2, 2, 2), ChannelOrder.PLANAR).get(0);
        Sample interleaved = CsvDataset.read(p, Shape.of(1, 2, 2, 2), ChannelOrder.INTERLEAVED).get(0);
        assertEquals(Shape.of(1, 2, 2, 2), planar.shape());
        for (int i = 0; i < 8; i++) {
            assertEquals(i / 255.0, planar.feature(i));
        }
        // Interleaved: pixel p holds channels (2p, 2p + 1).
        double[] expected = {0, 2, 4, 6, 1, 3, 5, 7};
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i] / 255.0, interleaved.feature(i));
        }
        assertEquals("rows have 8 pixel values, but an image of shape 1x1x3x3 has 9",
                failure(p, () -> CsvDataset.read(p, Shape.of(1, 1, 3, 3), ChannelOrder.PLANAR)));
        assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(p, Shape.of(2, 4), ChannelOrder.PLANAR));
    }

    @Test
    void whitespaceCrlfBomAndDecimals() throws IOException {
        Path p = write("\uFEFF 5 , 0.5 ,255,1e2,0\r\n\r\n");
        Sample s = CsvDataset.read(p, Shape.of(1, 1, 2, 2), ChannelOrder.PLANAR).get(0);
        assertEquals(5, s.label());
        assertEquals(0.5 / 255.0, s.feature(0));
        assertEquals(1.0, s.feature(1));
        assertEquals(100 / 255.0, s.feature(2));
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws IOException {
        Path p = write(row(1, 784, i -> 0) + "\n" + row(2, 784, i -> 0).replaceFirst(",0,0,", ",0,abc,"));
        assertEquals("line 3, column 3: 'abc' is not a number", failure(p, () -> CsvDataset.read(p)));
    }

    @Test
    void badLabelsAndValues() throws IOException {
        Path p = write("x,1,2,3,4\n");
        assertEquals("line 1, column 1: the label 'x' is not a non-negative integer",
                failure(p, () -> CsvDataset.read(p)));
        Files.writeString(p, "-1,1,2,3,4\n");
        assertTrue(failure(p, () -> CsvDataset.read(p)).contains("the label '-1'"));
        Files.writeString(p, "1,1,2,256,4\n");
        assertEquals("line 1, column 4: pixel value 256 is outside 0..255",
                failure(p, () -> CsvDataset.read(p, Shape.of(1, 1, 2, 2), ChannelOrder.PLANAR)));
        Files.writeString(p, "1,1,2,NaN,4\n");
        assertEquals("line 1, column 4: 'NaN' is not a number", failure(p, () -> CsvDataset.read(p)));
        Files.writeString(p, "1,1,2,3,\n");
        assertEquals("line 1, column 5 is empty (trailing comma?)", failure(p, () -> CsvDataset.read(p)));
    }

    @Test
    void raggedRowsAndUnknownWidth() throws IOException {
        Path p = write("1,1,2,3,4\n2,1,2,3\n");
        assertEquals("line 2 has 3 pixel values, line 1 has 4", failure(p, () -> CsvDataset.read(p)));
        Files.writeString(p, "1,1,2,3,4\n");
        assertTrue(failure(p, () -> CsvDataset.read(p)).startsWith("rows have 4 pixel values; without a given shape"));
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path p = write("\n \n");
        assertEquals("holds no rows; expected lines of label,pixel values", failure(p, () -> CsvDataset.read(p)));
        Path missing = dir.resolve("missing.csv");
        assertEquals("file not found", failure(missing, () -> CsvDataset.read(missing)));
    }

    @Test
    void sharedCifarRows() {
        CsvDataset cifar = CsvDataset.read(SharedData.resolve("datasets/cifar10_test_100.csv"));
        assertEquals(100, cifar.size());
        assertEquals(Shape.of(1, 3, 32, 32), cifar.shape());
        Sample cat = cifar.get(0);
        assertEquals(3, cat.label()); // the first CIFAR-10 test image is a cat
        // Its first pixel is stored as 158,112,49 (R,G,B): the three planes start with those values.
        assertEquals(158 / 255.0, cat.feature(0));
        assertEquals(112 / 255.0, cat.feature(1024));
        assertEquals(49 / 255.0, cat.feature(2048));
        for (Sample s : cifar) {
            assertTrue(s.label() >= 0 && s.label() <= 9);
            for (double v : s.features()) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }
}
