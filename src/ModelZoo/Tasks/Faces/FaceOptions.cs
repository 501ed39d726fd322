namespace ModelZoo.Tasks;

/// <summary>Thresholds applied after decoding faces.</summary>
public sealed record FaceOptions
{
    /// <summary>Faces scoring below this are dropped (default 0.5).</summary>
    public float ScoreThreshold { get; init; } = 0.5f;

    /// <summary>Boxes overlapping a better one by more than this IoU are merged into it or dropped (default 0.3).</summary>
    public float IouThreshold { get; init; } = 0.3f;

    /// <summary>At most this many faces per image (default 100).</summary>
    public int MaxFaces { get; init; } = 100;

    /// <summary>
    /// True (default) for MediaPipe's weighted suppression: overlapping boxes are averaged, weighted by score,
    /// which steadies the box; false for plain suppression (the best box is kept as is).
    /// </summary>
    public bool WeightedSuppression { get; init; } = true;

    /// <summary>Whether face-attribute models opened with the detector (<see cref="FaceDetectionTask"/> companions) run
    /// on each face (default true). A detector opened without them ignores this.</summary>
    public bool Attributes { get; init; } = true;

    internal void Validate()
    {
        if (!(ScoreThreshold is >= 0f and <= 1f) || !(IouThreshold is > 0f and <= 1f) || MaxFaces < 1)
        {
            throw new ZooUsageException(
                $"face options are out of range (score threshold {ScoreThreshold}, IoU threshold {IouThreshold}, max faces {MaxFaces}); use thresholds in 0–1 and at least one face.");
        }
    }
}
