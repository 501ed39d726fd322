namespace ModelZoo.Server.Adapters;

/// <summary>Per-request knobs every adapter may read; an adapter ignores the ones that do not apply to its task.</summary>
public sealed record PredictOptions
{
    /// <summary>Default number of classes or labels returned.</summary>
    public const int DefaultTop = 5;

    /// <summary>Largest <see cref="Top"/> a client may ask for.</summary>
    public const int MaxTop = 1000;

    /// <summary>How many classes, boxes or labels to return at most (1 to <see cref="MaxTop"/>).</summary>
    public int Top { get; init; } = DefaultTop;

    /// <summary>Results scoring below this (0–1) are left out.</summary>
    public float MinScore { get; init; }
}
