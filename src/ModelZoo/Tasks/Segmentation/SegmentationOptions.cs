namespace ModelZoo.Tasks;

/// <summary>How probabilities become a mask.</summary>
public sealed record SegmentationOptions
{
    /// <summary>A pixel belongs to the mask when its probability reaches this (default 0.5).</summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>When true the mask keeps the probability as alpha (soft edges); when false (default) it is 0 or 255.</summary>
    public bool SoftEdges { get; init; }

    internal void Validate()
    {
        if (!(Threshold is >= 0f and <= 1f))
        {
            throw new ZooUsageException($"mask threshold {Threshold} is out of range; use a value in 0–1.");
        }
    }
}
