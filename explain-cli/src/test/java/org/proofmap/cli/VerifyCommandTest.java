package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.cli.Cli.assertBadInput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;
import org.proofmap.verify.Verdict;
import org.proofmap.verify.VnnCompResult;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.VnnlibParser;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code proofmap verify} on fast ACAS Xu instances of ../shared/benchmarks/acasxu (each well under a
 * second), checked against its expected.csv.
 */
class VerifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // unsat in ~0.1-0.3 s (bounds), sat at once (PGD on the whole box)
    private static final String NET_1_2 = "onnx/ACASXU_run2a_1_2_batch_2000.onnx";
    private static final String NET_1_5 = "onnx/ACASXU_run2a_1_5_batch_2000.onnx";
    private static final String NET_1_7 = "onnx/ACASXU_run2a_1_7_batch_2000.onnx";
    private static final String NET_2_1 = "onnx/ACASXU_run2a_2_1_batch_2000.onnx";
    // not decided within seconds: for timeouts
    private static final String NET_1_1 = "onnx/ACASXU_run2a_1_1_batch_2000.onnx";
    private static final String PROP_1 = "vnnlib/prop_1.vnnlib";
    private static final String PROP_2 = "vnnlib/prop_2.vnnlib";
    private static final String PROP_3 = "vnnlib/prop_3.vnnlib";
    private static final String PROP_4 = "vnnlib/prop_4.vnnlib";

    /**
     * One worker thread: the verdicts do not depend on it, and the tests then share the machine's
     * cores with whatever else runs.
     */
    private static final String THREADS = "--threads=1";

    @TempDir
    Path dir;

    private static Path acas(String relative) {
        return SharedData.resolve("benchmarks/acasxu/" + relative);
    }

    private static String expected(String onnx, String vnnlib) {
        Map<String, String> e = VerifyCommand.readExpected(acas("expected.csv"));
        String v = e.get(VerifyCommand.Instance.key(onnx, vnnlib));
        assertNotNull(v, onnx + " " + vnnlib);
        return v;
    }

    private static Cli.Result verifyOk(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err(), r::toString);
        return r;
    }

    // ----------------------------------------------------------------------------------------------
    // One instance

    @Test
    void unsatInstanceAgreesWithExpectedAndWritesTheResultFile() throws Exception {
        Path out = dir.resolve("result.txt");
        Cli.Result r = verifyOk("verify", acas(NET_1_2).toString(), acas(PROP_1).toString(), THREADS,
                "--out", out.toString());
        String[] lines = r.outLines();
        assertEquals(expected(NET_1_2, PROP_1), lines[0], r::toString);
        assertEquals("unsat", lines[0]);
        assertEquals("model:        " + acas(NET_1_2), lines[1]);
        assertEquals("property:     " + acas(PROP_1) + " (1 case)", lines[2]);
        assertTrue(lines[3].startsWith("time:         ") && lines[3].endsWith(" s (timeout 60 s)"), lines[3]);
        assertEquals("decided by:   bounds", lines[4]);
        assertTrue(lines[5].matches("boxes: +[1-9][0-9]* bounded"), lines[5]);
        assertEquals("heuristic:    reciph", lines[6]);
        assertEquals("bound:        crown", lines[7]);
        assertTrue(r.out().contains("\nmax depth:    "), r::toString);
        assertTrue(r.out().endsWith("result file:  " + out + "\n"), r::toString);
        assertEquals("unsat\n", Files.readString(out));
    }

    @Test
    void satWitnessFileReadsBackAndViolatesTheProperty() throws Exception {
        Path out = dir.resolve("sat.txt");
        Cli.Result r = verifyOk("verify", acas(NET_2_1).toString(), acas(PROP_2).toString(), "--out", out.toString());
        assertEquals(expected(NET_2_1, PROP_2), r.outLines()[0], r::toString);
        assertEquals("sat", r.outLines()[0]);

        String text = Files.readString(out);
        String[] fileLines = text.split("\n");
        assertEquals(1 + 5 + 5, fileLines.length, text);
        assertEquals("sat", fileLines[0]);
        assertTrue(fileLines[1].startsWith("((X_0 "), text);
        for (int i = 1; i < 5; i++) {
            assertTrue(fileLines[1 + i].startsWith(" (X_" + i + " ") && fileLines[1 + i].endsWith(")"), text);
            assertTrue(fileLines[6 + i].startsWith(" (Y_" + i + " "), text);
        }
        assertTrue(fileLines[10].endsWith("))") && text.endsWith("))\n"), text);
        VnnCompResult file = VnnCompResult.read(out);
        assertEquals(Verdict.SAT, file.verdict());
        double[] x = file.inputs();
        double[] y = file.outputs();
        assertEquals(5, x.length);

        Graph g = OnnxLoader.load(acas(NET_2_1));
        Property p = VnnlibParser.parse(acas(PROP_2));
        double[] fx = g.forward(x);
        assertArrayEquals(fx, y); // full precision: the file's outputs are exactly the forward pass
        assertTrue(p.isViolatedBy(x, fx, 0.0), () -> Arrays.toString(x) + " -> " + Arrays.toString(fx));

        // the text output lists the same witness
        for (int i = 0; i < 5; i++) {
            assertTrue(r.out().contains("\n  X_" + i + " = " + x[i] + "\n"), r::toString);
            assertTrue(r.out().contains("\n  Y_" + i + " = " + y[i] + "\n"), r::toString);
        }
    }

    @Test
    void jsonWithOtherHeuristicAndBound() throws Exception {
        Cli.Result r = verifyOk("verify", acas(NET_1_7).toString(), acas(PROP_4).toString(), "--json",
                "--split", "width", "--bound", "alpha-crown", "--timeout", "30");
        assertEquals(1, r.outLines().length, r::toString);
        JsonNode j = JSON.readTree(r.out());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("result", "seconds", "subproblems", "decided_by", "heuristic", "bound", "timeout", "model",
                "property", "statistics", "witness", "witness_output"), keys);
        assertEquals(expected(NET_1_7, PROP_4), j.get("result").asText());
        assertEquals("width", j.get("heuristic").asText());
        assertEquals("alpha-crown", j.get("bound").asText());
        assertEquals(30.0, j.get("timeout").asDouble());
        assertEquals(5, j.get("witness").size());
        assertEquals(5, j.get("witness_output").size());
    }

    @Test
    void timeoutIsAVerdictNotAnError() throws Exception {
        Path out = dir.resolve("t.txt");
        Cli.Result r = verifyOk("verify", acas(NET_1_1).toString(), acas(PROP_3).toString(), "--timeout", "0.5",
                "--split", "smear", THREADS, "-o", out.toString());
        assertEquals("timeout", r.outLines()[0], r::toString);
        assertTrue(r.out().contains("(timeout 0.5 s)"), r::toString);
        assertTrue(r.out().contains("heuristic:    smear\n"), r::toString);
        assertEquals("timeout\n", Files.readString(out));
    }

    // ----------------------------------------------------------------------------------------------
    // An instance list

    private Path instanceList(String name, String... rows) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", rows) + "\n");
    }

    private static String[] lines(Path p) throws Exception {
        return Files.readString(p).split("\n");
    }

    @Test
    void instancesRunResumeAndSummary() throws Exception {
        Path root = acas("");
        Path csv = instanceList("instances.csv",
                NET_1_5 + "," + PROP_1 + ",116",
                NET_2_1 + "," + PROP_1 + ",116",
                NET_2_1 + "," + PROP_2 + ",116");
        Files.copy(acas("expected.csv"), dir.resolve("expected.csv"));
        Path results = dir.resolve("results.csv");

        Cli.Result r = Cli.run("verify", "--instances", csv.toString(), "--root", root.toString(), THREADS,
                "--out", results.toString());
        assertEquals(0, r.code(), r::toString);
        // progress: plain lines on standard error (not a terminal here)
        String[] err = r.errLines();
        assertEquals("verify: 3 instances, 0 already in " + results + ", 3 to run", err[0], r::toString);
        assertTrue(err[1].startsWith("[1/3] " + NET_1_5 + " " + PROP_1 + ": unsat in "), r::toString);
        assertTrue(err[3].startsWith("[3/3] " + NET_2_1 + " " + PROP_2 + ": sat in "), r::toString);
        assertEquals(4, err.length, r::toString);

        String[] rows = lines(results);
        assertEquals(4, rows.length, Files.readString(results));
        assertEquals("onnx,vnnlib,result,seconds,subproblems,heuristic", rows[0]);
        String[][] want = {{NET_1_5, PROP_1}, {NET_2_1, PROP_1}, {NET_2_1, PROP_2}};
        for (int i = 0; i < 3; i++) {
            List<String> f = Csv.split(rows[i + 1]);
            assertEquals(6, f.size(), rows[i + 1]);
            assertEquals(want[i][0], f.get(0));
            assertEquals(want[i][1], f.get(1));
            assertEquals(expected(want[i][0], want[i][1]), f.get(2), rows[i + 1]);
            assertTrue(Double.parseDouble(f.get(3)) >= 0, rows[i + 1]);
            Long.parseLong(f.get(4));
            assertEquals("reciph", f.get(5));
        }

        String out = r.out();
        assertTrue(out.startsWith("instances:    3 in " + csv + " (3 run now, 0 already in " + results + ")\n"), out);
        assertTrue(out.contains("\nsolved:       3 of 3 (1 sat, 2 unsat; 0 timeout, 0 unknown)\n"), out);
        assertTrue(out.contains("\ntime:         total "), out);
        assertTrue(out.contains(" s, median "), out);
        assertTrue(out.contains("\nexpected:     " + dir.resolve("expected.csv") + ": 3 agree, 0 wrong, 0 unsolved\n"), out);
        assertFalse(out.contains("WRONG"), out);

        // Run again: nothing left to do, the file is unchanged, the summary is the same.
        String before = Files.readString(results);
        Cli.Result again = Cli.run("verify", "--instances", csv.toString(), "--root", root.toString(),
                "--out", results.toString());
        assertEquals(0, again.code(), again::toString);
        assertEquals("verify: 3 instances, 3 already in " + results + ", 0 to run\n", again.err());
        assertEquals(before, Files.readString(results));
        assertTrue(again.out().startsWith("instances:    3 in " + csv + " (0 run now, 3 already in " + results + ")\n"),
                again::toString);
        assertEquals(out.substring(out.indexOf("\nresults:")), again.out().substring(again.out().indexOf("\nresults:")));

        // A crash: the last row is lost and the one before it half written. Only those two run again.
        String[] keep = before.split("\n");
        Files.writeString(results, keep[0] + "\n" + keep[1] + "\n" + keep[2].substring(0, 10));
        Cli.Result resumed = Cli.run("verify", "--instances", csv.toString(), "--root", root.toString(), THREADS,
                "--out", results.toString(), "--json");
        assertEquals(0, resumed.code(), resumed::toString);
        assertTrue(resumed.err().startsWith("verify: 3 instances, 1 already in " + results + ", 2 to run\n"),
                resumed::toString);
        String[] after = lines(results);
        assertEquals(4, after.length, Files.readString(results));
        assertEquals(keep[1], after[1]);
        assertTrue(after[2].startsWith(NET_2_1 + "," + PROP_1 + ",unsat,"), after[2]);
        assertTrue(after[3].startsWith(NET_2_1 + "," + PROP_2 + ",sat,"), after[3]);
        JsonNode j = JSON.readTree(resumed.out());
        assertEquals(3, j.get("instances").asInt());
        assertEquals(2, j.get("run").asInt());
        assertEquals(1, j.get("skipped").asInt());
        assertEquals(3, j.get("solved").asInt());
        assertEquals(3, j.get("expected").get("agree").asInt());
        assertEquals(0, j.get("wrong").size());
    }

    @Test
    void wrongVerdictsAreLoudAndTimeoutsAreScaled() throws Exception {
        // A reference that claims the (violated) property holds, and a slow instance with a scaled timeout.
        Path csv = instanceList("list.csv",
                NET_2_1 + "," + PROP_2 + ",60",
                NET_1_1 + "," + PROP_3 + ",2");
        Files.writeString(dir.resolve("expected.csv"), "onnx,vnnlib,expected,source\n"
                + NET_2_1 + "," + PROP_2 + ",unsat,made up\n"
                + NET_1_1 + "," + PROP_3 + ",unsat,made up\n");
        Path results = dir.resolve("res.csv");
        Cli.Result r = Cli.run("verify", "--instances", csv.toString(), "--root", acas("").toString(),
                "--timeout-scale", "0.25", THREADS, "--out", results.toString());
        assertEquals(0, r.code(), r::toString);
        String wrong = "WRONG: " + NET_2_1 + " " + PROP_2 + ": proofmap says sat, expected.csv says unsat";
        assertTrue(r.err().contains("\n" + wrong + "\n"), r::toString);
        assertTrue(r.out().contains("\nexpected:     " + dir.resolve("expected.csv") + ": 0 agree, 1 wrong, 1 unsolved\n"),
                r::toString);
        assertTrue(r.out().contains("\nWRONG VERDICTS: 1 "), r::toString);
        assertTrue(r.out().endsWith("\n" + wrong + "\n"), r::toString);
        List<String> slow = Csv.split(lines(results)[2]);
        assertEquals("timeout", slow.get(2));
        assertTrue(Double.parseDouble(slow.get(3)) < 1.5, slow::toString); // 2 s x 0.25, not 2 s
    }

    @Test
    void instancePathsAreRelativeToTheListByDefault() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("bench"));
        Files.createDirectories(sub.resolve("onnx"));
        Files.createDirectories(sub.resolve("vnnlib"));
        Files.copy(acas(NET_1_7), sub.resolve(NET_1_7));
        Files.copy(acas(PROP_4), sub.resolve(PROP_4));
        Path csv = Files.writeString(sub.resolve("instances.csv"), NET_1_7 + "," + PROP_4 + ",10\n\n");
        Path results = dir.resolve("r.csv");
        Cli.Result r = Cli.run("verify", "--instances", csv.toString(), "--out", results.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(lines(results)[1].startsWith(NET_1_7 + "," + PROP_4 + ",sat,"), Files.readString(results));
        assertFalse(r.out().contains("expected:"), r::toString); // no expected.csv beside this list
        assertTrue(r.out().contains("solved:       1 of 1 (1 sat, 0 unsat; 0 timeout, 0 unknown)"), r::toString);
    }

    // ----------------------------------------------------------------------------------------------
    // Errors

    @Test
    void missingFiles() {
        Path missing = dir.resolve("missing.onnx");
        assertBadInput(Cli.run("verify", missing.toString(), acas(PROP_1).toString()), missing.toString(),
                "file not found");
        Path noProp = dir.resolve("missing.vnnlib");
        assertBadInput(Cli.run("verify", acas(NET_1_2).toString(), noProp.toString()), noProp.toString(),
                "no such file");
        Path noCsv = dir.resolve("none.csv");
        assertBadInput(Cli.run("verify", "--instances", noCsv.toString(), "--out", dir.resolve("o.csv").toString()),
                noCsv.toString(), "no such file");
    }

    @Test
    void propertyOfAnotherSizeIsReportedOnTheProperty() {
        Path mnist = SharedData.resolve("benchmarks/mnist_fc/vnnlib/prop_0_0.03.vnnlib");
        String line = assertBadInput(Cli.run("verify", acas(NET_1_2).toString(), mnist.toString()), mnist.toString(),
                "the property has 784 inputs");
        assertTrue(line.contains("takes 5 input values"), line);
    }

    @Test
    void badInstanceLists() throws Exception {
        Path out = dir.resolve("o.csv");
        Path header = instanceList("h.csv", "onnx,vnnlib,timeout", NET_1_2 + "," + PROP_1 + ",10");
        assertBadInput(Cli.run("verify", "--instances", header.toString(), "--out", out.toString()), header.toString(),
                "line 1: the timeout 'timeout' is not a number of seconds > 0 (the list has no header line)");
        Path two = instanceList("two.csv", NET_1_2 + "," + PROP_1);
        assertBadInput(Cli.run("verify", "--instances", two.toString(), "--out", out.toString()), two.toString(),
                "line 1: expected 3 fields");
        Path gone = instanceList("gone.csv", NET_1_2 + "," + PROP_1 + ",10", "onnx/nope.onnx," + PROP_1 + ",10");
        Path nope = acas("").resolve("onnx/nope.onnx");
        assertBadInput(Cli.run("verify", "--instances", gone.toString(), "--root", acas("").toString(),
                "--out", out.toString()), nope.toString(), "file not found (line 2 of " + gone + ")");
        Path empty = instanceList("empty.csv", "");
        assertBadInput(Cli.run("verify", "--instances", empty.toString(), "--out", out.toString()), empty.toString(),
                "no instances");
        assertFalse(Files.exists(out)); // nothing is written before the input is known to be good
    }

    @Test
    void aForeignResultsFileIsNotTouched() throws Exception {
        Path csv = instanceList("i.csv", NET_2_1 + "," + PROP_2 + ",10");
        Path other = Files.writeString(dir.resolve("other.csv"), "name,score\nx,1\n");
        assertBadInput(Cli.run("verify", "--instances", csv.toString(), "--root", acas("").toString(),
                "--out", other.toString()), other.toString(), "not a results CSV of 'proofmap verify'");
        assertEquals("name,score\nx,1\n", Files.readString(other));
    }

    // ----------------------------------------------------------------------------------------------
    // Probabilistic bounds

    /**
     * An L∞ box of radius 0.01 around a point ACAS Xu 1_1 labels 0, unsafe when another output is at
     * least Y_0: CROWN cannot close the whole box (it splits, then proves), PT-LiRPA closes it at once
     * (see ProbabilisticVerifyTest in explain-core).
     */
    private Path ptBox() throws Exception {
        double[] c = {-0.2963296906405432, 0.2782228782139246, 0.26391923326914585, 0.2683169505979163,
            0.2622492893375818};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("(declare-const X_").append(i).append(" Real)\n");
        }
        for (int j = 0; j < 5; j++) {
            sb.append("(declare-const Y_").append(j).append(" Real)\n");
        }
        for (int i = 0; i < 5; i++) {
            sb.append("(assert (>= X_").append(i).append(' ').append(c[i] - 0.01).append("))\n");
            sb.append("(assert (<= X_").append(i).append(' ').append(c[i] + 0.01).append("))\n");
        }
        sb.append("(assert (or");
        for (int j = 1; j < 5; j++) {
            sb.append(" (and (>= Y_").append(j).append(" Y_0))");
        }
        sb.append("))\n");
        return Files.writeString(dir.resolve("box.vnnlib"), sb.toString());
    }

    @Test
    void ptLirpaVerdictIsProbabilisticEverywhere() throws Exception {
        Path prop = ptBox();
        Path out = dir.resolve("pt.txt");
        Cli.Result sound = verifyOk("verify", acas(NET_1_1).toString(), prop.toString(), THREADS);
        assertEquals("unsat", sound.outLines()[0], sound::toString);

        Cli.Result r = verifyOk("verify", acas(NET_1_1).toString(), prop.toString(), THREADS, "--bound", "pt-lirpa",
                "--confidence", "0.95", "--out", out.toString());
        assertEquals("unsat (probabilistic, confidence 0.95)", r.outLines()[0], r::toString);
        assertTrue(r.out().contains("probabilistic: true"), r::toString);
        assertTrue(r.out().contains("estimator:    weibull-tail-pivot"), r::toString);
        // The VNN-COMP file never claims a proof: unknown, the probabilistic answer in a comment.
        String file = Files.readString(out);
        assertTrue(file.startsWith("unknown\n; unsat (probabilistic, confidence 0.95), samples 1000,"), file);
        assertEquals(Verdict.UNKNOWN, VnnCompResult.read(out).verdict());

        JsonNode j = JSON.readTree(verifyOk("verify", acas(NET_1_1).toString(), prop.toString(), THREADS, "--bound",
                "pt-lirpa", "--samples", "2000", "--json").out());
        assertEquals("unsat (probabilistic, confidence 0.99)", j.get("result").asText());
        assertTrue(j.get("probabilistic").asBoolean());
        assertEquals(0.99, j.get("confidence").asDouble());
        assertEquals(2000, j.get("statistics").get("samples").asInt());
        assertEquals("weibull-tail-pivot", j.get("statistics").get("estimator").asText());

        // A results CSV keeps the provenance, and the summary does not count it as solved.
        Path csv = instanceList("pt.csv", NET_1_1 + "," + prop + ",60");
        Path results = dir.resolve("pt-results.csv");
        Cli.Result b = Cli.run("verify", "--instances", csv.toString(), "--root", acas("").toString(), THREADS,
                "--bound", "pt-lirpa", "--out", results.toString(), "--json");
        assertEquals(0, b.code(), b::toString);
        String[] rows = lines(results);
        assertTrue(rows[1].contains(",\"unsat (probabilistic, confidence 0.99, samples 1000, estimator"
                + " weibull-tail-pivot)\","), rows[1]);
        JsonNode sum = JSON.readTree(b.out());
        assertEquals(0, sum.get("solved").asInt(), b::toString);
        assertEquals(1, sum.get("probably_unsat").asInt(), b::toString);
        assertEquals(0, sum.get("unsat").asInt(), b::toString);
    }

    private static void usageError(String phrase, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertTrue(r.errLines()[0].startsWith("error: "), r::toString);
        assertTrue(r.err().contains(phrase), r::toString);
        assertTrue(r.err().contains("Try 'proofmap verify --help' for more information."), r::toString);
    }

    @Test
    void exactlyOneFormAndValidSettings() {
        String m = acas(NET_1_2).toString();
        String p = acas(PROP_1).toString();
        String csv = dir.resolve("i.csv").toString();
        String o = dir.resolve("o.csv").toString();
        usageError("give either MODEL PROP or --instances CSV, not both", "verify", m, p, "--instances", csv, "--out", o);
        usageError("give either MODEL PROP or --instances CSV, not both", "verify", m, "--instances", csv, "--out", o);
        usageError("missing MODEL PROP", "verify");
        usageError("missing PROP", "verify", m);
        usageError("--instances needs --out FILE", "verify", "--instances", csv);
        usageError("--root is only used with --instances", "verify", m, p, "--root", ".");
        usageError("--timeout-scale is only used with --instances", "verify", m, p, "--timeout-scale", "2");
        usageError("--timeout is for MODEL PROP", "verify", "--instances", csv, "--out", o, "--timeout", "5");
        usageError("--timeout must be a number of seconds > 0", "verify", m, p, "--timeout", "0");
        usageError("settings of --bound pt-lirpa", "verify", m, p, "--samples", "100");
        usageError("the confidence must lie in (0, 1)", "verify", m, p, "--bound", "pt-lirpa", "--confidence", "1");
        usageError("--timeout-scale must be a number > 0", "verify", "--instances", csv, "--out", o,
                "--timeout-scale", "-1");
        usageError("unknown split heuristic 'random' for --split (known: width, smear, reciph)", "verify", m, p,
                "--split", "random");
        usageError("unknown bound method 'ibp' for --bound (known: crown, alpha-crown, pt-lirpa)", "verify", m, p, "--bound", "ibp");
        usageError("--threads must be 0", "verify", m, p, "--threads", "-2");
        usageError("Unmatched argument", "verify", m, p, "extra");
    }

    // ----------------------------------------------------------------------------------------------
    // Help, progress, CSV

    @Test
    void helpMentionsEveryOptionAndBothForms() {
        String help = Cli.ok("verify", "--help").out();
        for (OptionSpec o : ProofmapCommand.commandLine().getSubcommands().get("verify").getCommandSpec().options()) {
            for (String name : o.names()) {
                assertTrue(help.contains(name), () -> name + " missing in:\n" + help);
            }
        }
        for (String s : List.of("NAME\n", "SYNOPSIS\n", "DESCRIPTION\n", "PARAMETERS\n", "OPTIONS\n", "EXAMPLES\n",
                "EXIT STATUS\n", "proofmap verify MODEL PROP", "proofmap verify --instances=CSV", "MODEL", "PROP",
                "width", "smear", "reciph", "crown", "alpha-crown", "expected.csv", "WRONG", "resume",
                "../shared/benchmarks/acasxu/", "  0  Success.", "  2  Bad input")) {
            assertTrue(help.contains(s), () -> s + " missing in:\n" + help);
        }
        assertTrue(Cli.ok("--help").out().contains("  verify "));
    }

    @Test
    void progressBarRendersWithoutATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (BatchProgress bar = new BatchProgress.Bar(ps, 100)) {
            bar.start(4, 1, "r.csv");
            bar.started("ACASXU_run2a_1_2_batch_2000 prop_1");
            bar.finished(2, 4, NET_1_2, PROP_1, "unsat", 0.1);
            bar.warn("WRONG: something");
            bar.finished(4, 4, NET_1_2, PROP_2, "sat", 0.1);
        }
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("verify"), s);
        assertTrue(s.contains("4/4"), s);
        assertTrue(s.contains("\rWRONG: something"), s);
        assertTrue(s.endsWith("\n"), s);

        // Under tests standard error is never the process's terminal: plain lines.
        StringWriter sw = new StringWriter();
        try (BatchProgress lines = BatchProgress.create(new PrintWriter(sw))) {
            assertTrue(lines instanceof BatchProgress.Lines);
            lines.start(12, 2, "r.csv");
            lines.finished(3, 12, "a.onnx", "b.vnnlib", "unsat", 0.123);
        }
        assertEquals("verify: 12 instances, 2 already in r.csv, 10 to run\n[ 3/12] a.onnx b.vnnlib: unsat in 0.12 s\n",
                sw.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void csvFields() {
        assertEquals(List.of("a", "b", "3"), Csv.split("a, b ,3"));
        assertEquals(List.of("x,y", "say \"hi\"", ""), Csv.split("\"x,y\",\"say \"\"hi\"\"\","));
        assertEquals(null, Csv.split("\"open,b"));
        assertEquals("plain,\"a,b\",\"q\"\"q\"", Csv.line("plain", "a,b", "q\"q"));
        assertEquals(List.of("plain", "a,b", "q\"q"), Csv.split(Csv.line("plain", "a,b", "q\"q")));
    }
}
