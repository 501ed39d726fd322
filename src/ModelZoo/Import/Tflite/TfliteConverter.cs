using ModelZoo.Import;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// State of one translation: the ONNX graph being written and the value of every TFLite tensor translated so far.
/// Constant tensors are read from their buffers on first use; run-time tensors must have been produced by an earlier
/// operator (TFLite stores operators in execution order). Converters see the operator through <see cref="Operator"/>.
/// </summary>
internal sealed class TfliteConverter : OnnxGraphWriter
{
    private readonly Dictionary<int, TfValue> _values = new();

    public TfliteConverter(TfliteModel model)
    {
        Model = model;
    }

    public TfliteModel Model { get; }

    /// <summary>The operator being translated.</summary>
    public TfliteOperator Operator { get; set; } = null!;

    public void Define(int tensor, TfValue value) => _values[tensor] = value;

    /// <summary>True when the tensor holds data in the file (a weight or another constant).</summary>
    public bool IsConstant(int tensor) => tensor >= 0 && Model.Buffer(Model.Tensors[tensor].Buffer).Length > 0;

    /// <summary>The value of tensor <paramref name="tensor"/>: a constant from its buffer, or a translated run-time value.</summary>
    public TfValue Value(int tensor)
    {
        if (_values.TryGetValue(tensor, out var value))
        {
            return value;
        }
        var t = Model.Tensors[tensor];
        if (TfliteConstants.Read(Model, t) is { } constant)
        {
            if (t.Quantization is not null && t.Type is TfliteTensorTypes.Int8 or TfliteTensorTypes.UInt8 or TfliteTensorTypes.Int16
                && Operator.Op != "DEQUANTIZE")
            {
                throw new NodeNotSupportedException($"the quantized constant '{t.Name}' feeds a {Operator.Op}; quantized (integer) models are not supported");
            }
            value = TfValue.Constant(constant);
            _values[tensor] = value;
            return value;
        }
        throw new NodeNotSupportedException($"tensor {tensor} ('{t.Name}') is read before any operator produces it");
    }

    /// <summary>Input <paramref name="i"/> of the current operator.</summary>
    public TfValue In(int i)
    {
        if (i >= Operator.Inputs.Length || Operator.Inputs[i] < 0)
        {
            throw new NodeNotSupportedException($"input {i} is missing");
        }
        return Value(Operator.Inputs[i]);
    }

    /// <summary>Input <paramref name="i"/>, or null when the operator omits that optional input.</summary>
    public TfValue? OptionalIn(int i) => i < Operator.Inputs.Length && Operator.Inputs[i] >= 0 ? Value(Operator.Inputs[i]) : null;

    /// <summary>Input <paramref name="i"/>'s value, which must be stored in the file.</summary>
    public ConstTensor ConstIn(int i, string what) =>
        In(i).Const ?? throw new NodeNotSupportedException($"{what} (input {i}) must be a constant");

    /// <summary>The declared tensor of output <paramref name="k"/>.</summary>
    public TfliteTensor OutTensor(int k = 0) =>
        k < Operator.Outputs.Length ? Model.Tensors[Operator.Outputs[k]] : throw new NodeNotSupportedException($"output {k} is missing");

    /// <summary>Sets output <paramref name="k"/> of the current operator.</summary>
    public void Set(TfValue value, int k = 0) => _values[Operator.Outputs[k]] = value;

    public TfValue Scalar(float value) => TfValue.Constant(ConstTensor.Scalar(TensorType.Float, value));

    protected override string NodePrefix => $"op{Operator.Index}";

    /// <inheritdoc />
    public override TfValue Op(string opType, IReadOnlyList<TfValue?> inputs, TensorType type, long[]? shape, params AttributeProto[] attributes)
    {
        var node = NewNode(opType, inputs);
        node.Output.Add(node.Name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return new TfValue(node.Name, type, shape);
    }

    /// <summary>Reshapes (folded for constants).</summary>
    public TfValue Reshape(TfValue value, long[] shape)
    {
        if (value.Const is { } c && Shapes.IsStatic(shape))
        {
            return Constant(c.Reshape(shape));
        }
        return Op("Reshape", [value, Longs(shape)], value.Type, Shapes.IsStatic(shape) ? shape : null);
    }
}
