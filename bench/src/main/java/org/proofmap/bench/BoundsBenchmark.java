package org.proofmap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.LinfBall;
import org.proofmap.bounds.Spec;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;

/**
 * Each bound method on each models-ref model (centre 0, both reference radii) and on
 * mnist-net_256x6, one thread, identity spec: the same computation auto_LiRPA timed for
 * {@code models-ref/reference_bounds.json} (compute only, model loading excluded).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class BoundsBenchmark {
    @Param({"mlp_5_50_50_5:0.01", "mlp_5_50_50_5:0.05", "mlp_tanh_5_50_50_5:0.01", "mlp_tanh_5_50_50_5:0.05",
        "mlp_784_100_100_10:0.005", "mlp_784_100_100_10:0.02", "cnn_small:0.005", "cnn_small:0.02",
        "mnist256x6:0.02"})
    public String modelEps;

    @Param({"ibp", "crown", "alpha-crown"})
    public String method;

    private Graph graph;
    private LinfBall box;
    private Spec spec;
    private BoundMethod bounds;

    @Setup
    public void setUp() {
        String[] parts = modelEps.split(":");
        String model = parts[0];
        double eps = Double.parseDouble(parts[1]);
        graph = OnnxLoader.load(model.startsWith("mnist") ? BenchData.model(model)
                : BenchData.shared().resolve("models-ref/" + model + ".onnx"));
        box = new LinfBall(center(model), eps);
        spec = Spec.identity(graph.outputSize());
        bounds = BoundMethods.byName(method);
    }

    /** Centre 0 of models-ref; for the mnist_fc nets, MNIST test image 0 scaled to [0,1]. */
    static double[] center(String model) {
        try {
            if (model.startsWith("mnist")) {
                String line = java.nio.file.Files.readAllLines(BenchData.shared().resolve("datasets/mnist_test_100.csv"))
                        .get(0);
                String[] v = line.split(",");
                double[] x = new double[v.length - 1];
                for (int i = 1; i < v.length; i++) {
                    x[i - 1] = Double.parseDouble(v[i]) / 255.0;
                }
                return x;
            }
            JsonNode c = new ObjectMapper().readTree(BenchData.shared().resolve("models-ref/centers.json").toFile())
                    .get(model).get("centers").get(0);
            double[] x = new double[c.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = c.get(i).asDouble();
            }
            return x;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public Bounds compute() {
        return bounds.compute(graph, box, spec);
    }
}
