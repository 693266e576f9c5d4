package org.proofmap.reports;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.proofmap.ProofmapException;

/**
 * Draws the explanation of one image classification as a picture of two panels side by side:
 *
 * <ul>
 *   <li>Left, the input: grey levels (a colour input is shown desaturated, keeping {@value
 *       #KEPT_SATURATION} of its saturation, so that the markings stand out), with every pixel of the
 *       explanation tinted by its class: {@link #RELEVANT} red, {@link #UNKNOWN} blue (undecided),
 *       {@link #PROBABLY_IRRELEVANT} amber; pixels in none of the sets (irrelevant) stay grey. A tint
 *       keeps the pixel's brightness ({@code colour * (0.6 + 0.4 * grey)}), so the digit or object is
 *       still visible under the markings.
 *   <li>Right (when scores are given), one score per pixel on a colour ramp from dark blue-violet
 *       (lowest) through teal and green to light yellow (highest), like viridis. Its lightness rises
 *       steadily, so the order of the scores reads correctly in grey print and for colour-blind
 *       readers. Scores are scaled from their minimum to their maximum; a NaN score (none) is
 *       {@link #NO_SCORE}.
 * </ul>
 *
 * Below each panel is a legend strip: under the input, four equal swatches in the order relevant,
 * probably irrelevant, unknown, irrelevant (mid grey); under the scores, the ramp from lowest (left)
 * to highest (right). Under the strips, a row of {@value #LABEL_HEIGHT} pixels names them
 * ("relevant", "probable", "unknown", "irrelevant"; "low score", "high score") where the Java
 * runtime can draw text: a headless machine without fonts leaves the row white, and the colours
 * alone (documented here) still say it; each label is drawn only where it fits.
 * The image is magnified by an integer factor, each input pixel becoming a square block; the default
 * makes a panel about 280 pixels wide. Everything is on a white background with {@value #MARGIN}
 * pixels of margin around and between the parts.
 *
 * <p>Feature indices in the sets are flat NCHW indices of the input (batch 1): feature {@code c*H*W +
 * y*W + x} is channel {@code c} of the pixel in row {@code y}, column {@code x}. For a colour input a
 * pixel counts as relevant when any of its channels is, likewise for the other sets, and when a
 * pixel's channels fall in different sets the strongest claim is shown: relevant, then unknown, then
 * probably irrelevant. Scores are per pixel ({@code H*W}, row-major).
 *
 * <p>Input values are drawn as they are when all lie in [0,1]; otherwise (a normalised input) they are
 * rescaled from their minimum to their maximum.
 */
public final class Heatmap {
    public static final Color RELEVANT = new Color(220, 38, 38);
    public static final Color PROBABLY_IRRELEVANT = new Color(245, 166, 35);
    public static final Color UNKNOWN = new Color(37, 99, 235);
    /** The score panel's colour for a pixel whose score is NaN. */
    public static final Color NO_SCORE = new Color(200, 200, 200);
    /** The grey of the "irrelevant" legend swatch. */
    public static final Color IRRELEVANT_SWATCH = new Color(128, 128, 128);
    public static final Color BACKGROUND = Color.WHITE;
    /** Pixels of white around the panels, between them, and around the legend strips. */
    public static final int MARGIN = 8;
    /** Height of the legend strips in pixels. */
    public static final int LEGEND_HEIGHT = 12;
    /** Height of the row of legend labels under the strips, in pixels. */
    public static final int LABEL_HEIGHT = 14;
    /** The labels' colour. */
    public static final Color LABEL = new Color(60, 60, 60);
    /** The width {@link #defaultScale} aims at for one panel. */
    public static final int TARGET_PANEL_WIDTH = 280;
    /** Fraction of a colour input's saturation kept in the left panel. */
    public static final double KEPT_SATURATION = 0.3;

    // A pixel's class in the left panel; a larger number is a stronger claim and wins across channels.
    private static final int MARK_IRRELEVANT = 0;
    private static final int MARK_PROBABLY_IRRELEVANT = 1;
    private static final int MARK_UNKNOWN = 2;
    private static final int MARK_RELEVANT = 3;

    private static final int RAMP_STEPS = 256;
    private static final int[] RAMP = buildRamp();

    private Heatmap() {}

