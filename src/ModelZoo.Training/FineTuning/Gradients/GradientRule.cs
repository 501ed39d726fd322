using ModelZoo.Onnx.Proto;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>
/// Emits the backward nodes of one forward node: given the gradient of its (first) output, returns the gradient
/// tensor of each input whose <paramref name="needed"/> flag is set (null for the others).
/// </summary>
/// <param name="node">The forward node.</param>
/// <param name="outputGradient">Name of the tensor holding dLoss/dOutput.</param>
/// <param name="needed">Per input: whether its gradient is wanted.</param>
/// <param name="emitter">Where the backward nodes go; knows the forward shapes.</param>
internal delegate string?[] GradientRule(NodeProto node, string outputGradient, bool[] needed, GraphEmitter emitter);
