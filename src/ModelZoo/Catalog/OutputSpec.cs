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

    /// <summary>Anchor boxes of an anchor-based detector (<c>yolov4</c>): per output head, finest stride first, the
    /// anchors' (width, height) pairs in model-input pixels.</summary>
    public IReadOnlyList<IReadOnlyList<float>>? Anchors { get; init; }

    /// <summary>Per output head, the scale applied to sigmoid box centres (YOLOv4's XYSCALE); null for 1 on every head.</summary>
    public IReadOnlyList<float>? XyScales { get; init; }

    /// <summary>The pooled feature tensor a headless cut keeps (<see cref="Onnx.HeadlessCutter.Cut(Onnx.OnnxModel, ModelCard, string?)"/>)
    /// for image-classification and image-feature-vector models; null to find it from the graph's head.</summary>
    public string? FeatureTensor { get; init; }

    /// <summary>Which outputs the decoder reads, when the graph gives several; null to find them by shape.</summary>
    public OutputTensorNames? Tensors { get; init; }
}
