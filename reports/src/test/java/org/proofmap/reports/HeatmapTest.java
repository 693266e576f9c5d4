package org.proofmap.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.ProofmapException;

class HeatmapTest {
    private static final int M = Heatmap.MARGIN;

    @TempDir
    Path dir;

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    /** The colour at the centre of the block showing pixel (x, y) in the input panel. */
    private static Color input(BufferedImage img, int scale, int x, int y) {
        return new Color(img.getRGB(M + x * scale + scale / 2, M + y * scale + scale / 2));
    }

    private static Color score(BufferedImage img, int width, int scale, int x, int y) {
        return new Color(img.getRGB(2 * M + width * scale + x * scale + scale / 2, M + y * scale + scale / 2));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * The legend's labels are drawn in their own row, dark on white, and nowhere else; a runtime
     * without fonts leaves the row white (then only the first half of this test applies).
     */
    @Test
    void legendLabelsStayInTheirRow() {
        BufferedImage img = Heatmap.render(filled(784, 1.0), 1, 28, 28, null, null, null, new double[784]);
        int top = M + 280 + M + Heatmap.LEGEND_HEIGHT;
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                boolean inRow = y >= top && y < top + Heatmap.LABEL_HEIGHT;
                if (inRow) {
                    if (rgb != 0xffffff) {
                        dark++;
                    }
                } else if (y >= M + 280 + M + Heatmap.LEGEND_HEIGHT) {
                    assertEquals(0xffffff, rgb, "below the label row at " + x + "," + y);
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(dark > 0,
                "SKIPPED the label check: this Java runtime draws no text (no fonts)");
        assertTrue(dark > 50, "labels drawn: " + dark + " pixels");
    }

    @Test
    void sizeFollowsScaleMarginsAndLegend() {
        BufferedImage img = Heatmap.render(filled(784, 0.5), 1, 28, 28, null, null, null, new double[784]);
        assertEquals(10, Heatmap.defaultScale(28));
        assertEquals(M + 280 + M + 280 + M, img.getWidth());
        assertEquals(M + 280 + M + Heatmap.LEGEND_HEIGHT + Heatmap.LABEL_HEIGHT + M, img.getHeight());
        BufferedImage noScores = Heatmap.render(filled(6, 0.5), 1, 2, 3, null, null, null, null, 4);
        assertEquals(M + 12 + M, noScores.getWidth());
        assertEquals(M + 8 + M + Heatmap.LEGEND_HEIGHT + Heatmap.LABEL_HEIGHT + M, noScores.getHeight());
        assertEquals(9, Heatmap.defaultScale(32));
        assertEquals(1, Heatmap.defaultScale(1000));
    }

    @Test
    void greyInputColoursEachClass() {
        // 2x3 image, all 0.5 grey; pixels 0, 1, 2 relevant, probably irrelevant, unknown; 3-5 irrelevant.
        BufferedImage img = Heatmap.render(filled(6, 0.5), 1, 2, 3, bits(0), bits(1), bits(2), null, 10);
        // A tint keeps brightness: colour * (0.6 + 0.4 * 0.5) = colour * 0.8.
        assertEquals(new Color(176, 30, 30), input(img, 10, 0, 0));
        assertEquals(new Color(196, 133, 28), input(img, 10, 1, 0));
        assertEquals(new Color(30, 79, 188), input(img, 10, 2, 0));
        for (int x = 0; x < 3; x++) {
            assertEquals(new Color(128, 128, 128), input(img, 10, x, 1));
        }
        // Whole blocks: every pixel of the 10x10 block of pixel 0 is the same red; the margin is white.
        int red = img.getRGB(M, M);
        for (int dy = 0; dy < 10; dy++) {
            for (int dx = 0; dx < 10; dx++) {
                assertEquals(red, img.getRGB(M + dx, M + dy));
            }
        }
        assertEquals(Color.WHITE.getRGB(), img.getRGB(M - 1, M));
        assertEquals(Color.WHITE.getRGB(), img.getRGB(M + 30, M));
    }

    @Test
    void brightnessShowsThroughTheTint() {
        double[] image = {0, 1};
        BufferedImage img = Heatmap.render(image, 1, 1, 2, bits(0, 1), null, null, null, 4);
        Color dark = input(img, 4, 0, 0);
        Color light = input(img, 4, 1, 0);
        assertEquals(new Color(132, 23, 23), dark);
        assertEquals(Heatmap.RELEVANT, light);
    }

    @Test
    void colourInputIsDesaturatedAndAnyChannelMarksThePixel() {
        int hw = 4; // 2x2
        double[] image = new double[3 * hw];
        image[0] = 1; // pixel 0 pure red
        Arrays.fill(image, 1, hw, 0.5);
        Arrays.fill(image, hw + 1, 2 * hw, 0.5);
        Arrays.fill(image, 2 * hw + 1, 3 * hw, 0.5);
        // Pixel 1: only its blue channel is relevant. Pixel 2: green unknown, red probably irrelevant.
        BitSet relevant = bits(2 * hw + 1);
        BitSet probably = bits(2);
        BitSet unknown = bits(hw + 2);
        BufferedImage img = Heatmap.render(image, 3, 2, 2, relevant, probably, unknown, null, 5);
        // Red keeps 30% of its saturation around its luma 0.299.
        Color red = input(img, 5, 0, 0);
        assertEquals(new Color(130, 53, 53), red);
        assertEquals(new Color(176, 30, 30), input(img, 5, 1, 0));
        assertEquals(new Color(30, 79, 188), input(img, 5, 0, 1)); // unknown beats probably irrelevant
        assertEquals(new Color(128, 128, 128), input(img, 5, 1, 1));
    }

    @Test
    void scoresUseTheRampFromLowToHighAndNanIsGrey() {
        double[] scores = {-3, 0, 5, Double.NaN, 1, 2};
        BufferedImage img = Heatmap.render(filled(6, 0.2), 1, 2, 3, null, null, null, scores, 6);
        assertEquals(Heatmap.rampColour(0), score(img, 3, 6, 0, 0));
        assertEquals(Heatmap.rampColour(3 / 8.0), score(img, 3, 6, 1, 0));
        assertEquals(Heatmap.rampColour(1), score(img, 3, 6, 2, 0));
        assertEquals(Heatmap.NO_SCORE, score(img, 3, 6, 0, 1));
        // Legend strip: ramp from lowest at the left to highest at the right; swatches under the input.
        int legendY = M + 12 + M + Heatmap.LEGEND_HEIGHT / 2;
        int rampLeft = 2 * M + 18;
        assertEquals(Heatmap.rampColour(0).getRGB(), img.getRGB(rampLeft, legendY));
        assertEquals(Heatmap.rampColour(1).getRGB(), img.getRGB(rampLeft + 17, legendY));
        assertEquals(Heatmap.RELEVANT.getRGB(), img.getRGB(M, legendY));
        assertEquals(Heatmap.IRRELEVANT_SWATCH.getRGB(), img.getRGB(M + 17, legendY));
    }

    @Test
    void constantScoresAreMidRamp() {
        BufferedImage img = Heatmap.render(filled(4, 0), 1, 2, 2, null, null, null, filled(4, 7), 3);
        assertEquals(Heatmap.rampColour(0.5), score(img, 2, 3, 1, 1));
    }

    @Test
    void rampGetsSteadilyLighter() {
        // Neighbouring steps may round to the same 8-bit colour; they never get darker, and every
        // eighth step is strictly lighter.
        double[] y = new double[256];
        for (int i = 0; i <= 255; i++) {
            y[i] = luminance(Heatmap.rampColour(i / 255.0));
        }
        for (int i = 1; i <= 255; i++) {
            assertTrue(y[i] >= y[i - 1], "step " + i + ": " + y[i] + " < " + y[i - 1]);
        }
        for (int i = 8; i <= 255; i++) {
            assertTrue(y[i] > y[i - 8], "step " + i + ": " + y[i] + " <= " + y[i - 8]);
        }
        assertTrue(luminance(Heatmap.rampColour(0)) < 0.06);
        assertTrue(luminance(Heatmap.rampColour(1)) > 0.7);
        Color low = Heatmap.rampColour(0);
        Color high = Heatmap.rampColour(1);
        assertTrue(low.getBlue() > low.getGreen(), "dark end is blue-violet: " + low);
        assertTrue(high.getRed() > high.getBlue() && high.getGreen() > high.getBlue(), "light end is yellow: " + high);
    }

    /** Relative luminance (CIE Y) of an sRGB colour. */
    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(int v) {
        double c = v / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    @Test
    void inputOutsideUnitRangeIsRescaled() {
        BufferedImage img = Heatmap.render(new double[] {-1, 0, 1}, 1, 1, 3, null, null, null, null, 2);
        assertEquals(Color.BLACK, input(img, 2, 0, 0));
        assertEquals(new Color(128, 128, 128), input(img, 2, 1, 0));
        assertEquals(Color.WHITE, input(img, 2, 2, 0));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Heatmap.render(new double[5], 1, 2, 3, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.render(new double[6], 2, 1, 3, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Heatmap.render(new double[6], 1, 2, 3, null, null, null, new double[5]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Heatmap.render(new double[6], 1, 2, 3, bits(6), null, null, null));
        assertEquals("relevant holds feature 6, but the image has only 6 features", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Heatmap.render(new double[6], 1, 2, 3, null, null, null, null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Heatmap.render(new double[] {Double.NaN}, 1, 1, 1, null, null, null, null));
    }

    @Test
    void writesAPngThatReadsBack() throws IOException {
        Path png = dir.resolve("heatmap.png");
        double[] image = filled(784, 0.25);
        double[] scores = new double[784];
        Arrays.setAll(scores, i -> i);
        Heatmap.write(image, 1, 28, 28, bits(100, 200), bits(300), bits(400), scores, png);
        BufferedImage back = ImageIO.read(png.toFile());
        BufferedImage expected = Heatmap.render(image, 1, 28, 28, bits(100, 200), bits(300), bits(400), scores);
        assertEquals(expected.getWidth(), back.getWidth());
        assertEquals(expected.getHeight(), back.getHeight());
        assertEquals(expected.getRGB(M + 100 % 28 * 10 + 5, M + 100 / 28 * 10 + 5) & 0xffffff,
                back.getRGB(M + 100 % 28 * 10 + 5, M + 100 / 28 * 10 + 5) & 0xffffff);
        assertEquals(new Color(expected.getRGB(M + 100 % 28 * 10 + 5, M + 100 / 28 * 10 + 5)), input(back, 10, 100 % 28, 100 / 28));
    }

    @Test
    void unwritablePathNamesTheFile() {
        Path png = dir.resolve("no/such/folder/h.png");
        ProofmapException e = assertThrows(ProofmapException.class,
                () -> Heatmap.write(new double[1], 1, 1, 1, null, null, null, null, png));
        assertEquals(png.toString(), e.file());
        assertEquals(png + ": cannot write: the folder does not exist", e.oneLine());
    }
}
