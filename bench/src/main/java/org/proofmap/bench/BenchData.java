package org.proofmap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds {@code ../shared} for benchmarks: {@code -Dproofmap.shared=DIR}, else a {@code shared} folder beside an ancestor of the working directory. */
public final class BenchData {
    private BenchData() {}

    public static Path shared() {
        String p = System.getProperty("proofmap.shared", System.getenv("PROOFMAP_SHARED"));
        if (p != null) {
            return Paths.get(p);
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null && d.getParent() != null; d = d.getParent()) {
            Path s = d.resolveSibling("shared");
            if (Files.isDirectory(s.resolve("models-ref"))) {
                return s;
            }
        }
        throw new IllegalStateException("../shared not found; pass -Dproofmap.shared=DIR");
    }

    /** The benchmark models by short name. */
    public static Path model(String name) {
        Path s = shared();
        return switch (name) {
            case "acasxu_1_1" -> s.resolve("benchmarks/acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx");
            case "mnist256x6" -> s.resolve("benchmarks/mnist_fc/onnx/mnist-net_256x6.onnx");
            case "mnist256x2" -> s.resolve("benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx");
            case "cnn_small" -> s.resolve("models-ref/cnn_small.onnx");
            case "mlp_784_100_100_10" -> s.resolve("models-ref/mlp_784_100_100_10.onnx");
            case "mlp_5_50_50_5" -> s.resolve("models-ref/mlp_5_50_50_5.onnx");
            default -> throw new IllegalArgumentException("unknown benchmark model " + name);
        };
    }
}
