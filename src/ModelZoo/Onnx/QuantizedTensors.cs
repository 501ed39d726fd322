using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// Facts about operator-style quantized graphs (QLinear* ops, as ONNX Runtime's quantizer and Intel Neural
/// Compressor write them): which tensors hold 8-bit values and which scale / zero point turn them back into floats.
/// </summary>
internal static class QuantizedTensors
{
    /// <summary>Ops whose first output is quantized, with the input positions of that output's scale and zero point.</summary>
    private static readonly Dictionary<string, (int Scale, int ZeroPoint)> QuantizedOutputs = new(StringComparer.Ordinal)
    {
        ["QuantizeLinear"] = (1, 2),
        ["DynamicQuantizeLinear"] = (-1, -1),
        ["QLinearConv"] = (6, 7),
        ["QLinearMatMul"] = (6, 7),
        ["QLinearAdd"] = (6, 7),
        ["QLinearMul"] = (6, 7),
        ["QLinearGlobalAveragePool"] = (3, 4),
        ["QLinearAveragePool"] = (3, 4),
        ["QLinearLeakyRelu"] = (3, 4),
        ["QLinearSigmoid"] = (3, 4),
    };

    /// <summary>Ops that read quantized inputs: (data, scale, zero point) input positions.</summary>
    private static readonly Dictionary<string, (int Data, int Scale, int ZeroPoint)[]> QuantizedInputs = new(StringComparer.Ordinal)
    {
        ["DequantizeLinear"] = [(0, 1, 2)],
        ["QLinearConv"] = [(0, 1, 2)],
        ["QLinearMatMul"] = [(0, 1, 2), (3, 4, 5)],
        ["QLinearAdd"] = [(0, 1, 2), (3, 4, 5)],
        ["QLinearMul"] = [(0, 1, 2), (3, 4, 5)],
        ["QLinearGlobalAveragePool"] = [(0, 1, 2)],
        ["QLinearAveragePool"] = [(0, 1, 2)],
        ["QLinearLeakyRelu"] = [(0, 1, 2)],
        ["QLinearSigmoid"] = [(0, 1, 2)],
    };

    /// <summary>Ops that move quantized values around without changing them, so scale and zero point carry through.</summary>
    private static readonly HashSet<string> PassThrough = new(StringComparer.Ordinal)
    {
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Identity", "MaxPool", "GlobalMaxPool",
    };

    private const int MaxDepth = 16;

    /// <summary>True when <paramref name="tensor"/> holds 8-bit quantized values.</summary>
    public static bool IsQuantized(GraphIndex index, string tensor) => IsQuantized(index, tensor, 0);

    /// <summary>The scale and zero-point tensor names of a quantized tensor (the zero point may be empty), or null.</summary>
    public static (string Scale, string ZeroPoint)? Parameters(GraphIndex index, string tensor) =>
        FromProducer(index, tensor, 0) ?? FromConsumers(index, tensor, 0);

    private static bool IsQuantized(GraphIndex index, string tensor, int depth)
    {
        if (index.DeclaredElementType(tensor) is int declared)
        {
            return declared is (int)TensorProto.Types.DataType.Uint8 or (int)TensorProto.Types.DataType.Int8;
        }
        var producer = index.Producer(tensor);
        if (producer is null || depth > MaxDepth)
        {
            return false;
        }
        if (QuantizedOutputs.ContainsKey(producer.OpType) && producer.Output[0] == tensor)
        {
            return true;
        }
        return PassThrough.Contains(producer.OpType) && IsQuantized(index, producer.Input[0], depth + 1);
    }

    private static (string, string)? FromProducer(GraphIndex index, string tensor, int depth)
    {
        var producer = index.Producer(tensor);
        if (producer is null || depth > MaxDepth)
        {
            return null;
        }
        if (QuantizedOutputs.TryGetValue(producer.OpType, out var positions) && positions.Scale >= 0
            && producer.Output[0] == tensor && producer.Input.Count > positions.Scale)
        {
            var zeroPoint = producer.Input.Count > positions.ZeroPoint ? producer.Input[positions.ZeroPoint] : "";
            return (producer.Input[positions.Scale], zeroPoint);
        }
        return PassThrough.Contains(producer.OpType) ? FromProducer(index, producer.Input[0], depth + 1) : null;
    }

    private static (string, string)? FromConsumers(GraphIndex index, string tensor, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        foreach (var consumer in index.Consumers(tensor))
        {
            if (QuantizedInputs.TryGetValue(consumer.OpType, out var slots))
            {
                foreach (var (data, scale, zeroPoint) in slots)
                {
                    if (consumer.Input.Count > scale && consumer.Input[data] == tensor)
                    {
                        return (consumer.Input[scale], consumer.Input.Count > zeroPoint ? consumer.Input[zeroPoint] : "");
                    }
                }
            }
            else if (PassThrough.Contains(consumer.OpType) && consumer.Input[0] == tensor
                     && FromConsumers(index, consumer.Output[0], depth + 1) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}
