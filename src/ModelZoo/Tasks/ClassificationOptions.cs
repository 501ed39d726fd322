namespace ModelZoo.Tasks;

/// <summary>Which classes an <see cref="ImageClassifier"/> returns per image.</summary>
public sealed record ClassificationOptions
{
    /// <summary>The most likely classes returned (default 5).</summary>
    public int Top { get; init; } = 5;

    /// <summary>Classes whose probability is below this are left out (default 0: none).</summary>
    public float MinScore { get; init; }

    internal void Validate()
    {
        if (Top < 1)
        {
            throw new ZooUsageException($"--top must be at least 1, got {Top}.");
        }
        if (!(MinScore is >= 0f and <= 1f))
        {
            throw new ZooUsageException($"minimum class score {MinScore} is out of range; use a value in 0–1.");
        }
    }
}
