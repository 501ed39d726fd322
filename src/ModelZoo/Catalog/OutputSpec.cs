namespace ModelZoo.Catalog;

/// <summary>How to read the model's outputs.</summary>
public sealed record OutputSpec
{
    /// <summary>Name of the primary output tensor; null means the first output.</summary>
    public string? Name { get; init; }

    /// <summary>What the primary output holds.</summary>
    public OutputKind Kind { get; init; } = OutputKind.Raw;

    /// <summary>Length of the feature vector or number of classes, when fixed.</summary>
    public int? Size { get; init; }

    /// <summary>Decoder for task-specific outputs, e.g. <c>yolov8</c>, <c>ssd</c>, <c>nanodet</c>, <c>db</c>, <c>ctc</c>.</summary>
    public string? Decoder { get; init; }
}
