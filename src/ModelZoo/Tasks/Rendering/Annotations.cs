
namespace ModelZoo.Tasks;

/// <summary>What <see cref="Annotator"/> draws over an image; every list may be empty.</summary>
public sealed record Annotations
{
    /// <summary>Boxes drawn with their label and score.</summary>
    public IReadOnlyList<Detection> Detections { get; init; } = [];

    /// <summary>Skeletons drawn as COCO limbs and keypoint dots.</summary>
    public IReadOnlyList<Pose> Poses { get; init; } = [];

    /// <summary>Face boxes, landmarks and any attributes.</summary>
    public IReadOnlyList<Face> Faces { get; init; } = [];

    /// <summary>Masks tinted over the image (half opacity where a mask is full).</summary>
    public IReadOnlyList<SegmentationMask> Masks { get; init; } = [];

    /// <summary>Keypoints scoring below this, and limbs touching them, are not drawn (default 0.2).</summary>
    public float KeypointThreshold { get; init; } = 0.2f;
}
