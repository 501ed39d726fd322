namespace ModelZoo.Tasks;

/// <summary>What <see cref="Annotator"/> draws over an image; every list may be empty.</summary>
public sealed record Annotations
{
    /// <summary>Boxes drawn with their label and score.</summary>
    public IReadOnlyList<Detection> Detections { get; init; } = [];

    /// <summary>Face boxes, landmarks and any attributes.</summary>
    public IReadOnlyList<Face> Faces { get; init; } = [];

    /// <summary>Further task layers (skeletons, masks, …), drawn between the boxes and the faces.</summary>
    public IReadOnlyList<IAnnotationLayer> Layers { get; init; } = [];

    /// <summary>Every layer in drawing order: boxes, <see cref="Layers"/>, faces.</summary>
    public IReadOnlyList<IAnnotationLayer> AllLayers =>
    [
        .. Detections.Count > 0 ? [new DetectionLayer(Detections)] : Array.Empty<IAnnotationLayer>(),
        .. Layers,
        .. Faces.Count > 0 ? [new FaceLayer(Faces)] : Array.Empty<IAnnotationLayer>(),
    ];
}
