namespace ModelZoo.Training.Heads;

/// <summary>
/// Small, fast, seedable generator (SplitMix64). Owned by the trainer so that shuffling, initialisation
/// and dropout are reproducible from <c>HeadTrainingOptions.Seed</c> on every runtime version.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, maxExclusive) (multiply-shift; bias is negligible for data-set sizes).</summary>
    public int NextInt(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Fills with uniform values in [-limit, limit).</summary>
    public void FillUniform(Span<float> values, float limit)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (NextSingle() * 2f - 1f) * limit;
        }
    }
}
