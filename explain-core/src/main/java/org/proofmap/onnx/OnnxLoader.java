package org.proofmap.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.proofmap.ProofmapException;
import org.proofmap.model.Attributes;
import org.proofmap.model.Graph;
import org.proofmap.model.ModelException;
import org.proofmap.model.Node;
import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;
import org.proofmap.model.Value;
import org.proofmap.model.ops.Operator;
import org.proofmap.model.ops.OperatorContext;
import org.proofmap.model.ops.Operators;
import org.proofmap.onnx.proto.OnnxProto.AttributeProto;
import org.proofmap.onnx.proto.OnnxProto.GraphProto;
import org.proofmap.onnx.proto.OnnxProto.ModelProto;
import org.proofmap.onnx.proto.OnnxProto.NodeProto;
import org.proofmap.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.proofmap.onnx.proto.OnnxProto.TensorProto;
import org.proofmap.onnx.proto.OnnxProto.TensorShapeProto;
import org.proofmap.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Reads an ONNX model into a {@link Graph}: weights converted to double, every shape resolved,
 * everything that does not depend on the model input (initializers, Constant nodes, the
 * Shape/Gather/Cast/Concat chains that exporters emit) folded, and nodes that do not reach the output
 * dropped. Any problem with the file is a {@link ProofmapException} naming the file, and the node
 * where there is one.
 *
 * <p>Supported: opsets 7 to {@value #MAX_OPSET} of the default domain, initializers stored as
 * {@code raw_data} or in the typed fields (float, double, float16, integer and boolean types),
 * initializers also listed as graph inputs, one model input whose batch dimension is a symbol or 1.
 */
public final class OnnxLoader {
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 21;

    private final String file;

    private OnnxLoader(String file) {
        this.file = file;
    }

    /** Loads the model in {@code path}. */
    public static Graph load(Path path) {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new ProofmapException(name, "is a directory, not an ONNX file");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "file not found");
        } catch (AccessDeniedException e) {
            throw new ProofmapException(name, "permission denied");
        } catch (IOException e) {
            throw new ProofmapException(name, "cannot read file: " + e.getMessage());
        }
        return load(bytes, name);
    }

    /** Loads a model from its serialised bytes; {@code sourceName} is used in messages. */
    public static Graph load(byte[] bytes, String sourceName) {
        return new OnnxLoader(sourceName).build(parse(bytes, sourceName));
    }

    /** Parses the protobuf message only (used by tools that inspect the raw file). */
    public static ModelProto parse(byte[] bytes, String sourceName) {
        if (bytes.length == 0) {
            throw new ProofmapException(sourceName, "not a valid ONNX model: the file is empty");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(200);
            ModelProto m = ModelProto.parseFrom(in);
            if (!m.hasGraph() || !m.hasIrVersion() || m.getGraph().getNodeCount() == 0) {
                throw new ProofmapException(sourceName, "not a valid ONNX model: "
                        + (!m.hasIrVersion() ? "no IR version" : !m.hasGraph() ? "no graph" : "the graph has no nodes"));
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new ProofmapException(sourceName, "not a valid ONNX model (truncated or corrupt protobuf: "
                    + firstSentence(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new ProofmapException(sourceName, "not a valid ONNX model: " + e.getMessage());
        }
    }

    private static String firstSentence(String msg) {
        if (msg == null) {
            return "parse error";
        }
        int dot = msg.indexOf(". ");
        return (dot > 0 ? msg.substring(0, dot) : msg).trim();
    }

    private ProofmapException error(String message) {
        return new ProofmapException(file, message);
    }

    private Graph build(ModelProto model) {
        int opset = opset(model);
        GraphProto g = model.getGraph();

        Map<String, Value> values = new HashMap<>();
        for (TensorProto init : g.getInitializerList()) {
            Tensor t = tensor(init, "initializer '" + init.getName() + "'");
            values.put(init.getName(), Value.constant(init.getName(), t));
        }
        List<ValueInfoProto> dataInputs = new ArrayList<>();
        for (ValueInfoProto vi : g.getInputList()) {
            if (!values.containsKey(vi.getName())) {
                dataInputs.add(vi);
            }
        }
        if (dataInputs.size() != 1) {
            throw error("the model must have exactly one data input, found " + dataInputs.size()
                    + (dataInputs.isEmpty() ? "" : " (" + names(dataInputs) + ")"));
        }
        ValueInfoProto input = dataInputs.get(0);
        Shape inputShape = inputShape(input);
        values.put(input.getName(), Value.dynamic(input.getName(), inputShape));

        List<Shape> shapes = new ArrayList<>();
        shapes.add(inputShape);
        Map<String, Integer> ids = new HashMap<>();
        ids.put(input.getName(), 0);
        List<Node> nodes = new ArrayList<>();
        Set<String> secondary = new HashSet<>();
        int folded = 0;

        for (NodeProto np : topologicalOrder(g, values.keySet())) {
            String nodeName = np.getName().isEmpty() ? np.getOpType() + "->" + first(np.getOutputList()) : np.getName();
            String where = "node '" + nodeName + "' (" + np.getOpType() + ")";
            String domain = np.getDomain();
            if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
                throw error("unsupported operator '" + domain + "." + np.getOpType() + "' in node '" + nodeName + "'");
            }
            if (!Operators.isSupported(np.getOpType())) {
                throw error("unsupported operator '" + np.getOpType() + "' in node '" + nodeName + "'");
            }
            List<Value> ins = new ArrayList<>();
            for (String in : np.getInputList()) {
                if (in.isEmpty()) {
                    ins.add(null);
                    continue;
                }
                if (secondary.contains(in)) {
                    throw error(where + ": uses '" + in + "', a secondary output, which is not supported");
                }
                ins.add(values.get(in));
            }
            Attributes attrs = attributes(np, where);
            if (np.getOutputCount() == 0) {
                throw error(where + ": has no output");
            }
            for (int k = 1; k < np.getOutputCount(); k++) {
                if (!np.getOutput(k).isEmpty()) {
                    secondary.add(np.getOutput(k));
                }
            }
            String outName = np.getOutput(0);
            Value result;
            try {
                result = evaluate(np.getOpType(), opset, attrs, ins, outName, nodes, ids, shapes, nodeName);
            } catch (ModelException | IllegalArgumentException e) {
                throw error(where + ": " + e.getMessage());
            }
            if (result.isConstant()) {
                folded++;
                checkFinite(result.constant(), where + " folds to a value that");
            }
            values.put(outName, result);
        }

        if (g.getOutputCount() == 0) {
            throw error("the graph has no output");
        }
        String outName = g.getOutput(0).getName();
        if (secondary.contains(outName)) {
            throw error("the graph output '" + outName + "' is a secondary node output, which is not supported");
        }
        Value out = values.get(outName);
        if (out == null) {
            throw error("the graph output '" + outName + "' is not produced by any node");
        }
        if (out.isConstant()) {
            throw error("the graph output '" + outName + "' does not depend on the input");
        }
        int outId = ids.get(outName);
        checkDeclaredOutputShape(g.getOutput(0), out.shape());

        List<Node> kept = prune(nodes, outId);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("ir_version", String.valueOf(model.getIrVersion()));
        meta.put("opset", String.valueOf(opset));
        meta.put("producer", (model.getProducerName() + " " + model.getProducerVersion()).trim());
        meta.put("graph_name", g.getName());
        meta.put("onnx_nodes", String.valueOf(g.getNodeCount()));
        meta.put("folded_nodes", String.valueOf(folded));
        meta.put("pruned_nodes", String.valueOf(nodes.size() - kept.size()));
        return new Graph(file, input.getName(), outName, kept, shapes.toArray(new Shape[0]), outId, meta);
    }

    /** Builds one node: folds it when nothing it reads depends on the model input. */
    private static Value evaluate(String opType, int opset, Attributes attrs, List<Value> ins, String outName,
            List<Node> nodes, Map<String, Integer> ids, List<Shape> shapes, String nodeName) {
        int firstPresent = -1;
        boolean allConstant = true;
        for (int i = 0; i < ins.size(); i++) {
            Value v = ins.get(i);
            if (v == null) {
                continue;
            }
            if (firstPresent < 0) {
                firstPresent = i;
            }
            allConstant &= v.isConstant();
        }
        if (allConstant && firstPresent >= 0) {
            // Present the first input as dynamic and evaluate once: every family then folds for free.
            // ConstantOfShape reads the value of its input (the shape to fill), so it keeps it constant.
            List<Value> asDynamic = new ArrayList<>(ins);
            Value v0 = ins.get(firstPresent);
            if (!opType.equals("ConstantOfShape")) {
                asDynamic.set(firstPresent, Value.dynamic(v0.name(), v0.shape()));
            }
            Operator op = Operators.create(new OperatorContext(opType, opset, attrs, asDynamic, true));
            Tensor c = op.constantOutput();
            if (c == null) {
                double[] out = new double[op.outputShape().size()];
                op.forward(new double[][] {v0.constant().data()}, out, 1);
                c = new Tensor(op.outputShape(), out);
            }
            return Value.constant(outName, c);
        }
        Operator op = Operators.create(new OperatorContext(opType, opset, attrs, ins, false));
        if (op.constantOutput() != null) {
            return Value.constant(outName, op.constantOutput());
        }
        int[] dyn = ins.stream().filter(v -> v != null && !v.isConstant()).mapToInt(v -> ids.get(v.name())).toArray();
        int id = shapes.size();
        shapes.add(op.outputShape());
        ids.put(outName, id);
        nodes.add(new Node(nodeName, op, dyn, id));
        return Value.dynamic(outName, op.outputShape());
    }

    private static List<Node> prune(List<Node> nodes, int outId) {
        Set<Integer> needed = new HashSet<>();
        needed.add(outId);
        Deque<Node> keep = new ArrayDeque<>();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            if (needed.contains(n.output())) {
                keep.addFirst(n);
                for (int i : n.inputs()) {
                    needed.add(i);
                }
            }
        }
        return new ArrayList<>(keep);
    }

    private int opset(ModelProto model) {
        int opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw error("the model imports no default-domain opset");
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw error("opset " + opset + " is not supported (supported: " + MIN_OPSET + " to " + MAX_OPSET + ")");
        }
        return opset;
    }

    private Shape inputShape(ValueInfoProto vi) {
        String what = "input '" + vi.getName() + "'";
        if (!vi.hasType() || !vi.getType().hasTensorType()) {
            throw error(what + " is not a tensor");
        }
        var tt = vi.getType().getTensorType();
        int et = tt.getElemType();
        if (et != TensorProto.DataType.FLOAT_VALUE && et != TensorProto.DataType.DOUBLE_VALUE
                && et != TensorProto.DataType.FLOAT16_VALUE) {
            throw error(what + " has element type " + typeName(et) + "; a floating-point input is required");
        }
        if (!tt.hasShape()) {
            throw error(what + " has no shape");
        }
        List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            TensorShapeProto.Dimension dim = dims.get(i);
            boolean known = dim.hasDimValue() && dim.getDimValue() > 0;
            if (i == 0 && (!known || dim.getDimValue() == 1)) {
                d[i] = 1; // batch dimension: a symbol, unknown, or 1
            } else if (known) {
                if (i == 0) {
                    throw error(what + " has a fixed batch dimension of " + dim.getDimValue() + "; only 1 is supported");
                }
                d[i] = (int) dim.getDimValue();
            } else {
                throw error(what + " has a symbolic or unknown size in dimension " + i + " ("
                        + (dim.hasDimParam() ? dim.getDimParam() : "?") + "); only the batch dimension may be symbolic");
            }
        }
        if (d.length == 0) {
            throw error(what + " is a scalar; a tensor input is required");
        }
        return Shape.of(d);
    }

    private void checkDeclaredOutputShape(ValueInfoProto vi, Shape actual) {
        if (!vi.hasType() || !vi.getType().hasTensorType() || !vi.getType().getTensorType().hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = vi.getType().getTensorType().getShape().getDimList();
        if (dims.isEmpty()) {
            return;
        }
        if (dims.size() != actual.rank()) {
            throw error("the graph output '" + vi.getName() + "' is declared with rank " + dims.size()
                    + " but the nodes compute shape " + actual);
        }
        for (int i = 1; i < dims.size(); i++) {
            var dim = dims.get(i);
            if (dim.hasDimValue() && dim.getDimValue() > 0 && dim.getDimValue() != actual.dim(i)) {
                throw error("the graph output '" + vi.getName() + "' is declared with size " + dim.getDimValue()
                        + " in dimension " + i + " but the nodes compute shape " + actual);
            }
        }
    }

    /** Orders nodes so each comes after the producers of its inputs; rejects undefined values and cycles. */
    private List<NodeProto> topologicalOrder(GraphProto g, Set<String> available) {
        Set<String> have = new HashSet<>(available);
        for (ValueInfoProto vi : g.getInputList()) {
            have.add(vi.getName());
        }
        List<NodeProto> pending = new ArrayList<>(g.getNodeList());
        List<NodeProto> order = new ArrayList<>(pending.size());
        Set<String> produced = new HashSet<>();
        for (NodeProto n : pending) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && (!produced.add(o) || have.contains(o))) {
                    throw error("value '" + o + "' is defined more than once");
                }
            }
        }
        while (!pending.isEmpty()) {
            List<NodeProto> next = new ArrayList<>();
            for (NodeProto n : pending) {
                boolean ready = true;
                for (String in : n.getInputList()) {
                    if (!in.isEmpty() && !have.contains(in)) {
                        ready = false;
                        break;
                    }
                }
                if (ready) {
                    order.add(n);
                    have.addAll(n.getOutputList());
                } else {
                    next.add(n);
                }
            }
            if (next.size() == pending.size()) {
                NodeProto n = next.get(0);
                for (String in : n.getInputList()) {
                    if (!in.isEmpty() && !have.contains(in) && !produced.contains(in)) {
                        throw error("node '" + n.getName() + "' (" + n.getOpType() + ") reads '" + in
                                + "', which no node, input or initializer defines");
                    }
                }
                throw error("the graph has a cycle through node '" + n.getName() + "'");
            }
            pending = next;
        }
        return order;
    }

    private Attributes attributes(NodeProto np, String where) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (AttributeProto a : np.getAttributeList()) {
            Object v = switch (attributeType(a)) {
                case FLOAT -> (double) a.getF();
                case INT -> a.getI();
                case STRING -> a.getS().toString(StandardCharsets.UTF_8);
                case TENSOR -> {
                    Tensor t = tensor(a.getT(), where + " attribute '" + a.getName() + "'");
                    yield t;
                }
                case FLOATS -> {
                    double[] d = new double[a.getFloatsCount()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = a.getFloats(i);
                    }
                    yield d;
                }
                case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                case STRINGS -> a.getStringsList().stream().map(b -> b.toString(StandardCharsets.UTF_8))
                        .toArray(String[]::new);
                default -> null; // graphs and sparse tensors: no supported operator reads them
            };
            if (v != null) {
                m.put(a.getName(), v);
            }
        }
        return new Attributes(m);
    }

    private static AttributeProto.AttributeType attributeType(AttributeProto a) {
        if (a.hasType() && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
            return a.getType();
        }
        // IR version 1 files have no type field: infer it from the field that is set.
        if (a.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        }
        if (a.hasI()) {
            return AttributeProto.AttributeType.INT;
        }
        if (a.hasS()) {
            return AttributeProto.AttributeType.STRING;
        }
        if (a.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        }
        if (a.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        }
        if (a.getIntsCount() > 0) {
            return AttributeProto.AttributeType.INTS;
        }
        return AttributeProto.AttributeType.UNDEFINED;
    }

    /** Converts a tensor to doubles, checking its size against its shape and its values for NaN/Inf. */
    Tensor tensor(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw error(what + " keeps its data in an external file, which is not supported");
        }
        Shape shape;
        try {
            shape = Shape.of(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        } catch (IllegalArgumentException e) {
            throw error(what + " has an invalid shape " + t.getDimsList());
        }
        int n = shape.size();
        int type = t.getDataType();
        double[] d;
        ByteString raw = t.getRawData();
        boolean hasRaw = t.hasRawData();
        switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                if (hasRaw) {
                    checkRaw(raw, n, 4, what, shape);
                    d = new double[n];
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        d[i] = b.getFloat();
                    }
                } else {
                    checkCount(t.getFloatDataCount(), n, what, shape);
                    d = new double[n];
                    for (int i = 0; i < n; i++) {
                        d[i] = t.getFloatData(i);
                    }
                }
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                if (hasRaw) {
                    checkRaw(raw, n, 8, what, shape);
                    d = new double[n];
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(d);
                } else {
                    checkCount(t.getDoubleDataCount(), n, what, shape);
                    d = t.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
                }
            }
            case TensorProto.DataType.FLOAT16_VALUE -> {
                d = new double[n];
                if (hasRaw) {
                    checkRaw(raw, n, 2, what, shape);
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        d[i] = halfToFloat(b.getShort() & 0xffff);
                    }
                } else {
                    checkCount(t.getInt32DataCount(), n, what, shape);
                    for (int i = 0; i < n; i++) {
                        d[i] = halfToFloat(t.getInt32Data(i) & 0xffff);
                    }
                }
            }
            case TensorProto.DataType.INT64_VALUE -> {
                if (hasRaw) {
                    checkRaw(raw, n, 8, what, shape);
                    d = new double[n];
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        d[i] = b.getLong();
                    }
                } else {
                    checkCount(t.getInt64DataCount(), n, what, shape);
                    d = t.getInt64DataList().stream().mapToDouble(Long::doubleValue).toArray();
                }
            }
            case TensorProto.DataType.UINT64_VALUE, TensorProto.DataType.UINT32_VALUE -> {
                int width = type == TensorProto.DataType.UINT64_VALUE ? 8 : 4;
                d = new double[n];
                if (hasRaw) {
                    checkRaw(raw, n, width, what, shape);
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        d[i] = width == 8 ? unsigned(b.getLong()) : (b.getInt() & 0xffffffffL);
                    }
                } else {
                    checkCount(t.getUint64DataCount(), n, what, shape);
                    for (int i = 0; i < n; i++) {
                        d[i] = unsigned(t.getUint64Data(i));
                    }
                }
            }
            case TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT16_VALUE, TensorProto.DataType.INT8_VALUE,
                    TensorProto.DataType.UINT16_VALUE, TensorProto.DataType.UINT8_VALUE,
                    TensorProto.DataType.BOOL_VALUE -> {
                d = new double[n];
                if (hasRaw) {
                    int width = switch (type) {
                        case TensorProto.DataType.INT32_VALUE -> 4;
                        case TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE -> 2;
                        default -> 1;
                    };
                    checkRaw(raw, n, width, what, shape);
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        d[i] = switch (type) {
                            case TensorProto.DataType.INT32_VALUE -> b.getInt();
                            case TensorProto.DataType.INT16_VALUE -> b.getShort();
                            case TensorProto.DataType.UINT16_VALUE -> b.getShort() & 0xffff;
                            case TensorProto.DataType.INT8_VALUE -> b.get();
                            default -> b.get() & 0xff;
                        };
                    }
                } else {
                    checkCount(t.getInt32DataCount(), n, what, shape);
                    for (int i = 0; i < n; i++) {
                        d[i] = t.getInt32Data(i);
                    }
                }
            }
            default -> throw error(what + " has element type " + typeName(type) + ", which is not supported");
        }
        Tensor result = new Tensor(shape, d);
        checkFinite(result, what);
        return result;
    }

    private void checkFinite(Tensor t, String what) {
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw error(what + " contains " + (Double.isNaN(d[i]) ? "NaN" : d[i] > 0 ? "+Inf" : "-Inf")
                        + " (element " + i + " of " + d.length + ")");
            }
        }
    }

    private void checkRaw(ByteString raw, int n, int width, String what, Shape shape) {
        if ((long) n * width != raw.size()) {
            throw error(what + " holds " + raw.size() + " bytes but its shape " + shape + " needs " + (long) n * width
                    + " (truncated or inconsistent)");
        }
    }

    private void checkCount(int count, int n, String what, Shape shape) {
        if (count != n) {
            throw error(what + " holds " + count + " values but its shape " + shape + " needs " + n);
        }
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** IEEE 754 half precision to float. */
    static float halfToFloat(int h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = (float) (mant * Math.pow(2, -24));
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = (float) ((1 + mant / 1024.0) * Math.pow(2, exp - 15));
        }
        return sign == 1 ? -v : v;
    }

    private static String typeName(int type) {
        TensorProto.DataType dt = TensorProto.DataType.forNumber(type);
        return dt == null ? "#" + type : dt.name();
    }

    private static String names(List<ValueInfoProto> vis) {
        return String.join(", ", vis.stream().map(ValueInfoProto::getName).toList());
    }

    private static String first(List<String> l) {
        return l.isEmpty() ? "?" : l.get(0);
    }

    @Override
    public String toString() {
        return "OnnxLoader[" + file + "]";
    }
}
