namespace ModelZoo.Tasks;

/// <summary>
/// One detected face: where it is, its landmarks, and the attributes that <see cref="FaceAttributes"/> models
/// added (null when no model estimated them).
/// </summary>
public sealed record Face
{
    /// <summary>Detection confidence, 0–1.</summary>
    public required float Score { get; init; }

    /// <summary>The face box in original-image pixels.</summary>
    public required BoundingBox Box { get; init; }

    /// <summary>Landmarks in original-image pixels (BlazeFace: eyes, nose tip, mouth centre, ear tragions).</summary>
    public IReadOnlyList<FaceLandmark> Landmarks { get; init; } = [];

    /// <summary>Estimated age in years.</summary>
    public float? Age { get; init; }

    /// <summary><c>female</c> or <c>male</c>.</summary>
    public string? Gender { get; init; }

    /// <summary>Confidence of <see cref="Gender"/>, 0.5–1.</summary>
    public float? GenderScore { get; init; }

    /// <summary>The most likely emotion.</summary>
    public string? Emotion { get; init; }

    /// <summary>Probability of each emotion the model knows.</summary>
    public IReadOnlyDictionary<string, float>? EmotionScores { get; init; }
}
