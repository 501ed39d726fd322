using System.Globalization;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Per-request knobs every adapter may read; an adapter ignores the ones that do not apply to its task and uses its
/// task's own default (the options record's, as the CLI does) for a knob the client left unset.
/// </summary>
public sealed record PredictOptions
{
    /// <summary>Largest <see cref="Top"/> a client may ask for.</summary>
    public const int MaxTop = 1000;

    /// <summary>How many classes, boxes, poses or faces to return at most (1 to <see cref="MaxTop"/>); null for the
    /// task's default (its options record's).</summary>
    public int? Top { get; init; }

    /// <summary>Results scoring below this (0–1) are left out; for segmentation, the probability a pixel needs to
    /// belong to a mask. Null for the task's default (its options record's).</summary>
    public float? MinScore { get; init; }

    /// <summary>Face detection: whether the server's face-attribute models (age, gender, emotion) run on each face.
    /// They only run when the server was configured with some.</summary>
    public bool FaceAttributes { get; init; } = true;

    /// <summary><see cref="Top"/> or <paramref name="fallback"/>.</summary>
    public int TopOr(int fallback) => Top ?? fallback;

    /// <summary><see cref="MinScore"/> or <paramref name="fallback"/>.</summary>
    public float MinScoreOr(float fallback) => MinScore ?? fallback;

    /// <summary>These knobs under the neutral option names a task descriptor reads (<see cref="TaskOptionKeys"/>).</summary>
    public TaskOptionValues ToValues() => new(
    [
        new(TaskOptionKeys.MinScore, MinScore?.ToString("R", CultureInfo.InvariantCulture)),
        new(TaskOptionKeys.Top, Top?.ToString(CultureInfo.InvariantCulture)),
        new(TaskOptionKeys.FaceAttributes, FaceAttributes ? "true" : "false"),
    ]);
}
