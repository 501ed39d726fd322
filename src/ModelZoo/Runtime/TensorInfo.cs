namespace ModelZoo.Runtime;

/// <summary>An input or output of a loaded model as ONNX Runtime reports it.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">Element type in ONNX's lower-case spelling (<c>float</c>, <c>int64</c>, …), or
/// <c>sequence</c>, <c>map</c>, <c>optional</c> for non-tensor values.</param>
/// <param name="Shape">Dimensions, with -1 for a symbolic or unknown dimension.</param>
/// <param name="Symbols">Per dimension, the symbol name (e.g. <c>batch</c>), or null for a fixed dimension.</param>
public sealed record TensorInfo(string Name, string ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string?> Symbols)
{
    /// <summary>Writes e.g. <c>input: float[batch,3,224,224]</c>.</summary>
    public override string ToString()
    {
        var dims = Shape.Select((d, i) => d >= 0
            ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Symbols.ElementAtOrDefault(i) ?? "?");
        return $"{Name}: {ElementType}[{string.Join(",", dims)}]";
    }
}
