namespace ModelZoo.Tasks;

/// <summary>Thresholds applied after decoding poses.</summary>
public sealed record PoseOptions
{
    /// <summary>Poses whose score is below this are dropped (default 0.2).</summary>
    public float MinScore { get; init; } = 0.2f;

    internal void Validate()
    {
        if (!(MinScore is >= 0f and <= 1f))
        {
            throw new ZooUsageException($"minimum pose score {MinScore} is out of range; use a value in 0–1.");
        }
    }
}
