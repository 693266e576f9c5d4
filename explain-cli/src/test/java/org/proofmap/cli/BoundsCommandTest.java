package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.cli.Cli.assertBadInput;
import static org.proofmap.cli.Cli.assertDebugTrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.LinfBall;
import org.proofmap.bounds.Spec;
import org.proofmap.datasets.VectorCsv;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;

class BoundsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path fixtureModel() {
        return OnnxModels.mlp(5, 5, 8, 3).write(dir.resolve("mlp.onnx"));
    }

    private Path fixtureCenter() throws Exception {
        return Files.writeString(dir.resolve("center.csv"), "0.5,-0.25,0.125,0.75,-1\n");
    }

    private static Path sharedModel() {
        return SharedData.resolve("models-ref/mlp_5_50_50_5.onnx");
    }

    private static Path sharedCenter() {
        return SharedData.resolve("models-ref/center_mlp_5_50_50_5_0.csv");
    }

    private static Path acas(String file) {
        return SharedData.resolve("benchmarks/acasxu/" + file);
    }

    /** Runs with --json, checks for exactly one line, and parses it. */
    private static JsonNode json(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("bounds"));
        a.addAll(List.of(args));
        a.add("--json");
        Cli.Result r = Cli.ok(a.toArray(new String[0]));
        assertEquals(1, r.outLines().length, r::toString);
        assertTrue(r.out().endsWith("\n"), r::toString);
        return JSON.readTree(r.out());
    }

    private static List<String> keys(JsonNode j) {
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            assertTrue(a.get(i).isNumber(), a::toString);
            v[i] = a.get(i).doubleValue();
        }
        return v;
    }

    private static double width(JsonNode j) {
        double[] lo = doubles(j.get("lower"));
        double[] hi = doubles(j.get("upper"));
        double w = 0;
        for (int i = 0; i < lo.length; i++) {
            w += hi[i] - lo[i];
        }
        return w;
    }

    /** The single-region JSON shape: method, lower, upper, seconds first, then spec, domain, settings. */
    private static void checkSingleShape(JsonNode j, String method, int rows) {
        assertEquals(List.of("method", "lower", "upper", "seconds", "spec", "domain", "settings"), keys(j));
        assertEquals(method, j.get("method").asText());
        assertEquals(rows, j.get("lower").size(), j::toString);
        assertEquals(rows, j.get("upper").size(), j::toString);
        assertEquals(rows, j.get("spec").get("rows").size(), j::toString);
        assertTrue(j.get("seconds").isNumber() && j.get("seconds").doubleValue() >= 0, j::toString);
    }

    /**
     * For every method: the JSON parses with the documented keys, the numbers equal the Java API's
     * exactly, the forward pass at the centre lies within the bounds, and alpha-crown <= crown <= ibp
     * in total width.
     */
    private void checkBall(Path model, Path center, double eps) throws Exception {
        Graph g = OnnxLoader.load(model);
        double[] x = VectorCsv.read(center);
        double[] y = g.forward(x);
        Map<String, Double> widths = new HashMap<>();
        for (String method : BoundMethods.NAMES) {
            JsonNode j = json(model.toString(), "--center", center.toString(), "--eps", Double.toString(eps),
                    "--method", method);
            checkSingleShape(j, method, g.outputSize());
            assertEquals("identity", j.get("spec").get("kind").asText());
            assertEquals("y0", j.get("spec").get("rows").get(0).asText());
            assertEquals("linf(eps=" + eps + ")", j.get("domain").asText());
            double[] lo = doubles(j.get("lower"));
            double[] hi = doubles(j.get("upper"));
            for (int i = 0; i < y.length; i++) {
                assertTrue(lo[i] <= y[i] && y[i] <= hi[i], method + " row " + i + ": " + y[i] + " outside ["
                        + lo[i] + ", " + hi[i] + "]");
            }
            Bounds api = BoundMethods.byName(method).compute(g, new LinfBall(x, eps), Spec.identity(g.outputSize()));
            assertArrayEquals(api.lower(), lo, method);
            assertArrayEquals(api.upper(), hi, method);
            assertEquals(api.settings().get("intermediate") == null, j.get("settings").get("intermediate") == null);
            widths.put(method, width(j));
        }
        assertTrue(widths.get("alpha-crown") <= widths.get("crown"), widths::toString);
        assertTrue(widths.get("crown") <= widths.get("ibp"), widths::toString);
    }

    @Test
    void fixtureMlpEveryMethod() throws Exception {
        checkBall(fixtureModel(), fixtureCenter(), 0.05);
    }

    @Test
    void sharedMlpEveryMethod() throws Exception {
        checkBall(sharedModel(), sharedCenter(), 0.01);
    }

    @Test
    void textOutputHasTheTableInFullPrecision() throws Exception {
        Path model = sharedModel();
        Path center = sharedCenter();
        String out = Cli.ok("bounds", model.toString(), "--center", center.toString(), "--eps", "0.01",
                "--method", "alpha-crown").out();
        Graph g = OnnxLoader.load(model);
        Bounds api = BoundMethods.byName("alpha-crown").compute(g, new LinfBall(VectorCsv.read(center), 0.01),
                Spec.identity(5));
        String[] lines = out.split("\n");
        assertEquals("model:    " + model, lines[0], out);
        assertTrue(lines[1].startsWith("method:   alpha-crown (intermediate crown, iterations 20"), out);
        assertEquals("domain:   linf(eps=0.01) around " + center + " (5 inputs)", lines[2], out);
        assertEquals("spec:     identity, 5 rows", lines[3], out);
        assertTrue(lines[4].matches("time:     [0-9.e-]+ s"), out);
        assertEquals("", lines[5], out);
        assertEquals(List.of("row", "lower", "upper", "width"), List.of(lines[6].strip().split(" +")), out);
        for (int i = 0; i < 5; i++) {
            String[] cells = lines[7 + i].strip().split(" +");
            assertEquals("y" + i, cells[0], out);
            assertEquals(api.lower(i), Double.parseDouble(cells[1]), out);
            assertEquals(api.upper(i), Double.parseDouble(cells[2]), out);
            assertEquals(api.upper(i) - api.lower(i), Double.parseDouble(cells[3]), 1e-5 * (api.upper(i) - api.lower(i)));
        }
        assertEquals("", lines[12], out);
        assertTrue(lines[13].startsWith("total width: "), out);
        assertEquals(api.totalWidth(), Double.parseDouble(lines[13].substring(13)), 1e-5 * api.totalWidth());
        assertEquals(14, lines.length, out);
    }

    @Test
    void defaultsAreCrownAndIdentity() throws Exception {
        JsonNode j = json(fixtureModel().toString(), "--center", fixtureCenter().toString(), "--eps", "0.05");
        checkSingleShape(j, "crown", 3);
        assertEquals("identity", j.get("spec").get("kind").asText());
        assertEquals("crown", j.get("settings").get("intermediate").asText());
    }

    @Test
    void clipIsPassedToTheBall() throws Exception {
        Path model = fixtureModel();
        Path center = fixtureCenter();
        JsonNode j = json(model.toString(), "--center", center.toString(), "--eps", "0.5", "--clip", "0,1",
                "--method", "ibp");
        assertEquals("linf(eps=0.5, clip=[0.0,1.0])", j.get("domain").asText());
        Graph g = OnnxLoader.load(model);
        Bounds api = BoundMethods.byName("ibp").compute(g, new LinfBall(VectorCsv.read(center), 0.5, 0, 1),
                Spec.identity(3));
        assertArrayEquals(api.lower(), doubles(j.get("lower")));
        assertArrayEquals(api.upper(), doubles(j.get("upper")));
    }

    @Test
    void marginSpecs() throws Exception {
        Path model = sharedModel();
        Path center = sharedCenter();
        Graph g = OnnxLoader.load(model);
        double[] x = VectorCsv.read(center);
        double[] y = g.forward(x);
        int label = Graph.argmax(y);

        JsonNode j = json(model.toString(), "--center", center.toString(), "--eps", "0.01", "--spec", "margin");
        checkSingleShape(j, "crown", g.outputSize() - 1);
        assertEquals("margin:" + label, j.get("spec").get("kind").asText());
        Spec s = Spec.margins(label, g.outputSize());
        double[] m = s.apply(y);
        double[] lo = doubles(j.get("lower"));
        double[] hi = doubles(j.get("upper"));
        for (int r = 0; r < m.length; r++) {
            assertTrue(lo[r] <= m[r] && m[r] <= hi[r], "row " + r);
            assertEquals(s.name(r), j.get("spec").get("rows").get(r).asText());
        }
        Bounds api = BoundMethods.byName("crown").compute(g, new LinfBall(x, 0.01), s);
        assertArrayEquals(api.lower(), lo);
        assertArrayEquals(api.upper(), hi);

        int other = (label + 1) % g.outputSize();
        JsonNode k = json(model.toString(), "--center", center.toString(), "--eps", "0.01", "--spec",
                "margin:" + other, "--method", "ibp");
        checkSingleShape(k, "ibp", g.outputSize() - 1);
        assertEquals("margin:" + other, k.get("spec").get("kind").asText());
        Bounds apiK = BoundMethods.byName("ibp").compute(g, new LinfBall(x, 0.01), Spec.margins(other, 5));
        assertArrayEquals(apiK.lower(), doubles(k.get("lower")));

        String text = Cli.ok("bounds", model.toString(), "--center", center.toString(), "--eps", "0.01", "--spec",
                "margin").out();
        assertTrue(text.contains("spec:     margin:" + label + " (the label predicted at the centre), 4 rows\n"), text);
        assertTrue(text.contains("  y" + label + "-y" + other + " "), text);
    }

    /** The bounds of each case of {@code prop} through the Java API, rows of all disjuncts stacked. */
    private static List<Bounds> apiCases(Graph g, Path prop, String method) {
        Property p = VnnlibParser.parse(prop);
        List<Bounds> out = new ArrayList<>();
        for (PropertyCase pc : p.cases()) {
            List<double[]> rows = new ArrayList<>();
            for (OutputConstraint oc : pc.disjuncts()) {
                rows.addAll(List.of(oc.c()));
            }
            out.add(BoundMethods.byName(method).compute(g, new Box(pc.inputLower(), pc.inputUpper()),
                    Spec.rows(rows.toArray(new double[0][]), "vnnlib")));
        }
        return out;
    }

    @Test
    void vnnlibOneCase() throws Exception {
        Path model = acas("onnx/ACASXU_run2a_1_1_batch_2000.onnx");
        Path prop = acas("vnnlib/prop_1.vnnlib");
        Graph g = OnnxLoader.load(model);
        for (String method : List.of("ibp", "crown")) {
            JsonNode j = json(model.toString(), "--vnnlib", prop.toString(), "--method", method);
            checkSingleShape(j, method, 1);
            assertEquals("vnnlib", j.get("spec").get("kind").asText());
            List<Bounds> api = apiCases(g, prop, method);
            assertEquals(1, api.size());
            assertArrayEquals(api.get(0).lower(), doubles(j.get("lower")));
            assertArrayEquals(api.get(0).upper(), doubles(j.get("upper")));
        }
        String text = Cli.ok("bounds", model.toString(), "--vnnlib", prop.toString()).out();
        assertTrue(text.contains("property: " + prop + " (1 case)\n"), text);
        assertTrue(text.contains("\ncase 1 of 1\n"), text);
        assertTrue(text.contains("  -1·Y_0  "), text);
        assertTrue(text.contains("  total width: "), text);
    }

    @Test
    void vnnlibSeveralCases() throws Exception {
        Path model = acas("onnx/ACASXU_run2a_1_1_batch_2000.onnx");
        Path prop = acas("vnnlib/prop_6.vnnlib");
        Graph g = OnnxLoader.load(model);
        JsonNode j = json(model.toString(), "--vnnlib", prop.toString(), "--method", "crown-ibp");
        assertEquals(List.of("method", "cases", "seconds"), keys(j));
        assertEquals("crown-ibp", j.get("method").asText());
        List<Bounds> api = apiCases(g, prop, "crown-ibp");
        assertEquals(2, api.size());
        assertEquals(2, j.get("cases").size(), j::toString);
        double total = 0;
        for (int k = 0; k < 2; k++) {
            JsonNode c = j.get("cases").get(k);
            assertEquals(List.of("lower", "upper", "seconds"), keys(c).subList(0, 3));
            assertArrayEquals(api.get(k).lower(), doubles(c.get("lower")));
            assertArrayEquals(api.get(k).upper(), doubles(c.get("upper")));
            total += c.get("seconds").doubleValue();
        }
        assertEquals(total, j.get("seconds").doubleValue(), 1e-12);

        String text = Cli.ok("bounds", model.toString(), "--vnnlib", prop.toString()).out();
        assertTrue(text.contains("(2 cases)\n"), text);
        assertTrue(text.contains("\ncase 1 of 2\n") && text.contains("\ncase 2 of 2\n"), text);
        assertTrue(text.contains("in all"), text);
    }

    @Test
    void repeatReportsTheMedian() throws Exception {
        Path model = fixtureModel();
        Path center = fixtureCenter();
        JsonNode j = json(model.toString(), "--center", center.toString(), "--eps", "0.05", "--repeat", "3");
        checkSingleShape(j, "crown", 3);
        String text = Cli.ok("bounds", model.toString(), "--center", center.toString(), "--eps", "0.05", "--repeat",
                "3").out();
        assertTrue(text.matches("(?s).*\ntime: +[0-9.e-]+ s \\(median of 3 runs; min [0-9.e-]+ s, max [0-9.e-]+ s\\)\n.*"),
                text);
        JsonNode p = json(acas("onnx/ACASXU_run2a_1_1_batch_2000.onnx").toString(), "--vnnlib",
                acas("vnnlib/prop_6.vnnlib").toString(), "--repeat", "2", "--method", "ibp");
        assertEquals(2, p.get("cases").size());
        assertEquals(2.0, BoundsCommand.median(new double[] {3, 1, 2}));
        assertEquals(2.5, BoundsCommand.median(new double[] {4, 1, 3, 2}));
    }

    // ----- errors

    @Test
    void wrongCenterLengthNamesTheCenterFile() throws Exception {
        Path csv = Files.writeString(dir.resolve("short.csv"), "0.1,0.2,0.3\n");
        Cli.Result r = Cli.run("bounds", fixtureModel().toString(), "--center", csv.toString(), "--eps", "0.1");
        assertBadInput(r, csv.toString(), "the model takes 5 input values (shape 1x5), found 3");
    }

    @Test
    void missingFiles() throws Exception {
        Path missing = dir.resolve("missing.vnnlib");
        assertBadInput(Cli.run("bounds", fixtureModel().toString(), "--vnnlib", missing.toString()),
                missing.toString(), "no such file");
        Path noCsv = dir.resolve("nope.csv");
        assertBadInput(Cli.run("bounds", fixtureModel().toString(), "--center", noCsv.toString(), "--eps", "0.1"),
                noCsv.toString(), "file not found");
        Path noModel = dir.resolve("nope.onnx");
        Cli.Result r = Cli.run("bounds", noModel.toString(), "--center", fixtureCenter().toString(), "--eps", "0.1");
        assertBadInput(r, noModel.toString(), "");
    }

    @Test
    void propertyOfTheWrongSize() throws Exception {
        Path prop = acas("vnnlib/prop_1.vnnlib");
        Path model = OnnxModels.mlp(5, 4, 8, 5).write(dir.resolve("four.onnx"));
        assertBadInput(Cli.run("bounds", model.toString(), "--vnnlib", prop.toString()), prop.toString(),
                "the property has 5 inputs (X_i) but " + model + " takes 4 input values");
        Path model3 = fixtureModel();
        assertBadInput(Cli.run("bounds", model3.toString(), "--vnnlib", prop.toString()), prop.toString(),
                "the property has 5 outputs (Y_j) but " + model3 + " has 3 output values");
    }

    /** Exit 2 with exactly one line on standard error, starting {@code error: } and containing {@code phrase}. */
    private static String oneLineError(Cli.Result r, String phrase) {
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        String[] lines = r.errLines();
        assertEquals(1, lines.length, r::toString);
        assertTrue(lines[0].startsWith("error: ") && lines[0].contains(phrase), r::toString);
        assertFalse(lines[0].contains("Exception"), r::toString);
        return lines[0];
    }

    /** A usage error: exit 2, the message, then the hint to run --help. */
    private static void usageError(Cli.Result r, String phrase) {
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        String[] lines = r.errLines();
        assertEquals(2, lines.length, r::toString);
        assertTrue(lines[0].startsWith("error: ") && lines[0].contains(phrase), r::toString);
        assertEquals("Try 'proofmap bounds --help' for more information.", lines[1], r::toString);
    }

    @Test
    void badEps() throws Exception {
        String m = fixtureModel().toString();
        String c = fixtureCenter().toString();
        assertEquals("error: --eps: must be a finite number >= 0, found -0.1",
                oneLineError(Cli.run("bounds", m, "--center", c, "--eps", "-0.1"), "--eps"));
        oneLineError(Cli.run("bounds", m, "--center", c, "--eps=-1e-3"), "found -0.001");
        oneLineError(Cli.run("bounds", m, "--center", c, "--eps", "NaN"), "found NaN");
        oneLineError(Cli.run("bounds", m, "--center", c, "--eps", "Infinity"), "found Infinity");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "abc"), "'abc' is not a double");
        assertDebugTrace(Cli.run("bounds", m, "--center", c, "--eps", "-0.1", "--debug"), 2,
                "error: --eps: must be a finite number >= 0, found -0.1");
    }

    @Test
    void usageErrors() throws Exception {
        String m = fixtureModel().toString();
        String c = fixtureCenter().toString();
        String p = acas("vnnlib/prop_1.vnnlib").toString();
        usageError(Cli.run("bounds", m, "--vnnlib", p, "--spec", "margin"), "--spec is not allowed with --vnnlib");
        usageError(Cli.run("bounds", m, "--vnnlib", p, "--spec", "identity"), "--spec is not allowed with --vnnlib");
        usageError(Cli.run("bounds", m), "missing the input region");
        usageError(Cli.run("bounds", m, "--center", c), "--center needs --eps");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--vnnlib", p), "not both");
        usageError(Cli.run("bounds", m, "--vnnlib", p, "--eps", "0.1"), "--eps is only used with --center");
        usageError(Cli.run("bounds", m, "--vnnlib", p, "--clip", "0,1"), "--clip is only used with --center");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--clip", "1,0"), "LO must not exceed HI");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--clip", "0"), "--clip needs two numbers");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--clip", "0,1,2"), "--clip needs two numbers");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--clip", "a,1"), "--clip needs two numbers");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--clip", "NaN,1"), "--clip needs two numbers");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--method", "deeppoly"),
                "unknown bound method 'deeppoly'");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--spec", "margins"), "unknown --spec");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--spec", "margin:3"),
                "label 3 outside 0..2");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--spec", "margin:-1"), "K >= 0");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--spec", "margin:x"), "K >= 0");
        usageError(Cli.run("bounds", m, "--center", c, "--eps", "0.1", "--repeat", "0"), "--repeat must be at least 1");
    }

    @Test
    void softmaxIsReportedOnTheModelFile() throws Exception {
        Path model = OnnxModels.builder(13).input("x", -1, 5)
                .initializer("W", OnnxModels.gaussian(new java.util.Random(1), 15, 0.5), 3, 5)
                .initializer("b", new double[3], 3)
                .node("Gemm", List.of("x", "W", "b"), "z", OnnxModels.attr("transB", 1L))
                .node("Softmax", List.of("z"), "p")
                .output("p", -1, 3).write(dir.resolve("softmax.onnx"));
        String c = fixtureCenter().toString();
        for (String method : List.of("crown", "crown-ibp", "alpha-crown")) {
            String line = assertBadInput(Cli.run("bounds", model.toString(), "--center", c, "--eps", "0.1",
                    "--method", method), model.toString(), "Softmax");
            assertTrue(line.contains("not supported"), line);
        }
    }

    @Test
    void helpMentionsEveryOption() {
        String help = Cli.ok("bounds", "--help").out();
        for (String option : List.of("MODEL", "--center", "--eps", "--clip", "--vnnlib", "--method", "--spec",
                "--json", "--repeat", "--debug", "--help", "--version", "ibp", "crown-ibp", "alpha-crown", "margin:K",
                "EXAMPLES", "EXIT STATUS")) {
            assertTrue(help.contains(option), () -> option + " missing in:\n" + help);
        }
        assertTrue(help.contains("SYNOPSIS\n  proofmap bounds MODEL (--center=FILE --eps=E [--clip=LO,HI] | --vnnlib=PROP)\n"),
                help);
        assertTrue(Cli.ok("--help").out().contains("  bounds "));
    }
}
