package org.proofmap.bench;

import java.util.Random;
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
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;

/**
 * Forward pass of one ACAS Xu net, mnist-net_256x6 and cnn_small, one sample and a batch of 100,
 * on one thread. Reported per call (divide the batch figure by 100 for the per-sample cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class ForwardBenchmark {
    @Param({"acasxu_1_1", "mnist256x6", "cnn_small"})
    public String model;

    @Param({"1", "100"})
    public int batch;

    private ForwardPass pass;
    private double[] inputs;

    @Setup
    public void setUp() {
        Graph g = OnnxLoader.load(BenchData.model(model));
        pass = new ForwardPass(g, batch);
        Random rng = new Random(7);
        inputs = new double[batch * g.inputSize()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rng.nextDouble();
        }
    }

    @Benchmark
    public double[] forward() {
        return pass.run(inputs, batch);
    }
}
