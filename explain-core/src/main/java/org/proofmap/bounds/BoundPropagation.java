package org.proofmap.bounds;

import java.util.Arrays;
import java.util.List;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;
import org.proofmap.model.ops.BackwardStep;
import org.proofmap.model.ops.ElementwiseNonlinear;
import org.proofmap.model.ops.Operator;

/**
 * The graph walker of the bound engine. It knows no operator: operators give their interval rule
 * and their backward relaxation, and this class sequences them over one graph and one input box.
 *
 * <p>It holds bounds for the values of the graph: interval bounds for every value, and, after
 * {@link #computeIntermediateBounds}, CROWN bounds for the inputs of nonlinear operators.
 */
final class BoundPropagation {
    final Graph graph;
    final double[] inLo;
    final double[] inHi;
    /** Bounds per value id; null where not computed. */
    final double[][] lo;
    final double[][] hi;
    private final List<Node> nodes;
    /** Node index producing each value (-1 for the model input). */
    private final int[] producer;
    /** Number of node inputs reading each value. */
    private final int[] consumers;
    /** Per node, default relaxation lines and the bound arrays they were made from (see defaultLines). */
    private final double[][][] lineCache;
    /**
     * ReLU splits of branch and bound on activations: per value id, per element, +1 (the element is
     * known to be >= 0 on the subdomain), -1 (<= 0) or 0. Null when there are none.
     */
    final byte[][] splits;
    /**
     * Whether {@link #crownValue} may use {@link #pairedBounds}: every operator that needs input
     * bounds in its backward pass is elementwise.
     */
    private final boolean pairable;
    /** Set when the splits contradict the bounds: the subdomain is empty. */
    boolean infeasible;
    /** Whether every input bound is finite (see {@link #pairedBounds}). */
    private final boolean finiteInput;

    BoundPropagation(Graph graph, InputDomain domain) {
        this(graph, domain, null);
    }

    /** With ReLU splits (see {@link #splits}). */
    BoundPropagation(Graph graph, InputDomain domain, byte[][] splits) {
        this.splits = splits;
        if (domain.size() != graph.inputSize()) {
            throw new IllegalArgumentException("the domain has " + domain.size() + " inputs but the model takes "
                    + graph.inputSize());
        }
        this.graph = graph;
        this.inLo = domain.lower();
        this.inHi = domain.upper();
        boolean finite = true;
        for (int i = 0; i < inLo.length; i++) {
            finite &= Double.isFinite(inLo[i]) && Double.isFinite(inHi[i]);
        }
        this.finiteInput = finite;
        this.nodes = graph.nodes();
        int values = graph.valueCount();
        lo = new double[values][];
        hi = new double[values][];
        lo[0] = inLo;
        hi[0] = inHi;
        lineCache = new double[graph.nodes().size()][][];
        producer = new int[values];
        Arrays.fill(producer, -1);
        consumers = new int[values];
        boolean ok = true;
        for (int k = 0; k < nodes.size(); k++) {
            producer[nodes.get(k).output()] = k;
            for (int v : nodes.get(k).inputs()) {
                consumers[v]++;
            }
            Operator op = nodes.get(k).op();
            ok &= !op.backwardNeedsInputBounds() || op instanceof ElementwiseNonlinear;
        }
        pairable = ok;
    }

    // ----- interval bound propagation

    /** Interval bounds of every value (keeps bounds already present, e.g. tighter CROWN ones). */
    void intervalPass() {
        for (Node n : nodes) {
            intervalNode(n);
        }
    }

    private void intervalNode(Node n) {
        int[] in = n.inputs();
        double[][] l = new double[in.length][];
        double[][] h = new double[in.length][];
        for (int j = 0; j < in.length; j++) {
            l[j] = lo[in[j]];
            h[j] = hi[in[j]];
        }
        int size = n.outputShape().size();
        double[] ol = new double[size];
        double[] oh = new double[size];
        n.op().interval(l, h, ol, oh);
        lo[n.output()] = ol;
        hi[n.output()] = oh;
        applySplits(n.output());
    }

    /** Clamps the bounds of split elements of {@code v} to their side; flags an empty subdomain. */
    private void applySplits(int v) {
        if (splits == null || splits[v] == null) {
            return;
        }
        byte[] sg = splits[v];
        double[] l = lo[v];
        double[] h = hi[v];
        for (int i = 0; i < sg.length; i++) {
            if (sg[i] > 0) {
                l[i] = Math.max(l[i], 0.0);
            } else if (sg[i] < 0) {
                h[i] = Math.min(h[i], 0.0);
            }
            if (l[i] > h[i]) {
                infeasible = true;
            }
        }
    }

    /** Copies the bounds of every value produced before node {@code upTo} from {@code parent}. */
    void inheritPrefix(BoundPropagation parent, int upTo) {
        for (int k = 0; k < upTo; k++) {
            int v = nodes.get(k).output();
            lo[v] = parent.lo[v];
            hi[v] = parent.hi[v];
        }
    }

