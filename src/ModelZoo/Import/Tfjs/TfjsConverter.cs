using ModelZoo.Import;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tfjs;

/// <summary>
/// State of one translation: the ONNX graph being written, the value of every translated TensorFlow output, and
/// helpers the op converters share (materialising constants, casts, transposes). Converters see the node being
/// translated through <see cref="Node"/> and read its inputs with <see cref="In"/>.
/// </summary>
internal sealed class TfjsConverter : OnnxGraphWriter
{
    private readonly Dictionary<(string Node, int Index), TfValue> _values = new();
    private readonly Dictionary<string, TfNode> _nodes;

    public TfjsConverter(Dictionary<string, TfNode> nodes)
    {
        _nodes = nodes;
    }

    /// <summary>The node being translated.</summary>
    public TfNode Node { get; set; } = null!;

    public int InputCount => Node.Inputs.Count;

    public bool TryGet(string reference, out TfValue value)
    {
        var (node, index) = TfNode.ParseReference(reference);
        if (_values.TryGetValue((node, index), out value!))
        {
            return true;
        }
        // Identity-like nodes are aliased; a reference "a:0" and "a" are the same output.
        return false;
    }

    public void Define(string node, int index, TfValue value) => _values[(node, index)] = value;

    /// <summary>Input <paramref name="i"/> of the current node.</summary>
    public TfValue In(int i)
    {
        if (i >= Node.Inputs.Count)
        {
            throw new NodeNotSupportedException($"expected at least {i + 1} inputs, found {Node.Inputs.Count}");
        }
        if (!TryGet(Node.Inputs[i], out var value))
        {
            throw new InvalidOperationException($"Input '{Node.Inputs[i]}' of '{Node.Name}' has not been translated.");
        }
        return value;
    }

    /// <summary>Input <paramref name="i"/>'s value, which must be known at import time.</summary>
    public ConstTensor ConstIn(int i, string what)
    {
        var value = In(i);
        return value.Const ?? throw new NodeNotSupportedException($"{what} (input {i}) must be a constant");
    }

    /// <summary>Sets output <paramref name="k"/> of the current node.</summary>
    public void Set(TfValue value, int k = 0) => _values[(Node.Name, k)] = value;

    public TfValue Scalar(TensorType type, double value) => TfValue.Constant(ConstTensor.Scalar(type, value));

    protected override string NodePrefix => Node.Name;

    /// <inheritdoc />
    public override TfValue Op(string opType, IReadOnlyList<TfValue?> inputs, TensorType type, long[]? shape, params AttributeProto[] attributes) =>
        OpMulti(opType, inputs, [(type, shape)], attributes)[0];

    /// <summary>Adds one node with several outputs.</summary>
    public TfValue[] OpMulti(string opType, IReadOnlyList<TfValue?> inputs, IReadOnlyList<(TensorType Type, long[]? Shape)> outputs,
        params AttributeProto[] attributes)
    {
        var node = NewNode(opType, inputs);
        var result = new TfValue[outputs.Count];
        for (var k = 0; k < outputs.Count; k++)
        {
            var name = Unique(k == 0 ? node.Name : node.Name + ":" + k);
            node.Output.Add(name);
            result[k] = new TfValue(name, outputs[k].Type, outputs[k].Shape);
        }
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return result;
    }

    /// <summary>Casts to <paramref name="type"/> (folded for constants; a no-op when already that type).</summary>
    public TfValue Cast(TfValue value, TensorType type)
    {
        if (value.Type == type)
        {
            return value;
        }
        if (value.Const is { } c)
        {
            return Constant(c.CastTo(type));
        }
        return Op("Cast", [value], type, value.Shape, OnnxAttr.Int("to", (long)type));
    }

    /// <summary>An int64 vector value for ONNX inputs that need one (shapes, axes, pads), folded for constants.</summary>
    public TfValue AsInt64(TfValue value) => Cast(value, TensorType.Int64);

    public TfValue Unsqueeze(TfValue value, params long[] axes)
    {
        var shape = value.Shape;
        long[]? outShape = null;
        if (shape is not null)
        {
            var rank = shape.Length + axes.Length;
            var normalized = axes.Select(a => Shapes.Axis(a, rank)).ToHashSet();
            var list = new List<long>();
            var src = 0;
            for (var i = 0; i < rank; i++)
            {
                list.Add(normalized.Contains(i) ? 1 : shape[src++]);
            }
            outShape = list.ToArray();
        }
        if (value.Const is { } c && outShape is not null)
        {
            return Constant(c.Reshape(outShape));
        }
        return Op("Unsqueeze", [value, Longs(axes)], value.Type, outShape);
    }

    public TfValue Squeeze(TfValue value, params long[] axes)
    {
        long[]? outShape = null;
        if (value.Shape is { } shape)
        {
            var normalized = axes.Select(a => Shapes.Axis(a, shape.Length)).ToHashSet();
            outShape = axes.Length == 0
                ? (shape.All(d => d >= 0) ? shape.Where(d => d != 1).ToArray() : null)
                : shape.Where((_, i) => !normalized.Contains(i)).ToArray();
        }
        if (value.Const is { } c && outShape is not null)
        {
            return Constant(c.Reshape(outShape));
        }
        return axes.Length == 0
            ? Op("Squeeze", [value], value.Type, outShape)
            : Op("Squeeze", [value, Longs(axes)], value.Type, outShape);
    }

    /// <summary>The TensorFlow node that produces <paramref name="reference"/>, if any.</summary>
    public TfNode? Producer(string reference) => _nodes.GetValueOrDefault(TfNode.ParseReference(reference).Node);
}
