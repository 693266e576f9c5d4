package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;
import static org.proofmap.testing.OnnxModels.ints;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.onnx.proto.OnnxProto.AttributeProto;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Conv against ONNX Runtime: strides, pads, dilations, groups, auto_pad, with and without bias. */
class ConvTest {
    /**
     * Conv of an input 1 x c x h x w with weights m x (c/group) x kh x kw (and a bias when asked),
     * checked against ORT; returns the graph.
     */
    private static Graph conv(long seed, int c, int h, int w, int m, int group, int kh, int kw, boolean bias,
            AttributeProto... attrs) {
        Random r = new Random(seed);
        OnnxModels b = OnnxModels.builder(13).input("x", 1, c, h, w)
                .initializer("W", gaussian(r, m * (c / group) * kh * kw, 0.5), m, c / group, kh, kw);
        List<String> in = new ArrayList<>(List.of("x", "W"));
        if (bias) {
            b.initializer("B", gaussian(r, m, 1), m);
            in.add("B");
        }
        List<AttributeProto> all = new ArrayList<>(List.of(attrs));
        if (group != 1) {
            all.add(attr("group", (long) group));
        }
        b.node("Conv", in, "y", all.toArray(new AttributeProto[0])).output("y");
        return OrtReference.assertMatchesOrt(b.bytes(), seed + 1000, 5, -1, 1);
    }

    @Test
    void plainWithBias() {
        Graph g = conv(1, 3, 7, 8, 4, 1, 3, 3, true, ints("kernel_shape", 3, 3));
        assertEquals(Shape.of(1, 4, 5, 6), g.outputShape());
        assertEquals(4 * 3 * 9 + 4, g.parameterCount());
    }

    @Test
    void withoutBias() {
        conv(2, 2, 6, 6, 3, 1, 2, 3, false);
        conv(3, 3, 5, 5, 2, 1, 1, 1, false); // 1x1
    }

    @Test
    void stridesAndAsymmetricPads() {
        Graph g = conv(4, 3, 7, 8, 4, 1, 3, 3, true, ints("strides", 2, 1), ints("pads", 1, 0, 2, 1));
        assertEquals(Shape.of(1, 4, 4, 7), g.outputShape());
        conv(5, 2, 9, 9, 2, 1, 3, 2, false, ints("strides", 3, 2), ints("pads", 0, 2, 1, 0));
    }

    @Test
    void dilations() {
        conv(6, 2, 9, 10, 3, 1, 3, 3, true, ints("dilations", 2, 2), ints("pads", 2, 2, 2, 2));
        conv(7, 2, 9, 10, 3, 1, 2, 3, true, ints("dilations", 3, 1), ints("strides", 2, 2), ints("pads", 1, 0, 0, 1));
    }

    @Test
    void groups() {
        conv(8, 4, 6, 6, 6, 2, 3, 3, true, ints("pads", 1, 1, 1, 1));
    }

    @Test
    void depthwise() {
        conv(9, 3, 6, 7, 3, 3, 3, 3, true, ints("pads", 1, 1, 1, 1));
        conv(10, 3, 6, 7, 6, 3, 3, 3, false, ints("strides", 2, 2)); // channel multiplier 2
    }

    @Test
    void autoPad() {
        // Even kernels and strides make the SAME padding asymmetric: UPPER and LOWER then differ.
        Graph up = conv(11, 2, 7, 8, 3, 1, 4, 3, true, attr("auto_pad", "SAME_UPPER"), ints("strides", 2, 2));
        assertEquals(Shape.of(1, 3, 4, 4), up.outputShape());
        conv(11, 2, 7, 8, 3, 1, 4, 3, true, attr("auto_pad", "SAME_LOWER"), ints("strides", 2, 2));
        conv(12, 2, 6, 6, 3, 1, 2, 2, true, attr("auto_pad", "SAME_LOWER"));
        conv(12, 2, 6, 6, 3, 1, 2, 2, true, attr("auto_pad", "SAME_UPPER"));
        Graph valid = conv(13, 2, 7, 8, 3, 1, 3, 3, false, attr("auto_pad", "VALID"), ints("strides", 2, 2));
        assertEquals(Shape.of(1, 3, 3, 3), valid.outputShape());
    }

    /**
     * SAME padding with dilations (ORT 1.20 refuses this combination): the same as explicit pads
     * summing to {@code (ceil(in/stride)-1)*stride + (k-1)*dilation + 1 - in}, the odd one at the end
     * for SAME_UPPER and at the start for SAME_LOWER; the explicit form is checked against ORT.
     */
    @Test
    void autoPadWithDilations() {
        // H 7, kernel 3, dilation 2: total 4 -> 2 + 2. W 9, kernel 2, dilation 3: total 3 -> 1 + 2 or 2 + 1.
        Graph upper = conv(16, 2, 7, 9, 2, 1, 3, 2, true, ints("dilations", 2, 3), ints("pads", 2, 1, 2, 2));
        Graph lower = conv(16, 2, 7, 9, 2, 1, 3, 2, true, ints("dilations", 2, 3), ints("pads", 2, 2, 2, 1));
        assertEquals(Shape.of(1, 2, 7, 9), upper.outputShape());
        for (String mode : new String[] {"SAME_UPPER", "SAME_LOWER"}) {
            Random r = new Random(16); // the weights conv(16, ...) drew
            Graph auto = org.proofmap.onnx.OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 2, 7, 9)
                    .initializer("W", gaussian(r, 2 * 2 * 3 * 2, 0.5), 2, 2, 3, 2).initializer("B", gaussian(r, 2, 1), 2)
                    .node("Conv", List.of("x", "W", "B"), "y", attr("auto_pad", mode), ints("dilations", 2, 3)).output("y")
                    .bytes(), "t");
            Graph explicit = mode.equals("SAME_UPPER") ? upper : lower;
            double[] x = OrtReference.uniformInputs(new Random(160), 1, 2 * 7 * 9, -1, 1)[0];
            org.junit.jupiter.api.Assertions.assertArrayEquals(explicit.forward(x), auto.forward(x), 0.0, mode);
        }
    }

    @Test
    void chainedWithReluAndSymbolicBatch() {
        Random r = new Random(14);
        byte[] m = OnnxModels.builder(11).input("x", -1, 1, 8, 8)
                .initializer("W1", gaussian(r, 4 * 9, 0.5), 4, 1, 3, 3).initializer("B1", gaussian(r, 4, 0.1), 4)
                .initializer("W2", gaussian(r, 2 * 4 * 4, 0.5), 2, 4, 2, 2)
                .node("Conv", List.of("x", "W1", "B1"), "c1", ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .node("Relu", List.of("c1"), "r1").node("Conv", List.of("r1", "W2"), "y").output("y").bytes();
        OrtReference.assertMatchesOrt(m, 15, 5, 0, 1);
    }
}
