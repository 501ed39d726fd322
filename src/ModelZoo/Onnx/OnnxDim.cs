namespace ModelZoo.Onnx;

/// <summary>
/// One dimension of a tensor shape declared in an ONNX graph: a fixed size, a named symbol
/// (for example <c>batch</c>), or neither when the graph leaves it unknown.
/// </summary>
/// <param name="Value">The fixed size, or null when the dimension is symbolic or unknown.</param>
/// <param name="Symbol">The symbol name (<c>dim_param</c>), or null when the dimension is fixed or unknown.</param>
public readonly record struct OnnxDim(long? Value, string? Symbol)
{
    /// <summary>True when the dimension has a fixed size.</summary>
    public bool IsFixed => Value is not null;

    /// <summary>Writes the size, the symbol, or <c>?</c> for an unknown dimension.</summary>
    public override string ToString() =>
        Value is long v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : Symbol ?? "?";
}