    /**
     * Takes every value's bounds from {@code parent} (a propagation over a superset of this
     * domain, so they stay valid here) and clamps the split elements to their side; arrays with
     * splits are copied, the others shared. No intermediate bound is recomputed.
     */
    void inheritAll(BoundPropagation parent) {
        for (Node n : nodes) {
            int v = n.output();
            lo[v] = parent.lo[v];
            hi[v] = parent.hi[v];
            if (splits != null && splits[v] != null) {
                lo[v] = lo[v].clone();
                hi[v] = hi[v].clone();
                applySplits(v);
            }
        }
    }

    // ----- intermediate bounds by CROWN

    /**
     * Replaces the interval bounds of every input of a nonlinear operator by CROWN bounds, in
     * topological order so each backward pass uses the tightest bounds already known. As auto_LiRPA
     * does by default, for ReLU-family inputs only the elements that interval bounds leave unstable
     * are recomputed: the others are decided already.
     */
    void computeIntermediateBounds() {
        computeIntermediateBounds(0);
    }

    /** As {@link #computeIntermediateBounds()}, keeping the (inherited) bounds of nodes before {@code from}. */
    void computeIntermediateBounds(int from) {
        computeIntermediateBounds(from, null, null);
    }

    /**
     * As {@link #computeIntermediateBounds()}, starting from given bounds: each value with a non-null
     * {@code givenLo[v]}/{@code givenHi[v]} has its bounds intersected with them before CROWN picks
     * the elements it recomputes (elements the given bounds decide are skipped) and again after (so
     * the result is never looser than the given bounds). The given bounds are PT-LiRPA's estimated
     * intermediate bounds, or those of an enclosing box (see {@link BoundContext}); the bounds are
     * only as sound as the given ones.
     */
    void computeIntermediateBounds(double[][] givenLo, double[][] givenHi) {
        computeIntermediateBounds(0, givenLo, givenHi);
    }

    /**
     * As {@link #computeIntermediateBounds(int)}, intersecting every recomputed value with {@code parent}'s
     * bounds, which hold on a superset of this domain: CROWN under different relaxations is not monotone,
     * so a recomputed bound can be looser than the parent's on some elements.
     */
    void computeIntermediateBounds(int from, BoundPropagation parent) {
        computeIntermediateBounds(from, parent.lo, parent.hi);
    }

    /**
     * As {@link #computeIntermediateBounds(int, BoundPropagation)} (with {@code parent} null: none),
     * each value's CROWN bounds then tightened by alpha-CROWN's optimisation of the lines before it
     * ({@link AlphaCrown#optimiseValue}), before the next value's bounds are computed from them.
     */
    void computeOptimisedIntermediateBounds(int from, BoundPropagation parent, AlphaCrown.Options options) {
        computeIntermediateBounds(from, parent == null ? null : parent.lo, parent == null ? null : parent.hi,
                options);
    }

    private void computeIntermediateBounds(int from, double[][] givenLo, double[][] givenHi) {
        computeIntermediateBounds(from, givenLo, givenHi, null);
    }

    private void computeIntermediateBounds(int from, double[][] givenLo, double[][] givenHi,
            AlphaCrown.Options optimise) {
        boolean[] needs = new boolean[graph.valueCount()];
        boolean[] reluOnly = new boolean[graph.valueCount()];
        Arrays.fill(reluOnly, true);
        for (Node n : nodes) {
            if (n.op().backwardNeedsInputBounds()) {
                for (int v : n.inputs()) {
                    needs[v] = true;
                    reluOnly[v] &= n.op() instanceof Activation;
                }
            }
        }
        // One sweep in topological order: each node's interval bounds are computed once, from inputs
        // whose bounds are final (tightened by CROWN where needed).
        for (int k = from; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            intervalNode(n);
            int v = n.output();
            boolean given = givenLo != null && givenLo[v] != null;
            if (given) {
                intersect(v, givenLo[v], givenHi[v]);
            }
            if (!needs[v]) {
                continue;
            }
            int size = n.outputShape().size();
            int[] rows = selectRows(v, size, reluOnly[v]);
            if (rows.length > 0) {
                crownValue(v, rows);
                if (given) {
                    intersect(v, givenLo[v], givenHi[v]);
                }
                if (optimise != null) {
                    refine(v, selectRows(v, size, reluOnly[v]), optimise);
                }
            }
        }
    }

