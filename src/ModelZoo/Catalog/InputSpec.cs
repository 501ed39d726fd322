namespace ModelZoo.Catalog;

/// <summary>
/// How to turn an image into the model's input tensor. A channel value fed to the model is
/// <c>(pixel * Scale - Mean[c]) / Std[c]</c> where <c>pixel</c> is 0–255 in <see cref="ColorOrder"/>.
/// </summary>
public sealed record InputSpec
{
    /// <summary>Name of the graph input, when the model has several.</summary>
    public string? Name { get; init; }

    /// <summary>Tensor layout.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    /// <summary>Input width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Input height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Channel order.</summary>
    public ColorOrder ColorOrder { get; init; } = ColorOrder.Rgb;

    /// <summary>Multiplier applied to 0–255 pixel values before mean and std.</summary>
    public float Scale { get; init; } = 1f / 255f;

    /// <summary>Per-channel mean (in <see cref="ColorOrder"/>), subtracted after scaling.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per-channel standard deviation (in <see cref="ColorOrder"/>), divided after subtracting the mean.</summary>
    public IReadOnlyList<float> Std { get; init; } = [1f, 1f, 1f];

    /// <summary>How the image is resized.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>For <see cref="ResizeMode.CenterCrop"/>: the shorter side is first scaled to this (e.g. 256 for a 224 crop).
    /// Null means the shorter side is scaled straight to the crop size.</summary>
    public int? ResizeShorterSide { get; init; }

    /// <summary>For <see cref="ResizeMode.Letterbox"/> and <see cref="ResizeMode.PadRight"/>: the 0–255 value of padded pixels.</summary>
    public float PadValue { get; init; } = 114f;

    /// <summary>For <see cref="ResizeMode.LimitSide"/>: each side of the tensor is rounded to a multiple of this
    /// (32 for detectors whose feature maps halve five times). 1 means no rounding.</summary>
    public int SizeMultiple { get; init; } = 1;

    /// <summary>
    /// Name of one of the card's files (role <c>preprocess</c>): an ONNX graph from the publisher that finishes the
    /// preprocessing inside the model (for example a per-pixel mean image). It takes the tensor described by this spec
    /// and its output feeds the model's input; the library joins the two graphs into one.
    /// </summary>
    public string? PreprocessGraph { get; init; }

    /// <summary>Element type of the input tensor: <c>float32</c> (default), <c>uint8</c>, or <c>int32</c> (TFJS models such as MoveNet
    /// take 0–255 integers as int32).</summary>
    public string ElementType { get; init; } = "float32";

    /// <summary><see cref="ElementType"/> as an enum, for code that feeds the input.</summary>
    /// <exception cref="ZooException">The card names another element type (code <c>input-spec-invalid</c>).</exception>
    [System.Text.Json.Serialization.JsonIgnore]
    public InputElementType Element => ElementType switch
    {
        "float32" => InputElementType.Float32,
        "uint8" => InputElementType.UInt8,
        "int32" => InputElementType.Int32,
        _ => throw new ZooException("input-spec-invalid",
            $"The model's input spec is invalid: elementType '{ElementType}' is not float32, uint8 or int32; fix the model card's input section."),
    };
}
