package org.proofmap.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proofmap.ProofmapException;
import org.proofmap.onnx.proto.OnnxProto.ModelProto;
import org.proofmap.onnx.proto.OnnxProto.TensorProto;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;

/**
 * Models the loader must reject with a {@link ProofmapException} that names the file and says what
 * is wrong (and where: the node, the initializer).
 */
class OnnxLoaderErrorsTest {
    private static final String SOURCE = "bad.onnx";

    /** Loads {@code bytes}, expects a ProofmapException attributed to the file, and returns its message. */
    private static String failure(byte[] bytes) {
        ProofmapException e = assertThrows(ProofmapException.class, () -> OnnxLoader.load(bytes, SOURCE));
        assertEquals(SOURCE, e.file());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        assertTrue(e.oneLine().startsWith(SOURCE + ": "), e.oneLine());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
        }
    }

    @Test
    void gemmInnerDimensionsDiffer() {
        Random r = new Random(1);
        String msg = failure(OnnxModels.builder(13).input("x", 1, 6).initializer("W", gaussian(r, 20, 1), 5, 4)
                .node("Gemm", List.of("x", "W"), "y").output("y").bytes());
        assertContains(msg, "gemm_0", "inner dimensions");
        msg = failure(OnnxModels.builder(13).input("x", 1, 6).initializer("W", gaussian(r, 24, 1), 6, 4)
                .node("Gemm", List.of("x", "W"), "y", attr("transB", 1L)).output("y").bytes());
        assertContains(msg, "gemm_0", "inner dimensions");
        msg = failure(OnnxModels.builder(13).input("x", 1, 6).initializer("W", gaussian(r, 20, 1), 5, 4)
                .node("MatMul", List.of("x", "W"), "y").output("y").bytes());
        assertContains(msg, "matmul_0", "inner dimensions");
    }

    @Test
    void convChannelMismatch() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 3, 5, 5)
                .initializer("W", gaussian(new Random(2), 2 * 2 * 9, 1), 2, 2, 3, 3).node("Conv", List.of("x", "W"), "y")
                .output("y").bytes());
        assertContains(msg, "conv_0", "3 channels");
    }

    @Test
    void reshapeSizeMismatch() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 6).ints("s", new long[] {1, 7}, 2)
                .node("Reshape", List.of("x", "s"), "y").output("y").bytes());
        assertContains(msg, "reshape_0", "6", "1x7");
        msg = failure(OnnxModels.builder(13).input("x", 1, 6).ints("s", new long[] {4, -1}, 2)
                .node("Reshape", List.of("x", "s"), "y").output("y").bytes());
        assertContains(msg, "reshape_0", "cannot reshape");
    }

    @Test
    void addShapesDoNotBroadcast() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 3).initializer("c", new double[] {1, 2, 3, 4}, 4)
                .node("Add", List.of("x", "c"), "y").output("y").bytes());
        assertContains(msg, "add_0", "1x3", "cannot be broadcast");
    }

    @Test
    void unsupportedOperator() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 4).node("Relu", List.of("x"), "r")
                .node("Einsum", List.of("r"), "y", attr("equation", "i->i")).output("y").bytes());
        assertContains(msg, "unsupported operator", "Einsum", "einsum_1");
        // An operator of another domain, even with a familiar name.
        ModelProto m = OnnxModels.builder(13).input("x", 1, 4).node("Relu", List.of("x"), "y").output("y").model();
        ModelProto custom = m.toBuilder().setGraph(m.getGraph().toBuilder()
                .setNode(0, m.getGraph().getNode(0).toBuilder().setDomain("com.example"))).build();
        assertContains(failure(custom.toByteArray()), "unsupported operator", "com.example.Relu", "relu_0");
    }

    private static byte[] withWeight(double bad, int at) {
        double[] w = gaussian(new Random(3), 24, 1);
        w[at] = bad;
        return OnnxModels.builder(13).input("x", 1, 6).initializer("Wbad", w, 4, 6)
                .node("Gemm", List.of("x", "Wbad"), "y", attr("transB", 1L)).output("y").bytes();
    }

    @Test
    void nanAndInfiniteWeights() {
        assertContains(failure(withWeight(Double.NaN, 2)), "initializer 'Wbad'", "NaN");
        assertContains(failure(withWeight(Double.POSITIVE_INFINITY, 5)), "initializer 'Wbad'", "+Inf");
        assertContains(failure(withWeight(Double.NEGATIVE_INFINITY, 0)), "initializer 'Wbad'", "-Inf");
        // In the typed float_data field, and in a Constant node's tensor.
        byte[] typed = OnnxModels.builder(13).input("x", 1, 2)
                .initializer(OnnxModels.floatTensorTyped("c", new double[] {1, Double.NaN}, 2))
                .node("Add", List.of("x", "c"), "y").output("y").bytes();
        assertContains(failure(typed), "initializer 'c'", "NaN");
        byte[] constant = OnnxModels.builder(13).input("x", 1, 2)
                .node("Constant", List.of(), "c", OnnxModels.tensorAttr("value",
                        OnnxModels.floatTensor("cv", new double[] {Double.POSITIVE_INFINITY, 0}, 2)))
                .node("Add", List.of("x", "c"), "y").output("y").bytes();
        assertContains(failure(constant), "constant_0", "+Inf");
    }

    @Test
    void truncatedRawData() {
        ByteBuffer b = ByteBuffer.allocate(4 * 20).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 20; i++) {
            b.putFloat(i);
        }
        b.flip();
        TensorProto t = TensorProto.newBuilder().setName("W").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(4).addDims(6).setRawData(ByteString.copyFrom(b)).build();
        String msg = failure(OnnxModels.builder(13).input("x", 1, 6).initializer(t)
                .node("Gemm", List.of("x", "W"), "y", attr("transB", 1L)).output("y").bytes());
        assertContains(msg, "initializer 'W'", "80 bytes", "96", "truncated");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64, 1000, 100_000})
    void randomBytes(int size) {
        Random r = new Random(1234 + size);
        for (int k = 0; k < 5; k++) {
            byte[] bytes = new byte[size];
            r.nextBytes(bytes);
            assertContains(failure(bytes), "not a valid ONNX model");
        }
    }

    @Test
    void truncatedModel() {
        byte[] full = OnnxModels.mlp(5, 784, 100, 10).bytes();
        assertContains(failure(Arrays.copyOf(full, full.length / 2)), "not a valid ONNX model", "truncated");
    }

    @Test
    void truncatedSharedModel() throws IOException {
        Path p = SharedData.resolve("models-ref/mlp_784_100_100_10.onnx");
        byte[] full = Files.readAllBytes(p);
        assertContains(failure(Arrays.copyOf(full, full.length / 2)), "not a valid ONNX model", "truncated");
    }

    @Test
    void emptyFile(@TempDir Path dir) throws IOException {
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        ProofmapException e = assertThrows(ProofmapException.class, () -> OnnxLoader.load(empty));
        assertEquals(empty.toString(), e.file());
        assertContains(e.getMessage(), "empty");
        assertContains(failure(new byte[0]), "empty");
    }

    @Test
    void missingFileAndDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("nope.onnx");
        ProofmapException e = assertThrows(ProofmapException.class, () -> OnnxLoader.load(missing));
        assertEquals(missing.toString(), e.file());
        assertContains(e.getMessage(), "not found");
        e = assertThrows(ProofmapException.class, () -> OnnxLoader.load(dir));
        assertContains(e.getMessage(), "directory");
    }

    @Test
    void twoDataInputs() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 3).input("z", 1, 3)
                .node("Add", List.of("x", "z"), "y").output("y").bytes());
        assertContains(msg, "exactly one data input", "found 2", "x", "z");
    }

    @Test
    void unsupportedOpset() {
        String msg = failure(OnnxModels.builder(6).input("x", 1, 3).node("Relu", List.of("x"), "y").output("y").bytes());
        assertContains(msg, "opset 6", "not supported");
        msg = failure(OnnxModels.builder(99).input("x", 1, 3).node("Relu", List.of("x"), "y").output("y").bytes());
        assertContains(msg, "opset 99", "not supported");
    }

    @Test
    void undefinedInputName() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 3).node("Add", List.of("x", "nope"), "y").output("y").bytes());
        assertContains(msg, "add_0", "'nope'", "defines");
    }

    @Test
    void nodeCycle() {
        String msg = failure(OnnxModels.builder(13).input("x", 1, 3).node("Add", List.of("x", "b"), "a")
                .node("Relu", List.of("a"), "b").output("a").bytes());
        assertContains(msg, "cycle");
    }
}
