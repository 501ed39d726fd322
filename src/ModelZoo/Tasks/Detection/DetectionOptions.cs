namespace ModelZoo.Tasks;

/// <summary>Thresholds applied after decoding. Immutable; validated when used.</summary>
public sealed record DetectionOptions
{
    /// <summary>Detections scoring below this are dropped (default 0.25).</summary>
    public float ScoreThreshold { get; init; } = 0.25f;

    /// <summary>Non-maximum suppression removes a box overlapping a better one of the same class by more than this IoU (default 0.45).</summary>
    public float IouThreshold { get; init; } = 0.45f;

    /// <summary>At most this many detections per image, best first (default 100).</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>When true, suppression also removes overlapping boxes of different classes.</summary>
    public bool ClassAgnostic { get; init; }

    internal void Validate()
    {
        if (!(ScoreThreshold is >= 0f and <= 1f) || !(IouThreshold is > 0f and <= 1f) || MaxDetections < 1)
        {
            throw new ZooUsageException(
                $"detection options are out of range (score threshold {ScoreThreshold}, IoU threshold {IouThreshold}, max detections {MaxDetections}); use thresholds in 0–1 and at least one detection.");
        }
    }
}