    /** Narrows the bounds of elements {@code elements} of {@code v} by alpha-CROWN's optimisation. */
    private void refine(int v, int[] elements, AlphaCrown.Options options) {
        double[][] b = AlphaCrown.optimiseValue(this, v, elements, options);
        if (b == null) {
            return;
        }
        double[] nl = lo[v].clone();
        double[] nh = hi[v].clone();
        for (int j = 0; j < elements.length; j++) {
            int i = elements[j];
            nl[i] = Math.max(nl[i], b[0][j]);
            nh[i] = Math.min(nh[i], b[1][j]);
        }
        lo[v] = nl;
        hi[v] = nh;
        applySplits(v);
    }

    /** Narrows the bounds of value {@code v} to {@code [l, h]} elementwise (fresh arrays). */
    private void intersect(int v, double[] l, double[] h) {
        double[] nl = lo[v].clone();
        double[] nh = hi[v].clone();
        for (int i = 0; i < nl.length; i++) {
            nl[i] = Math.max(nl[i], l[i]);
            nh[i] = Math.min(nh[i], h[i]);
        }
        lo[v] = nl;
        hi[v] = nh;
        applySplits(v);
    }

    private int[] selectRows(int v, int size, boolean reluOnly) {
        if (!reluOnly) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int count = 0;
        int[] sel = new int[size];
        for (int i = 0; i < size; i++) {
            if (lo[v][i] < 0 && hi[v][i] > 0) {
                sel[count++] = i;
            }
        }
        return Arrays.copyOf(sel, count);
    }

    /** Smallest model input for which {@link #crownValue} pairs its rows (see {@link #pairedBounds}). */
    private static final int PAIRED_MIN_INPUT = 256;

    /** Rows per backward pass for intermediate bounds: keeps the coefficient matrices in cache. */
    private static final int CHUNK = 64;

    /**
     * Bytes of coefficient matrices one paired chunk may span (about a core's L2 cache): the rows
     * of early layers are wide, and a chunk whose matrices stay in cache is cleared and reread far
     * faster than one that streams through memory.
     */
    private static final long CHUNK_BYTES = 512 * 1024;

