namespace ModelZoo.Import.Tfjs;

/// <summary>
/// The op table: one converter per TensorFlow op. A converter reads the current node through the
/// <see cref="TfjsConverter"/> and defines each of the node's outputs. Identity-like ops only alias values.
/// The converters are split by family over the <c>TfjsOps.*.cs</c> files.
/// </summary>
internal static partial class TfjsOps
{
    private static readonly Lazy<IReadOnlyDictionary<string, Action<TfjsConverter>>> LazyTable = new(Build);

    /// <summary>Converters by TensorFlow op name.</summary>
    public static IReadOnlyDictionary<string, Action<TfjsConverter>> Table => LazyTable.Value;

    private static Dictionary<string, Action<TfjsConverter>> Build()
    {
        var table = new Dictionary<string, Action<TfjsConverter>>(StringComparer.Ordinal);
        RegisterElementwise(table);
        RegisterConvolution(table);
        RegisterShape(table);
        RegisterSlicing(table);
        RegisterReduction(table);
        return table;
    }

    /// <summary>Maps a TensorFlow dtype (<c>DT_FLOAT</c>) to the importer's element type, as TensorFlow.js stores it.</summary>
    public static TensorType? FromTf(string? dtype) => dtype switch
    {
        "DT_FLOAT" or "DT_HALF" or "DT_DOUBLE" or "DT_BFLOAT16" => TensorType.Float,
        "DT_INT32" or "DT_INT64" or "DT_INT16" or "DT_INT8" or "DT_UINT8" or "DT_UINT16" or "DT_UINT32" or "DT_UINT64" => TensorType.Int32,
        "DT_BOOL" => TensorType.Bool,
        _ => null,
    };

    private static TensorType RequireType(string? dtype, string what) =>
        FromTf(dtype) ?? throw new NodeNotSupportedException($"{what} has dtype {dtype ?? "(none)"}, which TensorFlow.js graphs do not carry");

    private static NodeNotSupportedException NotSupported(string reason) => new(reason);

    /// <summary>Reads a constant that holds one axis (scalar or one-element vector).</summary>
    private static long ScalarOf(ConstTensor t) =>
        t.Length == 1 ? t.ToLongs()[0] : throw NotSupported($"expected a single value, found {t.Length}");
}
