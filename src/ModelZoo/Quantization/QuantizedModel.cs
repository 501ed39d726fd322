using ModelZoo.Onnx;

namespace ModelZoo.Quantization;

/// <summary>The result of <see cref="StaticQuantizer.Quantize"/>.</summary>
/// <param name="Model">The QDQ int8 model (opset 13 or later).</param>
/// <param name="Preprocess">The card's preprocessing graph, left in float and brought to the model's opset so the two
/// can still be joined; null when the card has none.</param>
/// <param name="QuantizedTensors">Activation tensors given a QuantizeLinear/DequantizeLinear pair.</param>
/// <param name="QuantizedWeights">Weight tensors stored as int8.</param>
/// <param name="FloatNodes">Compute nodes left in float on purpose (e.g. the classifier head), by name.</param>
/// <param name="Agreement">Agreement with the float model, measured on the calibration images.</param>
public sealed record QuantizedModel(
    OnnxModel Model,
    OnnxModel? Preprocess,
    int QuantizedTensors,
    int QuantizedWeights,
    IReadOnlyList<string> FloatNodes,
    QuantizationAgreement Agreement)
{
    /// <summary>When <see cref="QuantizationAgreement.Passes"/> is false: every compared node of the int8 graph,
    /// the one that adds most error to what it received first (int8 and fp32 run on the first calibration images
    /// with every float node output exposed). Empty when the agreement passes.</summary>
    public IReadOnlyList<NodeDivergence> Divergence { get; init; } = [];

    /// <summary>The <paramref name="count"/> worst nodes of <see cref="Divergence"/> in one phrase for a message,
    /// e.g. <c>node 'conv7' (Conv, relative error 0.91 from 0.03 at its inputs)</c>; null when nothing was compared.</summary>
    public string? DescribeWorstNodes(int count = 3)
    {
        if (Divergence.Count == 0)
        {
            return null;
        }
        var parts = Divergence.Take(count).Select(d => string.Create(CultureInfo.InvariantCulture,
            $"'{d.Node}' ({d.OpType}, relative error {d.RelativeError:0.###} from {d.InputError:0.###} at its inputs, fp32 range {d.FloatRange.Low:0.###}..{d.FloatRange.High:0.###})"));
        return (Divergence.Count == 1 || count == 1 ? "node " : "nodes ") + string.Join(", ", parts);
    }
}
