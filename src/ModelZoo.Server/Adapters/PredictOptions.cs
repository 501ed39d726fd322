namespace ModelZoo.Server.Adapters;

/// <summary>
/// Per-request knobs every adapter may read; an adapter ignores the ones that do not apply to its task and uses its
/// task's own default (the CLI's) for a knob the client left unset.
/// </summary>
public sealed record PredictOptions
{
    /// <summary>Default number of classes or labels returned.</summary>
    public const int DefaultTop = 5;

    /// <summary>Largest <see cref="Top"/> a client may ask for.</summary>
    public const int MaxTop = 1000;

    /// <summary>How many classes, boxes, poses or faces to return at most (1 to <see cref="MaxTop"/>); null for the
    /// task's default (<see cref="DefaultTop"/> classes, 100 boxes or faces).</summary>
    public int? Top { get; init; }

    /// <summary>Results scoring below this (0–1) are left out; for segmentation, the probability a pixel needs to
    /// belong to a mask. Null for the task's default (classes 0, boxes 0.25, poses 0.2, faces 0.5, masks 0.5).</summary>
    public float? MinScore { get; init; }

    /// <summary>Face detection: whether the server's face-attribute models (age, gender, emotion) run on each face.
    /// They only run when the server was configured with some.</summary>
    public bool FaceAttributes { get; init; } = true;

    /// <summary><see cref="Top"/> or <paramref name="fallback"/>.</summary>
    public int TopOr(int fallback) => Top ?? fallback;

    /// <summary><see cref="MinScore"/> or <paramref name="fallback"/>.</summary>
    public float MinScoreOr(float fallback) => MinScore ?? fallback;
}
