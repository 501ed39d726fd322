using System.Buffers.Binary;
using Google.Protobuf;
using ModelZoo.Import;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>
/// Appends nodes and constants to a graph under construction, with fresh tensor names, and knows the shape every
/// forward tensor had in a probe run (batch 2), which the gradient rules need for broadcasting and padding.
/// </summary>
internal sealed class GraphEmitter
{
    private readonly HashSet<string> _names;
    private readonly Dictionary<string, TensorProto> _constants;
    private int _counter;

    public GraphEmitter(GraphProto graph, IReadOnlyDictionary<string, long[]> shapes)
    {
        Graph = graph;
        Shapes = shapes;
        _constants = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _names = new HashSet<string>(graph.Node.SelectMany(n => n.Output).Concat(graph.Input.Select(i => i.Name)).Concat(_constants.Keys),
            StringComparer.Ordinal);
    }

    /// <summary>Batch size of the probe run whose shapes <see cref="Shapes"/> holds.</summary>
    public const int ProbeBatch = 2;

    public GraphProto Graph { get; }

    /// <summary>Shapes of forward tensors in the probe run (batch <see cref="ProbeBatch"/>).</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    public long[] ShapeOf(string tensor) =>
        Shapes.TryGetValue(tensor, out var shape) ? shape
        : _constants.TryGetValue(tensor, out var c) ? c.Dims.ToArray()
        : throw new InvalidOperationException($"no recorded shape for '{tensor}'");

    /// <summary>The constant (initializer) named <paramref name="name"/>, or null.</summary>
    public TensorProto? Constant(string name) => _constants.GetValueOrDefault(name);

    public string Fresh(string stem)
    {
        string name;
        do
        {
            name = string.Create(CultureInfo.InvariantCulture, $"zoo_grad/{stem}_{_counter++}");
        }
        while (!_names.Add(name));
        return name;
    }

    /// <summary>Adds one node with a single output and returns the output's name.</summary>
    public string Emit(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = Fresh(op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return output;
    }

    public string Floats(float[] values, params long[] dims)
    {
        var name = Fresh("const");
        var tensor = FloatTensor(name, values, dims);
        Graph.Initializer.Add(tensor);
        _constants[name] = tensor;
        return name;
    }

    public string Scalar(float value) => Floats([value]);

    public string Longs(params long[] values)
    {
        var name = Fresh("shape");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        Graph.Initializer.Add(tensor);
        _constants[name] = tensor;
        return name;
    }

    /// <summary>Sums gradient contributions (one stays as it is).</summary>
    public string Sum(IReadOnlyList<string> terms) => terms.Count == 1 ? terms[0] : Emit("Sum", terms);

    /// <summary>Reduces <paramref name="gradient"/> (shaped like <paramref name="outputShape"/>) to the shape of an operand broadcast into it.</summary>
    public string ReduceToShape(string gradient, long[] outputShape, long[] operandShape)
    {
        var offset = outputShape.Length - operandShape.Length;
        var axes = new List<long>();
        for (var i = 0; i < outputShape.Length; i++)
        {
            var j = i - offset;
            if (j < 0 || (operandShape[j] == 1 && outputShape[i] != 1))
            {
                axes.Add(i);
            }
        }

        if (axes.Count == 0)
        {
            return gradient;
        }

        var reduced = Emit("ReduceSum", [gradient, Longs([.. axes])], Int("keepdims", 1));
        return offset == 0 ? reduced : Emit("Reshape", [reduced, Longs(operandShape)]);
    }

    // The library's one attribute builder, under the short names the rules are written with.
    public static AttributeProto Int(string name, long value) => OnnxAttr.Int(name, value);

    public static AttributeProto Ints(string name, IEnumerable<long> values) => OnnxAttr.Ints(name, values);

    public static AttributeProto Float(string name, float value) => OnnxAttr.Float(name, value);

    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    public static long[]? IntsAttribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : null;

    public static string StringAttribute(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    public static TensorProto FloatTensor(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
        }

        tensor.RawData = ByteString.CopyFrom(raw);
        return tensor;
    }

    /// <summary>The values of a float32 constant (raw or typed storage).</summary>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw ZooErrors.FineTuneWeightType.Raise(
                $"Tensor '{tensor.Name}' has ONNX element type {tensor.DataType}, not float32; fine-tune a float32 model (not a quantized one).");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw ZooErrors.FineTuneExternalData.Raise(
                $"Tensor '{tensor.Name}' is stored outside the model file; save the model with its weights inside it first.");
        }

        var count = (int)tensor.Dims.Aggregate(1L, (n, d) => n * d);
        if (tensor.HasRawData || tensor.RawData.Length > 0)
        {
            var raw = tensor.RawData.Span;
            var values = new float[raw.Length / 4];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
            }

            return values;
        }

        var typed = tensor.FloatData.ToArray();
        return typed.Length == 1 && count > 1 ? Enumerable.Repeat(typed[0], count).ToArray() : typed;
    }

    /// <summary>Reads an int64 (or int32) constant.</summary>
    public static long[] ReadLongs(TensorProto tensor)
    {
        if (tensor.DataType == (int)TensorProto.Types.DataType.Int64)
        {
            if (tensor.RawData.Length > 0)
            {
                var raw = tensor.RawData.ToByteArray();
                return Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * i))).ToArray();
            }

            return tensor.Int64Data.ToArray();
        }

        if (tensor.DataType == (int)TensorProto.Types.DataType.Int32)
        {
            if (tensor.RawData.Length > 0)
            {
                var raw = tensor.RawData.ToByteArray();
                return Enumerable.Range(0, raw.Length / 4).Select(i => (long)BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(4 * i))).ToArray();
            }

            return tensor.Int32Data.Select(v => (long)v).ToArray();
        }

        throw new InvalidOperationException($"'{tensor.Name}' is not an integer tensor");
    }

    /// <summary>A float tensor value; with no <paramref name="dims"/> its shape is left unknown (not a scalar).</summary>
    public static ValueInfoProto FloatValue(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (dims.Length > 0)
        {
            tensor.Shape = new TensorShapeProto();
            tensor.Shape.Dim.Add(dims);
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    public static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    public static TensorShapeProto.Types.Dimension Dim(string symbol) => new() { DimParam = symbol };
}
