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
    QuantizationAgreement Agreement);