    /** The magnification that makes a panel of an image {@code width} pixels wide about 280 pixels wide. */
    public static int defaultScale(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive: " + width);
        }
        return Math.max(1, (int) Math.round((double) TARGET_PANEL_WIDTH / width));
    }

    /**
     * Draws the explanation with the {@link #defaultScale}.
     *
     * @param image the input, {@code channels * height * width} values in NCHW order
     * @param channels 1 (grey) or 3 (RGB)
     * @param relevant features the prediction depends on ({@code null}: none)
     * @param probablyIrrelevant features probably not needed, without proof ({@code null}: none)
     * @param unknown features not decided either way ({@code null}: none)
     * @param scores one score per pixel ({@code height * width}, row-major), or {@code null} for no
     *     score panel
     * @throws IllegalArgumentException when the sizes disagree or a set holds an index beyond the input
     */
    public static BufferedImage render(double[] image, int channels, int height, int width, BitSet relevant,
            BitSet probablyIrrelevant, BitSet unknown, double[] scores) {
        return render(image, channels, height, width, relevant, probablyIrrelevant, unknown, scores,
                defaultScale(width));
    }

    /** {@link #render(double[], int, int, int, BitSet, BitSet, BitSet, double[])} magnified {@code scale} times. */
    public static BufferedImage render(double[] image, int channels, int height, int width, BitSet relevant,
            BitSet probablyIrrelevant, BitSet unknown, double[] scores, int scale) {
        Objects.requireNonNull(image, "image");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive: " + height + "x" + width);
        }
        if (scale <= 0) {
            throw new IllegalArgumentException("scale must be positive: " + scale);
        }
        int hw = height * width;
        int n = channels * hw;
        if (image.length != n) {
            throw new IllegalArgumentException("an image of " + channels + "x" + height + "x" + width + " has " + n
                    + " values, not " + image.length);
        }
        if (scores != null && scores.length != hw) {
            throw new IllegalArgumentException("expected " + hw + " scores (one per pixel), not " + scores.length);
        }
        checkIndices(relevant, n, "relevant");
        checkIndices(probablyIrrelevant, n, "probablyIrrelevant");
        checkIndices(unknown, n, "unknown");
        long panelW = (long) width * scale;
        long panelH = (long) height * scale;
        long canvasW = MARGIN + panelW + (scores == null ? 0 : MARGIN + panelW) + MARGIN;
        long canvasH = MARGIN + panelH + MARGIN + LEGEND_HEIGHT + LABEL_HEIGHT + MARGIN;
        if (canvasW * canvasH > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("the picture would be too large: " + canvasW + "x" + canvasH);
        }
        int pw = (int) panelW;
        int ph = (int) panelH;
        BufferedImage out = new BufferedImage((int) canvasW, (int) canvasH, BufferedImage.TYPE_INT_RGB);
        fill(out, 0, 0, out.getWidth(), out.getHeight(), BACKGROUND.getRGB());

        double[] grey = displayValues(image);
        int[] mark = pixelMarks(hw, relevant, probablyIrrelevant, unknown);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                int rgb = inputColour(grey, channels, hw, p, mark[p]);
                fill(out, MARGIN + x * scale, MARGIN + y * scale, scale, scale, rgb);
            }
        }
        int legendY = MARGIN + ph + MARGIN;
        Color[] swatches = {RELEVANT, PROBABLY_IRRELEVANT, UNKNOWN, IRRELEVANT_SWATCH};
        for (int i = 0; i < swatches.length; i++) {
            int from = MARGIN + i * pw / swatches.length;
            int to = MARGIN + (i + 1) * pw / swatches.length;
            int gap = i + 1 < swatches.length ? Math.min(2, to - from - 1) : 0; // white line between swatches
            fill(out, from, legendY, Math.max(1, to - from - gap), LEGEND_HEIGHT, swatches[i].getRGB());
        }

        String[] names = {"relevant", "probable", "unknown", "irrelevant"};
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            labels.add(new Label(names[i], MARGIN + i * pw / names.length, MARGIN + (i + 1) * pw / names.length,
                    false));
        }
        if (scores != null) {
            int left = MARGIN + pw + MARGIN;
            labels.add(new Label("low score", left, left + pw / 2, false));
            labels.add(new Label("high score", left + pw / 2, left + pw, true));
            double[] t = normalise(scores);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = t[y * width + x];
                    int rgb = Double.isNaN(v) ? NO_SCORE.getRGB() : rampRgb(v);
                    fill(out, left + x * scale, MARGIN + y * scale, scale, scale, rgb);
                }
            }
            for (int i = 0; i < pw; i++) {
                fill(out, left + i, legendY, 1, LEGEND_HEIGHT, rampRgb(pw == 1 ? 0.5 : (double) i / (pw - 1)));
            }
        }
        drawLabels(out, labels, legendY + LEGEND_HEIGHT);
        return out;
    }

    /** A legend label: its text within [from, to), left-aligned, or right-aligned when {@code right}. */
    private record Label(String text, int from, int to, boolean right) {}

    /**
     * Draws each label that fits its span in the row starting at {@code top}. Without fonts (a
     * headless runtime without fontconfig throws an Error from the first text operation) the row
     * stays white: the picture is still complete, the colours are documented.
     */
    private static void drawLabels(BufferedImage out, List<Label> labels, int top) {
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
            g.setColor(LABEL);
            java.awt.FontMetrics fm = g.getFontMetrics();
            int baseline = top + (LABEL_HEIGHT + fm.getAscent() - fm.getDescent()) / 2;
            for (Label l : labels) {
                int w = fm.stringWidth(l.text());
                if (w > l.to() - l.from() - 2) {
                    continue; // too narrow a span: the colour alone
                }
                g.drawString(l.text(), l.right() ? l.to() - w : l.from(), baseline);
            }
        } catch (RuntimeException | InternalError | UnsatisfiedLinkError | NoClassDefFoundError e) {
            // No usable fonts here: leave the label row white (see the class comment).
        } finally {
            g.dispose();
        }
    }

    /**
     * Renders and writes the picture as a PNG file.
     *
     * @throws ProofmapException naming {@code png} when it cannot be written
     */
    public static void write(double[] image, int channels, int height, int width, BitSet relevant,
            BitSet probablyIrrelevant, BitSet unknown, double[] scores, Path png) {
        write(render(image, channels, height, width, relevant, probablyIrrelevant, unknown, scores), png);
    }

    /**
     * Writes {@code picture} as a PNG file, replacing an existing one.
     *
     * @throws ProofmapException naming {@code png} when it cannot be written (a missing folder, no
     *     permission, a full disk)
     */
    public static void write(BufferedImage picture, Path png) {
        String name = png.toString();
        try (OutputStream out = Files.newOutputStream(png)) {
            if (!ImageIO.write(picture, "png", out)) {
                throw new ProofmapException(name, "no PNG writer available in this Java runtime");
            }
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "cannot write: the folder does not exist");
        } catch (AccessDeniedException e) {
            throw new ProofmapException(name, "cannot write: permission denied");
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ProofmapException(name, "cannot write: " + why, e);
        }
    }

    /**
     * The score colour for {@code t} in [0,1] (clamped): 0 is the darkest, 1 the lightest. Public so
     * that other reports (an HTML legend) use the same ramp.
     */
    public static Color rampColour(double t) {
        return new Color(rampRgb(t));
    }

    private static int rampRgb(double t) {
        double c = Double.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
        return RAMP[(int) Math.round(c * (RAMP_STEPS - 1))];
    }

    private static void checkIndices(BitSet set, int n, String what) {
        if (set != null && set.length() > n) {
            throw new IllegalArgumentException(what + " holds feature " + (set.length() - 1)
                    + ", but the image has only " + n + " features");
        }
    }

    /** Per pixel the strongest class any of its channels has. */
    private static int[] pixelMarks(int hw, BitSet relevant, BitSet probablyIrrelevant, BitSet unknown) {
        int[] mark = new int[hw]; // all MARK_IRRELEVANT
        markAll(mark, hw, probablyIrrelevant, MARK_PROBABLY_IRRELEVANT);
        markAll(mark, hw, unknown, MARK_UNKNOWN);
        markAll(mark, hw, relevant, MARK_RELEVANT);
        return mark;
    }

    private static void markAll(int[] mark, int hw, BitSet set, int value) {
        if (set == null) {
            return;
        }
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            int p = i % hw;
            mark[p] = Math.max(mark[p], value);
        }
    }

    /** The input in [0,1]: as it is when it already lies there, else rescaled from min to max. */
    private static double[] displayValues(double[] image) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : image) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the image holds a non-finite value: " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min >= 0 && max <= 1) {
            return image;
        }
        double range = max - min;
        double[] out = new double[image.length];
        for (int i = 0; i < image.length; i++) {
            out[i] = range == 0 ? 0.5 : (image[i] - min) / range;
        }
        return out;
    }

    /** Scores scaled to [0,1] from their finite minimum to maximum; a constant map is 0.5, NaN stays NaN. */
    private static double[] normalise(double[] scores) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            if (Double.isFinite(s)) {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        double[] t = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
            if (Double.isNaN(s)) {
                t[i] = Double.NaN;
            } else if (s == Double.POSITIVE_INFINITY) {
                t[i] = 1;
            } else if (s == Double.NEGATIVE_INFINITY) {
                t[i] = 0;
            } else {
                t[i] = max > min ? (s - min) / (max - min) : 0.5;
            }
        }
        return t;
    }

    private static int inputColour(double[] v, int channels, int hw, int p, int mark) {
        double r;
        double g;
        double b;
        double lum;
        if (channels == 1) {
            r = g = b = lum = v[p];
        } else {
            double r0 = v[p];
            double g0 = v[hw + p];
            double b0 = v[2 * hw + p];
            // ITU-R BT.601 luma, as the data set readers use; integer weights keep a grey pixel exactly grey.
            lum = (299 * r0 + 587 * g0 + 114 * b0) / 1000;
            r = lum + KEPT_SATURATION * (r0 - lum);
            g = lum + KEPT_SATURATION * (g0 - lum);
            b = lum + KEPT_SATURATION * (b0 - lum);
        }
        if (mark == MARK_IRRELEVANT) {
            return rgb(r, g, b);
        }
        Color tint = switch (mark) {
            case MARK_RELEVANT -> RELEVANT;
            case MARK_UNKNOWN -> UNKNOWN;
            default -> PROBABLY_IRRELEVANT;
        };
        double shade = 0.6 + 0.4 * lum;
        return rgb(tint.getRed() / 255.0 * shade, tint.getGreen() / 255.0 * shade, tint.getBlue() / 255.0 * shade);
    }

    private static int rgb(double r, double g, double b) {
        return (byte8(r) << 16) | (byte8(g) << 8) | byte8(b);
    }

    private static int byte8(double v) {
        return (int) Math.round(Math.min(1, Math.max(0, v)) * 255);
    }

    private static void fill(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }

    /**
     * The score ramp, computed rather than tabulated: a path through the OKLab colour space (Björn
     * Ottosson, 2020), whose lightness axis matches perceived lightness. Lightness rises linearly
     * from 0.27 to 0.93 while the hue turns from blue-violet (285 degrees) through teal and green to
     * yellow (100 degrees); the chroma is as large as sRGB allows, up to 0.13, found by bisection, so
     * clipping never bends the lightness.
     */
    private static int[] buildRamp() {
        int[] ramp = new int[RAMP_STEPS];
        for (int i = 0; i < RAMP_STEPS; i++) {
            double t = (double) i / (RAMP_STEPS - 1);
            double lightness = 0.27 + 0.66 * t;
            double hue = Math.toRadians(285 - 185 * t);
            double lo = 0;
            double hi = 0.13;
            if (!inGamut(oklabToLinearSrgb(lightness, hi * Math.cos(hue), hi * Math.sin(hue)))) {
                for (int k = 0; k < 40; k++) {
                    double mid = (lo + hi) / 2;
                    if (inGamut(oklabToLinearSrgb(lightness, mid * Math.cos(hue), mid * Math.sin(hue)))) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                hi = lo;
            }
            double[] rgb = oklabToLinearSrgb(lightness, hi * Math.cos(hue), hi * Math.sin(hue));
            ramp[i] = rgb(encodeSrgb(rgb[0]), encodeSrgb(rgb[1]), encodeSrgb(rgb[2]));
        }
        return ramp;
    }

    /** OKLab to linear-light sRGB, by the matrices that define OKLab. */
    static double[] oklabToLinearSrgb(double lightness, double a, double b) {
        double l = cube(lightness + 0.3963377774 * a + 0.2158037573 * b);
        double m = cube(lightness - 0.1055613458 * a - 0.0638541728 * b);
        double s = cube(lightness - 0.0894841775 * a - 1.2914855480 * b);
        return new double[] {
            4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
            -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
            -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s
        };
    }

    private static double cube(double x) {
        return x * x * x;
    }

    private static boolean inGamut(double[] rgb) {
        for (double c : rgb) {
            if (c < 0 || c > 1) {
                return false;
            }
        }
        return true;
    }

    /** The sRGB transfer function (IEC 61966-2-1): linear light to the encoded value. */
    private static double encodeSrgb(double c) {
        return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
    }
}
