namespace ModelZoo.Import.Tfjs;

/// <summary>One tensor of the graph being built: an ONNX value name (null until a constant is first used at run time),
/// its element type, its static shape when known, and its value when known at import time.</summary>
internal sealed class TfValue
{
    public TfValue(string? name, TensorType type, long[]? shape, ConstTensor? constant = null)
    {
        Name = name;
        Type = type;
        Shape = shape;
        Const = constant;
    }

    public string? Name { get; set; }

    public TensorType Type { get; }

    public long[]? Shape { get; }

    public ConstTensor? Const { get; }

    public int? Rank => Shape?.Length;

    public static TfValue Constant(ConstTensor value) => new(null, value.Type, value.Shape, value);
}
