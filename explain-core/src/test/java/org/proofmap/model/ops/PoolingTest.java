package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.ints;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.onnx.proto.OnnxProto.AttributeProto;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** AveragePool, MaxPool and GlobalAveragePool against ONNX Runtime. */
class PoolingTest {
    private static OnnxModels pool(int opset, String op, int h, int w, AttributeProto... attrs) {
        return OnnxModels.builder(opset).input("x", 1, 2, h, w).node(op, List.of("x"), "y", attrs).output("y");
    }

    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, 5, -1, 1);
    }

    @Test
    void averagePoolPadsWithAndWithoutCountingThem() {
        for (long cip : new long[] {0, 1}) {
            Graph g = check(pool(11, "AveragePool", 7, 8, ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                    ints("pads", 1, 1, 1, 1), attr("count_include_pad", cip)), 71 + cip);
            assertEquals(Shape.of(1, 2, 4, 4), g.outputShape());
            check(pool(11, "AveragePool", 6, 7, ints("kernel_shape", 2, 3), ints("pads", 0, 1, 1, 0),
                    attr("count_include_pad", cip)), 73 + cip);
        }
    }

    @Test
    void averagePoolCeilMode() {
        // 8 wide, kernel 3, stride 2: floor gives 3 columns, ceil 4 (the last window hangs over the edge).
        Graph g = check(pool(11, "AveragePool", 8, 8, ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                attr("ceil_mode", 1L)), 75);
        assertEquals(Shape.of(1, 2, 4, 4), g.outputShape());
        g = check(pool(11, "AveragePool", 8, 9, ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1), attr("ceil_mode", 1L)), 76);
        assertEquals(Shape.of(1, 2, 5, 5), g.outputShape());
        // With count_include_pad=1 and no overhang, ORT agrees too.
        check(pool(19, "AveragePool", 7, 7, ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1),
                attr("ceil_mode", 1L), attr("count_include_pad", 1L)), 77);
    }

    /**
     * ceil_mode with count_include_pad=1 where the last window hangs past the padding. The divisor
     * counts the explicit pads but not the overhang that ceil_mode adds beyond them, as in PyTorch and
     * the ONNX reference implementation. ONNX Runtime 1.20 divides by the whole kernel there
     * (microsoft/onnxruntime#16203), so these are checked against values worked out by hand.
     */
    @Test
    void averagePoolCeilModeCountingPadsButNotTheOverhang() {
        double[] x = new double[20];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1; // 4 rows of 5: row r holds 5r+1 .. 5r+5
        }
        Graph noPads = OnnxLoader.load(OnnxModels.builder(19).input("x", 1, 1, 4, 4).node("AveragePool", List.of("x"), "y",
                ints("kernel_shape", 3, 3), ints("strides", 2, 2), attr("ceil_mode", 1L), attr("count_include_pad", 1L))
                .output("y").bytes(), "t");
        // Windows at rows/cols {0,1,2} and {2,3}: no explicit pads, so nothing but real cells counts.
        assertArrayEquals(new double[] {6, 7.5, 12, 13.5}, noPads.forward(java.util.Arrays.copyOf(x, 16)), 1e-15);
        Graph padded = OnnxLoader.load(OnnxModels.builder(11).input("x", 1, 1, 4, 5).node("AveragePool", List.of("x"), "y",
                ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), attr("ceil_mode", 1L),
                attr("count_include_pad", 1L)).output("y").bytes(), "t");
        double[] y = padded.forward(x);
        assertEquals(9, y.length);
        // First window: rows -1..1, cols -1..1, all inside the padded plane: 9 cells, 4 real (1, 2, 6, 7).
        assertEquals(16 / 9.0, y[0], 1e-15);
        // Last row of windows: rows 3..5, of which row 3 is real, row 4 is padding, row 5 is overhang.
        assertEquals((16 + 17) / 6.0, y[6], 1e-15);
        assertEquals((17 + 18 + 19) / 6.0, y[7], 1e-15);
        assertEquals((19 + 20) / 6.0, y[8], 1e-15);
    }
    @Test
    void averagePoolOldOpset() {
        check(pool(7, "AveragePool", 6, 6, ints("kernel_shape", 2, 2), ints("strides", 2, 2)), 79);
    }

    @Test
    void maxPool() {
        check(pool(12, "MaxPool", 7, 8, ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)), 81);
        check(pool(12, "MaxPool", 7, 8, ints("kernel_shape", 2, 3), ints("pads", 0, 2, 1, 0)), 82);
        check(pool(8, "MaxPool", 6, 6, ints("kernel_shape", 2, 2), ints("strides", 2, 2)), 83);
    }

    @Test
    void maxPoolDilations() {
        Graph g = check(pool(12, "MaxPool", 9, 9, ints("kernel_shape", 2, 3), ints("dilations", 2, 2),
                ints("strides", 1, 2)), 84);
        assertEquals(Shape.of(1, 2, 7, 3), g.outputShape());
        check(pool(12, "MaxPool", 9, 9, ints("kernel_shape", 3, 3), ints("dilations", 2, 1), ints("pads", 2, 1, 2, 1)), 85);
    }

    @Test
    void maxPoolCeilMode() {
        Graph g = check(pool(12, "MaxPool", 8, 9, ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                attr("ceil_mode", 1L)), 86);
        assertEquals(Shape.of(1, 2, 4, 4), g.outputShape());
        g = check(pool(12, "MaxPool", 8, 8, ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1),
                attr("ceil_mode", 1L)), 87);
        assertEquals(Shape.of(1, 2, 5, 5), g.outputShape());
    }

    /**
     * ceil_mode never adds a window that would start in the end padding ("sliding windows that would
     * start in the right padded region are ignored", as in PyTorch). ONNX Runtime 1.20 keeps such
     * windows and fills them with -FLT_MAX, so this is checked by hand.
     */
    @Test
    void maxPoolCeilModeDropsWindowsStartingInThePadding() {
        // 8 rows, kernel 2, stride 3, pads 1: windows start at -1, 2, 5; a fourth would start at 8, in the padding.
        Graph g = OnnxLoader.load(OnnxModels.builder(12).input("x", 1, 1, 8, 8).node("MaxPool", List.of("x"), "y",
                ints("kernel_shape", 2, 2), ints("strides", 3, 3), ints("pads", 1, 1, 1, 1), attr("ceil_mode", 1L))
                .output("y").bytes(), "t");
        assertEquals(Shape.of(1, 1, 3, 3), g.outputShape());
        double[] x = new double[64];
        for (int i = 0; i < 64; i++) {
            x[i] = i + 1;
        }
        // Maxima at rows/cols 0, 3, 6.
        assertArrayEquals(new double[] {1, 4, 7, 25, 28, 31, 49, 52, 55}, g.forward(x), 0.0);
    }

    @Test
    void maxPoolPaddingNeverWins() {
        // All inputs negative: a zero from the padding must never be the maximum.
        Graph g = OnnxLoader.load(pool(12, "MaxPool", 2, 2, ints("kernel_shape", 2, 2), ints("pads", 1, 1, 1, 1)).bytes(), "t");
        double[] y = g.forward(new double[] {-1, -2, -3, -4, -5, -6, -7, -8});
        assertArrayEquals(new double[] {-1, -1, -2, -1, -1, -2, -3, -3, -4, -5, -5, -6, -5, -5, -6, -7, -7, -8}, y, 0.0);
    }

    @Test
    void autoPad() {
        for (String pad : new String[] {"SAME_UPPER", "SAME_LOWER"}) {
            Graph g = check(pool(11, "MaxPool", 7, 8, ints("kernel_shape", 2, 3), ints("strides", 2, 2),
                    attr("auto_pad", pad)), 89);
            assertEquals(Shape.of(1, 2, 4, 4), g.outputShape());
            check(pool(11, "AveragePool", 7, 8, ints("kernel_shape", 2, 3), ints("strides", 2, 2), attr("auto_pad", pad)), 90);
            check(pool(11, "AveragePool", 7, 8, ints("kernel_shape", 2, 3), attr("auto_pad", pad),
                    attr("count_include_pad", 1L)), 91);
        }
        Graph g = check(pool(11, "AveragePool", 7, 8, ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                attr("auto_pad", "VALID")), 92);
        assertEquals(Shape.of(1, 2, 3, 3), g.outputShape());
    }

    @Test
    void globalAveragePool() {
        Graph g = check(OnnxModels.builder(13).input("x", -1, 3, 5, 4).node("GlobalAveragePool", List.of("x"), "y")
                .output("y"), 88);
        assertEquals(Shape.of(1, 3, 1, 1), g.outputShape());
    }
}