    /**
     * CROWN bounds for elements {@code rows} of value {@code v}, in chunks of rows (lower and upper
     * bounds of a chunk in one pass), spread over the available cores.
     */
    private void crownValue(int v, int[] rows) {
        int size = graph.valueShape(v).size();
        double[] l = lo[v].clone();
        double[] h = hi[v].clone();
        Operator top = nodes.get(producer[v]).op();
        // One-hot rows given compactly (one coefficient per row) when the producer takes them so.
        boolean compact = top instanceof org.proofmap.model.ops.Conv
                || top instanceof org.proofmap.model.ops.Linear lin && lin.supportsHot();
        // Pairing pays when the products below the first nonlinear node are large (wide inputs);
        // on small models it would only change the last bits of the bounds.
        boolean paired = pairable && graph.inputSize() >= PAIRED_MIN_INPUT;
        // Enough chunks to keep every core busy, none larger than CHUNK rows, and paired chunks
        // within CHUNK_BYTES of lower and difference matrices for the values below v.
        int cores = PARALLEL ? Runtime.getRuntime().availableProcessors() : 1;
        int chunkRows = Math.max(8, Math.min(CHUNK, (rows.length + cores - 1) / cores));
        if (paired) {
            long rowBytes = 2L * Double.BYTES * graph.inputSize();
            for (int k = 0; k < producer[v]; k++) {
                rowBytes += 2L * Double.BYTES * graph.valueShape(nodes.get(k).output()).size();
            }
            chunkRows = (int) Math.max(4, Math.min(chunkRows, CHUNK_BYTES / rowBytes));
        }
        int chunks = (rows.length + chunkRows - 1) / chunkRows;
        // One task per core, each taking every tasks-th chunk with its own reused matrices.
        int tasks = Math.min(chunks, cores);
        int step = chunkRows;
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, tasks);
        if (tasks > 1) {
            range = range.parallel();
        }
        range.forEach(t -> {
            Workspace ws = paired ? new Workspace(graph.valueCount()) : null;
            for (int ch = t; ch < chunks; ch += tasks) {
                crownChunk(v, rows, ch * step, Math.min(rows.length, (ch + 1) * step) - ch * step, size, compact, ws,
                        l, h);
            }
        });
        lo[v] = l;
        hi[v] = h;
        applySplits(v);
    }

    /**
     * Rows {@code rows[from .. from + r)} of {@link #crownValue}: writes their lower bounds to
     * {@code l} and upper bounds to {@code h}; paired when {@code ws} is not null.
     */
    private void crownChunk(int v, int[] rows, int from, int r, int size, boolean compact, Workspace ws, double[] l,
            double[] h) {
        if (ws != null) {
            double[] cl;
            if (compact) {
                cl = new double[r];
                Arrays.fill(cl, 1.0);
            } else {
                cl = new double[r * size];
                for (int i = 0; i < r; i++) {
                    cl[i * size + rows[from + i]] = 1.0;
                }
            }
            int[] hotL = Arrays.copyOfRange(rows, from, from + r);
            double[] bound = pairedBounds(v, cl, r, hotL, compact, ws);
            for (int i = 0; i < r; i++) {
                l[rows[from + i]] = bound[i];
                h[rows[from + i]] = -bound[r + i];
            }
            return;
        }
        double[] c;
        if (compact) {
            c = new double[2 * r];
            for (int i = 0; i < r; i++) {
                c[i] = 1.0;
                c[r + i] = -1.0;
            }
        } else {
            c = new double[2 * r * size];
            for (int i = 0; i < r; i++) {
                c[i * size + rows[from + i]] = 1.0;
                c[(r + i) * size + rows[from + i]] = -1.0;
            }
        }
        int[] hot = new int[2 * r];
        for (int i = 0; i < r; i++) {
            hot[i] = rows[from + i];
            hot[r + i] = rows[from + i];
        }
        double[] bound = backward(v, c, 2 * r, null, null, false, hot, false, compact).concretize(inLo, inHi);
        for (int i = 0; i < r; i++) {
            l[rows[from + i]] = bound[i];
            h[rows[from + i]] = -bound[r + i];
        }
    }

    /**
     * Lower bounds over the input box of rows {@code [c; -c]} of value {@code target} (lower, then
     * upper bounds of the {@code rows} functions {@code c}), as {@link #backward} and
     * {@link Linear#concretize} would give them, by {@link #pairedRows}.
     */
    private double[] pairedBounds(int target, double[] c, int rows, int[] hot, boolean compact, Workspace ws) {
        Paired p = pairedRows(target, c, rows, hot, compact, ws);
        double[] bias = p.bias;
        double[] biasD = p.biasD;
        int size = graph.inputSize();
        double[] a0 = p.a;
        double[] d0 = p.d;
        double[] l = inLo;
        double[] u = inHi;
        double[] out = new double[2 * rows];
        if (!finiteInput) {
            // Zero coefficients must be skipped (0 · ∞).
            for (int r = 0; r < rows; r++) {
                double sl = bias[r];
                double su = -bias[r] + biasD[r];
                for (int i = 0; i < size; i++) {
                    double x = a0[r * size + i];
                    if (x != 0.0) {
                        sl += Math.max(x, 0.0) * l[i] + Math.min(x, 0.0) * u[i];
                    }
                    double y = -x + d0[r * size + i];
                    if (y != 0.0) {
                        su += Math.max(y, 0.0) * l[i] + Math.min(y, 0.0) * u[i];
                    }
                }
                out[r] = sl;
                out[rows + r] = su;
            }
            return out;
        }
        // Per row, both rows' terms over the whole (finite) box in one loop that C2 vectorises (it
        // needs every array indexed by the same variable, hence the copies into ws.row; a zero
        // coefficient gives an exact zero term), then summed. The upper rows are never materialised.
        double[] xa = ws.row(0, size);
        double[] xd = ws.row(1, size);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a0, r * size, xa, 0, size);
            System.arraycopy(d0, r * size, xd, 0, size);
            for (int i = 0; i < size; i++) {
                double x = xa[i];
                double y = -x + xd[i];
                xa[i] = Math.max(x, 0.0) * l[i] + Math.min(x, 0.0) * u[i];
                xd[i] = Math.max(y, 0.0) * l[i] + Math.min(y, 0.0) * u[i];
            }
            out[r] = bias[r] + sum(xa, size);
            out[rows + r] = -bias[r] + biasD[r] + sum(xd, size);
        }
        return out;
    }

    /** Lower rows {@code a} and differences {@code d} on the model input, with their constant terms. */
    private record Paired(double[] a, double[] d, double[] bias, double[] biasD) {
    }

    /**
     * The walk behind {@link #pairedBounds} and {@link #pairedBackward}, with the rows in pairs: the
     * upper-bound row of an element (the lower-bound row of {@code -c}) is the negated lower-bound
     * row until the first nonlinear node, and afterwards differs from it by {@code D}, non-zero only
     * where the two rows chose different relaxation lines (the unstable elements of ReLUs). So only
     * the {@code r} lower rows and {@code D} are propagated; affine operators skip D's zero
     * coefficients. The upper row {@code r} on the input is {@code -a[r] + d[r]} with constant
     * {@code -bias[r] + biasD[r]}. Matrices come from {@code ws}.
     */
    private Paired pairedRows(int target, double[] c, int rows, int[] hot, boolean compact, Workspace ws) {
        int values = graph.valueCount();
        double[][] a = new double[values][];
        double[][] d = new double[values][];
        a[target] = c;
        double[] bias = new double[rows];
        double[] biasD = new double[rows];
        BackwardStep step = new BackwardStep();
        // After a compact Conv first step, each row is non-zero only on the few inputs its output
        // element reads (supp, on value suppValue); elementwise and layout-preserving nodes keep
        // that, so they and the next Conv visit only those elements instead of scanning whole rows.
        // Only along values with a single consumer, which no other node adds into.
        int[][] supp = null;
        int suppValue = -1;
        for (int k = producer[target]; k >= 0; k--) {
            Node n = nodes.get(k);
            double[] aOut = a[n.output()];
            double[] dOut = d[n.output()];
            if (aOut == null && dOut == null) {
                continue;
            }
            if (aOut == null) {
                aOut = new double[dOut.length];
            }
            a[n.output()] = null;
            d[n.output()] = null;
            int[] in = n.inputs();
            Operator op = n.op();
            int[][] rowSupport = n.output() == suppValue ? supp : null;
            suppValue = -1;
            if (op.isLayoutPreserving() && in.length == 1 && a[in[0]] == null && d[in[0]] == null) {
                a[in[0]] = aOut;
                d[in[0]] = dOut;
                if (rowSupport != null && consumers[in[0]] == 1) {
                    suppValue = in[0];
                }
                continue;
            }
            if (op instanceof ElementwiseNonlinear f) {
                int v = in[0];
                double[][] lines = defaultLines(k, f, v);
                int inLen = rows * graph.valueShape(v).size();
                if (a[v] == null) {
                    a[v] = ws.zeroed(ws.a, v, inLen);
                }
                if (d[v] == null) {
                    d[v] = ws.zeroed(ws.d, v, inLen);
                }
                double[] bL = new double[rows];
                double[] bU = new double[rows];
                if (rowSupport != null && consumers[v] == 1) {
                    suppValue = v;
                }
                pairedLines(lines, aOut, dOut, rows, a[v], d[v], bL, bU, rowSupport);
                for (int r = 0; r < rows; r++) {
                    bias[r] += bL[r];
                    biasD[r] += bU[r] + bL[r];
                }
                continue;
            }
            double[][] aIn = new double[in.length][];
            for (int j = 0; j < in.length; j++) {
                if (a[in[j]] == null) {
                    a[in[j]] = ws.zeroed(ws.a, in[j], rows * graph.valueShape(in[j]).size());
                }
                aIn[j] = a[in[j]];
            }
            step.a = aOut;
            step.hot = k == producer[target] ? hot : null;
            step.support = rowSupport;
            step.rows = rows;
            step.aIn = aIn;
            step.bias = bias;
            step.inLo = null;
            step.inHi = null;
            if (compact && k == producer[target]) {
                if (op instanceof org.proofmap.model.ops.Conv conv) {
                    conv.backwardHot(step);
                    if (in.length == 1 && consumers[in[0]] == 1) {
                        supp = new int[rows][];
                        for (int r = 0; r < rows && supp != null; r++) {
                            supp[r] = conv.hotSupport(hot[r]);
                            if (supp[r] == null) {
                                supp = null;
                            }
                        }
                        suppValue = supp != null ? in[0] : -1;
                    }
                } else {
                    ((org.proofmap.model.ops.Linear) op).backwardHot(step);
                }
            } else {
                op.backward(step);
            }
            if (dOut != null) {
                double[][] dIn = new double[in.length][];
                for (int j = 0; j < in.length; j++) {
                    if (d[in[j]] == null) {
                        d[in[j]] = ws.zeroed(ws.d, in[j], rows * graph.valueShape(in[j]).size());
                    }
                    dIn[j] = d[in[j]];
                }
                step.a = dOut;
                step.hot = null;
                step.rows = rows;
                step.aIn = dIn;
                step.bias = biasD;
                op.backward(step);
            }
            step.support = null;
        }
        int size = graph.inputSize();
        double[] a0 = a[0] != null ? a[0] : ws.zeroed(ws.a, 0, rows * size);
        double[] d0 = d[0] != null ? d[0] : ws.zeroed(ws.d, 0, rows * size);
        return new Paired(a0, d0, bias, biasD);
    }

    /**
     * {@link #backward} for the rows {@code [c; -c]} ({@code 2 rows} functions of value
     * {@code target}, no parameters) by {@link #pairedRows} when the graph allows it: the final pass
     * of CROWN, whose upper-bound rows then cost only their differences.
     */
    Linear pairedBackward(int target, double[] c, int rows) {
        int n = graph.inputSize();
        if (!pairable || n < PAIRED_MIN_INPUT) {
            int size = graph.valueShape(target).size();
            double[] both = new double[2 * rows * size];
            for (int i = 0; i < rows * size; i++) {
                both[i] = c[i];
                both[rows * size + i] = -c[i];
            }
            return backward(target, both, 2 * rows, null, null);
        }
        Paired p = pairedRows(target, c.clone(), rows, null, false, new Workspace(graph.valueCount()));
        double[] a = new double[2 * rows * n];
        double[] b = new double[2 * rows];
        System.arraycopy(p.a, 0, a, 0, rows * n);
        for (int i = 0; i < rows * n; i++) {
            a[rows * n + i] = -p.a[i] + p.d[i];
        }
        for (int r = 0; r < rows; r++) {
            b[r] = p.bias[r];
            b[rows + r] = -p.bias[r] + p.biasD[r];
        }
        return new Linear(a, b, 2 * rows, n);
    }

    /**
     * The lower and difference matrices of {@link #pairedBounds}, per value, kept from one chunk to
     * the next of the same task: clearing a matrix that is still in cache costs far less than
     * allocating a fresh one (which the JVM zeroes in memory) per chunk. A matrix may be longer than
     * a chunk needs; operators only touch {@code rows × size} values.
     */
    private static final class Workspace {
        final double[][] a;
        final double[][] d;

        /** Scratch rows, see {@link #row}. */
        private final double[][] rows = new double[2][];

        Workspace(int values) {
            a = new double[values][];
            d = new double[values][];
        }

        /** Scratch row {@code k} (0 or 1) of at least {@code len} values, contents arbitrary. */
        double[] row(int k, int len) {
            if (rows[k] == null || rows[k].length < len) {
                rows[k] = new double[len];
            }
            return rows[k];
        }

        /** Slot {@code v} of {@code pool} with its first {@code len} values zero. */
        double[] zeroed(double[][] pool, int v, int len) {
            double[] x = pool[v];
            if (x == null || x.length < len) {
                x = new double[len];
                pool[v] = x;
            } else {
                Arrays.fill(x, 0, len, 0.0);
            }
            return x;
        }
    }

    /**
     * {@link #applyLines} for paired rows: lower rows {@code aOut}, upper rows {@code -aOut + dOut}
     * ({@code dOut} null for zero). Adds the lower rows' input coefficients to {@code aIn} and the
     * sum of both rows' to {@code dIn}; the biases to {@code bL} and {@code bU}.
     */
    private static void pairedLines(double[][] lines, double[] aOut, double[] dOut, int rows, double[] aIn,
            double[] dIn, double[] bL, double[] bU, int[][] support) {
        double[] lo = lines[0];
        double[] loB = lines[1];
        double[] up = lines[2];
        double[] upB = lines[3];
        int n = lo.length;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double bl = 0;
            double bu = 0;
            int[] only = support == null ? null : support[r];
            int count = only == null ? n : only.length;
            for (int t = 0; t < count; t++) {
                int i = only == null ? t : only[t];
                if (only == null && (i & 7) == 0 && i + 8 <= n && zero8(aOut, o + i)
                        && (dOut == null || zero8(dOut, o + i))) {
                    t += 7; // a block of zeros (rows are often sparse)
                    continue;
                }
                double c = aOut[o + i];
                double dd = dOut == null ? 0.0 : dOut[o + i];
                if (c == 0.0 && dd == 0.0) {
                    continue;
                }
                double li = 0.0;
                if (c != 0.0) {
                    double pos = Math.max(c, 0.0);
                    double neg = Math.min(c, 0.0);
                    li = pos * lo[i] + neg * up[i];
                    bl += pos * loB[i] + neg * upB[i];
                    aIn[o + i] += li;
                }
                double uc = dOut == null ? -c : -c + dd;
                double ui = 0.0;
                if (uc != 0.0) {
                    double pos = Math.max(uc, 0.0);
                    double neg = Math.min(uc, 0.0);
                    ui = pos * lo[i] + neg * up[i];
                    bu += pos * loB[i] + neg * upB[i];
                }
                dIn[o + i] += ui + li;
            }
            bL[r] += bl;
            bU[r] += bu;
        }
    }

    /**
     * {@code x[0] + ... + x[n-1]} in eight interleaved partial sums: independent additions, enough
     * to keep both of a core's adders busy.
     */
    static double sum(double[] x, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        for (; i < n; i++) {
            s0 += x[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Whether {@code x[o..o+7]} are all zero. */
    static boolean zero8(double[] x, int o) {
        return x[o] == 0.0 & x[o + 1] == 0.0 & x[o + 2] == 0.0 & x[o + 3] == 0.0 & x[o + 4] == 0.0
                & x[o + 5] == 0.0 & x[o + 6] == 0.0 & x[o + 7] == 0.0;
    }

    /** Whether intermediate passes may use several cores ({@code -Dproofmap.parallel=false} turns it off). */
    static final boolean PARALLEL = Boolean.parseBoolean(System.getProperty("proofmap.parallel", "true"))
            && Runtime.getRuntime().availableProcessors() > 1;

    // ----- backward propagation

    /** Linear lower bounds {@code a[r]·x + b[r]} in the model input, one per row. */
    static final class Linear {
        final double[] a;
        final double[] b;
        final int rows;
        final int n;

        Linear(double[] a, double[] b, int rows, int n) {
            this.a = a;
            this.b = b;
            this.rows = rows;
            this.n = n;
        }

        /** Minimum of each row over the box. */
        double[] concretize(double[] l, double[] u) {
            double[] out = new double[rows];
            for (int r = 0; r < rows; r++) {
                double s = b[r];
                int o = r * n;
                for (int i = 0; i < n; i++) {
                    double c = a[o + i];
                    if (c != 0.0) {
                        s += Math.max(c, 0.0) * l[i] + Math.min(c, 0.0) * u[i];
                    }
                }
                out[r] = s;
            }
            return out;
        }

        /** The box corner that attains each row's minimum, {@code rows × n}. */
        double[] minimisers(double[] l, double[] u) {
            double[] x = new double[rows * n];
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                for (int i = 0; i < n; i++) {
                    x[o + i] = a[o + i] > 0 ? l[i] : u[i];
                }
            }
            return x;
        }
    }

    /**
     * Optimisable relaxation parameters for a backward pass: per node index, per row and element,
     * the parameter of the lower and of the upper line of an {@link ElementwiseNonlinear} node.
     * Null arrays mean CROWN's default lines.
     */
    static final class Parameters {
        final double[][] low;
        final double[][] up;
        /**
         * beta-CROWN's multipliers of the split constraints, per value id (null: none), rows × size,
         * each >= 0: row r's objective gains {@code −beta·s·z} for a split element with sign s, a
         * Lagrangian term that is <= 0 wherever the split holds, so the bound stays valid on the
         * subdomain while the constraint enters the backward pass itself.
         */
        double[][] beta;

        Parameters(int nodeCount) {
            low = new double[nodeCount][];
            up = new double[nodeCount][];
        }
    }

    /**
     * Propagates {@code rows} linear functions of value {@code target} (coefficients {@code c}, rows ×
     * size, not modified) back to the model input, lower-bound direction. With {@code record}
     * non-null, the coefficients reaching each elementwise nonlinear node's output are stored there
     * (per node index), for alpha-CROWN's gradients.
     */
    Linear backward(int target, double[] c, int rows, Parameters params, double[][] record) {
        return backward(target, c, rows, params, record, false);
    }

    /**
     * As {@link #backward(int, double[], int, Parameters, double[][])}; with {@code stopAtNonlinear},
     * coefficients that reach the output of a nonlinear operator are concretised there against that
     * value's bounds instead of going through it (interval bounds of {@code C·y} that keep the
     * correlations of the trailing affine layers).
     */
    Linear backward(int target, double[] c, int rows, Parameters params, double[][] record, boolean stopAtNonlinear) {
        return backward(target, c, rows, params, record, stopAtNonlinear, null, true, false);
    }

    /**
     * With {@code hot} non-null: row r of {@code c} has its only non-zero at {@code hot[r]}. Without
     * {@code copy}, {@code c} is handed over (it may be modified). With {@code compact}, {@code c}
     * holds only the coefficient of each row's {@code hot} element and the producer of
     * {@code target} is a Conv or a Linear that {@link org.proofmap.model.ops.Linear#supportsHot supports} it.
     */
    private Linear backward(int target, double[] c, int rows, Parameters params, double[][] record,
            boolean stopAtNonlinear, int[] hot, boolean copy, boolean compact) {
        int values = graph.valueCount();
        double[][] a = new double[values][];
        a[target] = copy ? c.clone() : c;
        double[] bias = new double[rows];
        BackwardStep step = new BackwardStep();
        double[] line = new double[4];
        for (int k = producer[target]; k >= 0; k--) {
            Node n = nodes.get(k);
            double[] aOut = a[n.output()];
            if (params != null && params.beta != null && params.beta[n.output()] != null) {
                aOut = addSplitTerms(aOut, params.beta[n.output()], splits[n.output()], rows);
            }
            if (aOut == null) {
                continue;
            }
            a[n.output()] = null;
            int[] in = n.inputs();
            Operator op = n.op();
            if (stopAtNonlinear && (op instanceof ElementwiseNonlinear || op.backwardNeedsInputBounds())) {
                Linear partial = new Linear(aOut, new double[rows], rows, aOut.length / rows);
                double[] m = partial.concretize(lo[n.output()], hi[n.output()]);
                for (int r = 0; r < rows; r++) {
                    bias[r] += m[r];
                }
                continue;
            }
            if (op.isLayoutPreserving() && in.length == 1 && a[in[0]] == null) {
                a[in[0]] = aOut; // same layout: hand the coefficients over
                continue;
            }
            double[][] aIn = inputCoefficients(a, in, rows);
            if (record != null && op instanceof ElementwiseNonlinear) {
                record[k] = aOut.clone();
            }
            if (op instanceof ElementwiseNonlinear f) {
                if (params != null && (params.low[k] != null || params.up[k] != null)) {
                    applyParameterised(f, aOut, rows, aIn[0], bias, lo[in[0]], hi[in[0]], params.low[k], params.up[k],
                            line);
                } else {
                    applyLines(defaultLines(k, f, in[0]), aOut, rows, aIn[0], bias);
                }
                continue;
            }
            step.a = aOut;
            step.hot = k == producer[target] ? hot : null;
            step.rows = rows;
            step.aIn = aIn;
            step.bias = bias;
            if (op.backwardNeedsInputBounds()) {
                double[][] l = new double[in.length][];
                double[][] h = new double[in.length][];
                for (int j = 0; j < in.length; j++) {
                    l[j] = lo[in[j]];
                    h[j] = hi[in[j]];
                }
                step.inLo = l;
                step.inHi = h;
            }
            if (compact && k == producer[target]) {
                // c holds one coefficient per row (see crownValue).
                if (op instanceof org.proofmap.model.ops.Conv conv) {
                    conv.backwardHot(step);
                } else {
                    ((org.proofmap.model.ops.Linear) op).backwardHot(step);
                }
                continue;
            }
            op.backward(step);
        }
        double[] a0 = a[0];
        if (a0 == null) {
            a0 = new double[rows * graph.inputSize()];
        }
        return new Linear(a0, bias, rows, graph.inputSize());
    }

    /** {@code a − beta·s} per row for the split elements ({@code a} may be null: zeros). */
    private static double[] addSplitTerms(double[] a, double[] beta, byte[] signs, int rows) {
        int size = signs.length;
        double[] out = a == null ? new double[rows * size] : a;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < size; j++) {
                if (signs[j] != 0) {
                    out[r * size + j] -= beta[r * size + j] * signs[j];
                }
            }
        }
        return out;
    }

    /** Drops the cached relaxation lines (recomputed on demand): for contexts kept only as parents. */
    void dropLineCache() {
        Arrays.fill(lineCache, null);
    }

    /**
     * CROWN's default lines of an elementwise node, computed once per set of input bounds (the
     * S-curve tangent points need a bisection each) and shared by every backward pass.
     */
    private double[][] defaultLines(int k, ElementwiseNonlinear f, int input) {
        double[][] cached = lineCache[k];
        if (cached != null && cached[4] == lo[input] && cached[5] == hi[input]) {
            return cached;
        }
        double[] l = lo[input];
        double[] u = hi[input];
        int n = l.length;
        double[][] lines = {new double[n], new double[n], new double[n], new double[n], l, u};
        f.relax(l, u, lines[0], lines[1], lines[2], lines[3]);
        lineCache[k] = lines;
        return lines;
    }

    private static void applyLines(double[][] lines, double[] aOut, int rows, double[] aIn, double[] bias) {
        double[] lo = lines[0];
        double[] loB = lines[1];
        double[] up = lines[2];
        double[] upB = lines[3];
        int n = lo.length;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double b = 0;
            for (int i = 0; i < n; i++) {
                if ((i & 7) == 0 && i + 8 <= n && zero8(aOut, o + i)) {
                    i += 7; // a block of zeros (rows are often sparse)
                    continue;
                }
                double coef = aOut[o + i];
                if (coef != 0.0) {
                    double pos = Math.max(coef, 0.0);
                    double neg = Math.min(coef, 0.0);
                    aIn[o + i] += pos * lo[i] + neg * up[i];
                    b += pos * loB[i] + neg * upB[i];
                }
            }
            bias[r] += b;
        }
    }

    private static void applyParameterised(ElementwiseNonlinear f, double[] aOut, int rows, double[] aIn,
            double[] bias, double[] l, double[] u, double[] pLow, double[] pUp, double[] line) {
        int n = l.length;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double b = 0;
            for (int i = 0; i < n; i++) {
                double coef = aOut[o + i];
                if (coef > 0) {
                    f.lowerLine(l[i], u[i], pLow != null ? pLow[o + i] : f.defaultParameter(l[i], u[i]), line);
                } else if (coef < 0) {
                    f.upperLine(l[i], u[i], pUp != null ? pUp[o + i] : f.defaultUpperParameter(l[i], u[i]), line);
                } else {
                    continue;
                }
                aIn[o + i] += coef * line[0];
                b += coef * line[1];
            }
            bias[r] += b;
        }
    }

    /**
     * The coefficient matrices of a node's inputs, allocated (zeroed, {@code rows × size}) where no
     * consumer has written one yet; operators add into them.
     */
    private double[][] inputCoefficients(double[][] a, int[] in, int rows) {
        double[][] aIn = new double[in.length][];
        for (int j = 0; j < in.length; j++) {
            if (a[in[j]] == null) {
                a[in[j]] = new double[rows * graph.valueShape(in[j]).size()];
            }
            aIn[j] = a[in[j]];
        }
        return aIn;
    }

    List<Node> nodes() {
        return nodes;
    }

    int producerOf(int value) {
        return producer[value];
    }
}
