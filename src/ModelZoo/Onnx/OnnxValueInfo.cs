namespace ModelZoo.Onnx;

/// <summary>A graph input or output as the ONNX file declares it.</summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="ElementType">Element type in ONNX's lower-case spelling (<c>float</c>, <c>uint8</c>, <c>int64</c>, …);
/// <c>sequence</c>, <c>map</c>, <c>optional</c> or <c>sparse_tensor</c> for non-tensor values.</param>
/// <param name="Shape">Declared dimensions; empty for a scalar or when the file declares no shape.</param>
public sealed record OnnxValueInfo(string Name, string ElementType, IReadOnlyList<OnnxDim> Shape)
{
    /// <summary>Writes e.g. <c>input: float[batch,3,224,224]</c>.</summary>
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(",", Shape)}]";
}
