package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

class BoundContextTest {
    @Test
    void sharedIntermediatesGiveTheSameBoundsAsFreshComputations() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(11, 6, 20, 20, 4).bytes(), "mlp.onnx");
        Random rng = new Random(5);
        double[] x = new double[6];
        for (int i = 0; i < 6; i++) {
            x[i] = rng.nextDouble();
        }
        InputDomain box = new LinfBall(x, 0.1);
        BoundContext ctx = new BoundContext(g, box);
        for (String m : BoundMethods.NAMES) {
            for (Spec spec : new Spec[] {Spec.identity(4), Spec.margins(2, 4)}) {
                Bounds shared = ctx.compute(BoundMethods.byName(m), spec);
                Bounds fresh = BoundMethods.byName(m).compute(g, box, spec);
                assertArrayEquals(fresh.lower(), shared.lower(), 0.0, m);
                assertArrayEquals(fresh.upper(), shared.upper(), 0.0, m);
            }
        }
        assertSame(ctx.crownIntermediates(), ctx.crownIntermediates());
    }
}
