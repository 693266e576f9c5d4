package org.proofmap.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.onnx.proto.OnnxProto.AttributeProto;
import org.proofmap.onnx.proto.OnnxProto.GraphProto;
import org.proofmap.onnx.proto.OnnxProto.ModelProto;
import org.proofmap.onnx.proto.OnnxProto.NodeProto;
import org.proofmap.onnx.proto.OnnxProto.TensorProto;
import org.proofmap.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * ONNX Runtime as the reference forward pass for tests. Inputs are given as doubles, one flattened
 * NCHW sample per row in the model's declared input shape with batch 1 (a symbolic batch dimension
 * is run as 1); outputs come back as doubles.
 *
 * <p>ORT computes a float32 model in float32, and inputs are rounded to float32 on the way in: use
 * {@link #floats} or {@link #uniformInputs} so that Proofmap (in double) sees exactly the same
 * numbers. {@link #toFloat64} turns a model into the same model in float64, which ORT computes in
 * double where its CPU kernels allow; {@link #compare} uses both.
 */
public final class OrtReference {
    /** Default tolerance of {@link #maxRelativeDifference} for Proofmap (double) against ORT (float32). */
    public static final double TOLERANCE = 1e-5;
    /** Tolerance against ORT running the model in float64: both sides then compute in double. */
    public static final double FLOAT64_TOLERANCE = 1e-9;

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtReference() {}

    /** The reference outputs: one row per sample, and the shape of one sample's output (batch 1). */
    public record Outputs(double[][] values, long[] sampleShape) {}

    /** Runs the model in {@code file} on each row of {@code inputs}. */
    public static double[][] run(Path file, double[][] inputs) {
        try {
            return run(Files.readAllBytes(file), inputs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the serialised model on each row of {@code inputs} and returns the first output of each. */
    public static double[][] run(byte[] model, double[][] inputs) {
        return evaluate(model, inputs).values();
    }

    /**
     * Runs the model on each row of {@code inputs}, one call per sample (batch 1, whether the declared
     * batch dimension is 1 or a symbol).
     */
    public static Outputs evaluate(byte[] model, double[][] inputs) {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = ENV.createSession(model, opts)) {
                Map<String, NodeInfo> inputInfo = session.getInputInfo();
                if (inputInfo.size() != 1) {
                    throw new IllegalArgumentException("the model has " + inputInfo.size() + " inputs " + inputInfo.keySet());
                }
                var entry = inputInfo.entrySet().iterator().next();
                String name = entry.getKey();
                TensorInfo info = (TensorInfo) entry.getValue().getInfo();
                long[] declared = info.getShape();
                boolean doubleInput = info.type == OnnxJavaType.DOUBLE;
                if (declared.length == 0) {
                    throw new IllegalArgumentException("scalar model input");
                }
                for (int i = 1; i < declared.length; i++) {
                    if (declared[i] < 0) {
                        throw new IllegalArgumentException("symbolic input dimension " + i + " in " + Arrays.toString(declared));
                    }
                }
                boolean symbolicBatch = declared[0] < 0;
                if (!symbolicBatch && declared[0] != 1) {
                    throw new IllegalArgumentException("fixed batch " + declared[0]);
                }
                long[] sample = declared.clone();
                sample[0] = 1;
                int sampleSize = Math.toIntExact(Arrays.stream(sample).reduce(1, Math::multiplyExact));
                for (double[] in : inputs) {
                    if (in.length != sampleSize) {
                        throw new IllegalArgumentException("input of " + in.length + " values for shape "
                                + Arrays.toString(sample));
                    }
                }
                double[][] out = new double[inputs.length][];
                long[] sampleShape = null;
                // One call per sample: with a symbolic batch dimension a batched call would do, but the
                // batch dimension need not lead the output (after a Transpose), so samples could not be
                // told apart in it.
                for (int from = 0; from < inputs.length;) {
                    int n = 1;
                    double[] buf = new double[n * sampleSize];
                    for (int s = 0; s < n; s++) {
                        System.arraycopy(inputs[from + s], 0, buf, s * sampleSize, sampleSize);
                    }
                    long[] shape = sample.clone();
                    shape[0] = n;
                    try (OnnxTensor t = tensor(buf, shape, doubleInput);
                            OrtSession.Result r = session.run(Map.of(name, t))) {
                        OnnxTensor o = (OnnxTensor) r.get(0);
                        long[] os = o.getInfo().getShape();
                        DoubleBuffer fb = doubles(o);
                        int total = fb.remaining();
                        if (total % n != 0) {
                            throw new IllegalStateException("output of " + total + " values for batch " + n);
                        }
                        int per = total / n;
                        for (int s = 0; s < n; s++) {
                            double[] row = new double[per];
                            for (int i = 0; i < per; i++) {
                                row[i] = fb.get(s * per + i);
                            }
                            out[from + s] = row;
                        }
                        if (sampleShape == null) {
                            sampleShape = os.clone();
                        }
                    }
                    from += n;
                }
                return new Outputs(out, sampleShape);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private static OnnxTensor tensor(double[] values, long[] shape, boolean asDouble) throws OrtException {
        if (asDouble) {
            return OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(values), shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(f), shape);
    }

    private static DoubleBuffer doubles(OnnxTensor o) {
        if (o.getInfo().type == OnnxJavaType.DOUBLE) {
            return o.getDoubleBuffer();
        }
        FloatBuffer fb = o.getFloatBuffer();
        double[] d = new double[fb.remaining()];
        for (int i = 0; i < d.length; i++) {
            d[i] = fb.get(i);
        }
        return DoubleBuffer.wrap(d);
    }

    /**
     * The same model computing in float64: float32 initializers, Constant tensors, inputs, outputs and
     * intermediate value declarations become float64 (exactly: every float32 is a double), and Casts to
     * float become Casts to double. ORT then serves as a float64 reference, where its CPU kernels
     * support doubles (Gemm, MatMul, element-wise operators, Relu...; not Conv).
     */
    public static byte[] toFloat64(byte[] model) {
        ModelProto m = OnnxLoader.parse(model, "model");
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            g.setInitializer(i, toDouble(g.getInitializer(i)));
        }
        for (var list : List.of(g.getInputBuilderList(), g.getOutputBuilderList(), g.getValueInfoBuilderList())) {
            for (ValueInfoProto.Builder vi : list) {
                var tt = vi.getTypeBuilder().getTensorTypeBuilder();
                if (tt.getElemType() == TensorProto.DataType.FLOAT_VALUE) {
                    tt.setElemType(TensorProto.DataType.DOUBLE_VALUE);
                }
            }
        }
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals("ConstantOfShape") && n.getAttributeList().stream().noneMatch(a -> a.getName().equals("value"))) {
                n.addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE_VALUE).addDims(1).addDoubleData(0)));
            }
            if (n.getOpType().equals("Constant")) {
                for (AttributeProto.Builder a : n.getAttributeBuilderList()) {
                    if (a.getName().equals("value_float") || a.getName().equals("value_floats")) {
                        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE_VALUE);
                        if (a.getName().equals("value_float")) {
                            t.addDoubleData(a.getF());
                        } else {
                            a.getFloatsList().forEach(f -> t.addDoubleData(f));
                            t.addDims(a.getFloatsCount());
                        }
                        a.clear().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t);
                    }
                }
            }
            for (AttributeProto.Builder a : n.getAttributeBuilderList()) {
                if (a.hasT()) {
                    a.setT(toDouble(a.getT()));
                }
                if (n.getOpType().equals("Cast") && a.getName().equals("to") && a.getI() == TensorProto.DataType.FLOAT_VALUE) {
                    a.setI(TensorProto.DataType.DOUBLE_VALUE);
                }
            }
        }
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    private static TensorProto toDouble(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            return t;
        }
        float[] f;
        if (t.hasRawData()) {
            FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            f = new float[fb.remaining()];
            fb.get(f);
        } else {
            f = new float[t.getFloatDataCount()];
            for (int i = 0; i < f.length; i++) {
                f[i] = t.getFloatData(i);
            }
        }
        TensorProto.Builder b = t.toBuilder().clearRawData().clearFloatData().setDataType(TensorProto.DataType.DOUBLE_VALUE);
        for (float v : f) {
            b.addDoubleData(v);
        }
        return b.build();
    }

    /**
     * {@code max_i |a_i − b_i| / max(max_j |b_j|, 1e-6)}, with {@code b} the reference.
     *
     * <p>The difference is taken relative to the scale of the whole output vector, not element by
     * element: the reference computes in float32, so each element carries an absolute rounding error
     * of about 1e-7 times the magnitudes summed into it, and an output that happens to be near zero
     * (a logit close to 0, a ReLU just above its kink) would show a huge element-wise relative error
     * that says nothing about our arithmetic. The 1e-6 floor keeps an all-zero output from dividing by
     * zero.
     */
    public static double maxRelativeDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("output lengths differ: " + a.length + " vs reference " + b.length);
        }
        double scale = 0;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        scale = Math.max(scale, 1e-6);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d / scale);
        }
        return worst;
    }

    /** The values rounded to float32 (so both sides of a comparison see the same input). */
    public static double[] floats(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    /** {@code samples} inputs of {@code size} values uniform in [lo, hi), already rounded to float32. */
    public static double[][] uniformInputs(Random rng, int samples, int size, double lo, double hi) {
        double[][] x = new double[samples][size];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < size; i++) {
                x[s][i] = (float) (lo + (hi - lo) * rng.nextDouble());
            }
        }
        return x;
    }

    /**
     * How far Proofmap's outputs are from ONNX Runtime's over a set of inputs: the largest
     * {@link #maxRelativeDifference} against ORT in float32 (the model as it is), and against ORT in
     * float64 (the model through {@link #toFloat64}), or NaN when ORT has no float64 kernel for one of
     * its operators. {@code worst} describes the sample farthest from the float32 reference.
     */
    public record Comparison(double float32, double float64, String worst) {
        public boolean hasFloat64() {
            return !Double.isNaN(float64);
        }
    }

    /**
     * Runs Proofmap and ORT on {@code inputs} and compares them. Asserts on the way that the output
     * shapes agree (batch 1) and that a batched {@link ForwardPass} over all inputs reproduces the
     * single-sample results bit for bit.
     */
    public static Comparison compare(Graph g, byte[] model, double[][] inputs) {
        Outputs ref = evaluate(model, inputs);
        long[] ours = Arrays.stream(g.outputShape().dims()).asLongStream().toArray();
        assertArrayEquals(ref.sampleShape(), ours, "output shape: ORT " + Arrays.toString(ref.sampleShape())
                + ", Proofmap " + g.outputShape());
        Outputs ref64 = null;
        try {
            ref64 = evaluate(toFloat64(model), inputs);
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("NOT_IMPLEMENTED")) {
                throw e;
            }
        }
        double[][] single = new double[inputs.length][];
        double worst32 = 0;
        double worst64 = ref64 == null ? Double.NaN : 0;
        String worst = "";
        for (int s = 0; s < inputs.length; s++) {
            single[s] = g.forward(inputs[s]);
            double d = maxRelativeDifference(single[s], ref.values()[s]);
            if (d >= worst32) {
                worst32 = d;
                worst = "sample " + s + "\n  Proofmap " + Arrays.toString(single[s]) + "\n  ORT f32  "
                        + Arrays.toString(ref.values()[s])
                        + (ref64 == null ? "" : "\n  ORT f64  " + Arrays.toString(ref64.values()[s]));
            }
            if (ref64 != null) {
                worst64 = Math.max(worst64, maxRelativeDifference(single[s], ref64.values()[s]));
            }
        }
        assertBatchMatchesSingle(g, inputs, single);
        return new Comparison(worst32, worst64, worst);
    }

    /**
     * Loads {@code model} with {@link OnnxLoader}, runs it and ONNX Runtime on {@code samples} random
     * inputs uniform in [lo, hi) (seeded), and asserts: same output shape; max relative difference
     * against float32 ORT at most {@link #TOLERANCE} at every sample; where ORT can run the model in
     * float64, at most {@link #FLOAT64_TOLERANCE} against that (which would catch weights or
     * intermediate values accidentally rounded to float32); and a batched {@link ForwardPass} that
     * gives bit-for-bit the single-sample results. Returns the loaded graph for further checks.
     */
    public static Graph assertMatchesOrt(byte[] model, long seed, int samples, double lo, double hi) {
        Graph g = OnnxLoader.load(model, "test-model");
        double[][] inputs = uniformInputs(new Random(seed), samples, g.inputSize(), lo, hi);
        assertMatchesOrt(g, model, inputs);
        return g;
    }

    /** Like {@link #assertMatchesOrt(byte[], long, int, double, double)}, on given inputs. */
    public static Comparison assertMatchesOrt(Graph g, byte[] model, double[][] inputs) {
        Comparison c = compare(g, model, inputs);
        assertTrue(c.float32() <= TOLERANCE, () -> "max relative difference to ORT (float32) " + c.float32() + " > "
                + TOLERANCE + " at " + c.worst());
        if (c.hasFloat64()) {
            assertTrue(c.float64() <= FLOAT64_TOLERANCE, () -> "max relative difference to ORT (float64) "
                    + c.float64() + " > " + FLOAT64_TOLERANCE + "; worst float32 " + c.worst());
        }
        return c;
    }

    /** A {@link ForwardPass} over all inputs at once reproduces {@code single} exactly. */
    public static void assertBatchMatchesSingle(Graph g, double[][] inputs, double[][] single) {
        int in = g.inputSize();
        int out = g.outputSize();
        double[] flat = new double[inputs.length * in];
        for (int s = 0; s < inputs.length; s++) {
            System.arraycopy(inputs[s], 0, flat, s * in, in);
        }
        double[] copy = flat.clone();
        double[] batched = new ForwardPass(g, inputs.length).run(flat, inputs.length);
        assertArrayEquals(copy, flat, "the forward pass modified its input");
        assertTrue(batched.length >= inputs.length * out, "output buffer too short: " + batched.length);
        for (int s = 0; s < inputs.length; s++) {
            assertArrayEquals(single[s], Arrays.copyOfRange(batched, s * out, (s + 1) * out), 0.0,
                    "batched sample " + s + " differs from the single-sample result");
        }
    }
}
