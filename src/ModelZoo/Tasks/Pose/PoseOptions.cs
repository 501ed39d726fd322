namespace ModelZoo.Tasks;

/// <summary>Thresholds applied after decoding poses.</summary>
public sealed record PoseOptions
{
    /// <summary>Poses whose score is below this are dropped (default 0.2).</summary>
    public float MinScore { get; init; } = 0.2f;

    /// <summary>At most this many poses are returned, best first; null for all.</summary>
    public int? MaxPoses { get; init; }

    internal void Validate()
    {
        if (!(MinScore is >= 0f and <= 1f))
        {
            throw new ZooUsageException($"minimum pose score {MinScore} is out of range; use a value in 0–1.");
        }
        if (MaxPoses is < 1)
        {
            throw new ZooUsageException($"max poses {MaxPoses} is out of range; ask for at least one pose.");
        }
    }
}
