package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.proofmap.attack.AttackResult;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.LinfBall;
import org.proofmap.bounds.Spec;
import org.proofmap.datasets.Datasets;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;

/** {@code proofmap certify} and the pt-lirpa options of {@code proofmap bounds}. */
class CertifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The JSON has the documented keys; each radius is proved by its method and the radius plus twice
     * the tolerance is not (the bisection's bracket); pt-lirpa >= crown (never looser).
     */
    @Test
    void certifiesByBisection() throws Exception {
        Path model = SharedData.resolve("models-ref/mlp_784_100_100_10.onnx");
        Path data = SharedData.resolve("datasets/mnist_test_100.csv");
        JsonNode j = JSON.readTree(Cli.ok("certify", model.toString(), "--dataset", data.toString(), "--index", "0",
                "--range", "0,0.2", "--tol", "1e-3", "--json").out());
        Graph g = OnnxLoader.load(model);
        double[] x = Datasets.open(data).get(0).features();
        int label = Graph.argmax(g.forward(x));
        assertEquals(label, j.get("label").asInt());
        JsonNode eps = j.get("certified_eps");
        assertEquals(3, eps.size());
        for (String m : new String[] {"crown", "alpha-crown", "pt-lirpa"}) {
            double e = eps.get(m).asDouble();
            assertTrue(e > 0 && e < 0.2, m + " " + e);
            assertTrue(proves(g, x, label, m, e), m);
            assertTrue(!proves(g, x, label, m, e + 2e-3), m);
        }
        assertTrue(eps.get("pt-lirpa").asDouble() >= eps.get("crown").asDouble() - 1e-3, eps::toString);
        assertTrue(j.get("pt_lirpa").get("probabilistic").asBoolean());
        assertEquals(0.99, j.get("pt_lirpa").get("confidence").asDouble());
    }

    /**
     * {@code --attack} bounds every sound radius from above: the attacked radius is broken (an input of
     * another label found again by the same attack and checked here by a forward pass) and lies above
     * CROWN's and alpha-CROWN's certified radii; pt-lirpa says whether the attack capped it.
     */
    @Test
    void theAttackBoundsEverySoundRadiusFromAbove() throws Exception {
        Path model = SharedData.resolve("models-ref/mlp_784_100_100_10.onnx");
        Path data = SharedData.resolve("datasets/mnist_test_100.csv");
        JsonNode j = JSON.readTree(Cli.ok("certify", model.toString(), "--dataset", data.toString(), "--index", "0",
                "--range", "0,0.2", "--tol", "1e-3", "--attack", "--json").out());
        Graph g = OnnxLoader.load(model);
        double[] x = Datasets.open(data).get(0).features();
        int label = j.get("label").asInt();
        assertTrue(j.get("attacked_eps").isNumber(), j::toString);
        double broken = j.get("attacked_eps").asDouble();
        assertTrue(broken > 0 && broken <= 0.2, j::toString);
        for (String m : new String[] {"crown", "alpha-crown"}) {
            assertTrue(j.get("certified_eps").get(m).asDouble() < broken, m + ": " + j);
        }
        AttackResult a = Pgd.misclassify(g, new LinfBall(x, broken, 0, 1), label, Pgd.Options.defaults());
        assertTrue(a.found());
        assertTrue(new LinfBall(x, broken, 0, 1).contains(a.input(), 0.0));
        assertTrue(Graph.argmax(g.forward(a.input())) != label);
        assertTrue(j.get("pt_lirpa").get("capped_by_attack").isBoolean(), j::toString);
        assertTrue(j.get("attack_seconds").asDouble() >= 0);

        String text = Cli.ok("certify", model.toString(), "--dataset", data.toString(), "--index", "0",
                "--method", "crown", "--range", "0,0.2", "--tol", "1e-3", "--attack").out();
        assertTrue(text.contains("attack:   PGD breaks the ball at eps " + broken), text);
    }

    private static boolean proves(Graph g, double[] x, int label, String m, double eps) {
        Bounds b = new BoundContext(g, new LinfBall(x, eps, 0, 1)).compute(BoundMethods.byName(m),
                Spec.margins(label, g.outputSize()));
        for (int r = 0; r < b.rows(); r++) {
            if (!(b.lower(r) > 0)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void boundsShowsTheProbabilisticProvenance() throws Exception {
        Path model = SharedData.resolve("models-ref/mlp_5_50_50_5.onnx");
        Path center = SharedData.resolve("models-ref/center_mlp_5_50_50_5_0.csv");
        JsonNode j = JSON.readTree(Cli.ok("bounds", model.toString(), "--center", center.toString(), "--eps", "0.05",
                "--method", "pt-lirpa", "--samples", "500", "--confidence", "0.95", "--json").out());
        JsonNode s = j.get("settings");
        assertTrue(s.get("probabilistic").asBoolean());
        assertEquals(0.95, s.get("confidence").asDouble());
        assertEquals(500, s.get("samples").asInt());
        assertEquals("weibull-tail-pivot", s.get("estimator").asText());
        String text = Cli.ok("bounds", model.toString(), "--center", center.toString(), "--eps", "0.05", "--method",
                "pt-lirpa").out();
        assertTrue(text.contains("probabilistic true"), text);
        Cli.Result bad = Cli.run("bounds", model.toString(), "--center", center.toString(), "--eps", "0.05",
                "--samples", "500");
        assertEquals(2, bad.code(), bad.err());
        Cli.Result badConf = Cli.run("bounds", model.toString(), "--center", center.toString(), "--eps", "0.05",
                "--method", "pt-lirpa", "--confidence", "1.5");
        assertEquals(2, badConf.code(), badConf.err());
    }
}
