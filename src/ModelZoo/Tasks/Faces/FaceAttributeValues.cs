namespace ModelZoo.Tasks;

/// <summary>What one attribute model estimated; null members were not estimated.</summary>
internal sealed record FaceAttributeValues(
    float? Age = null, string? Gender = null, float? GenderScore = null,
    string? Emotion = null, IReadOnlyDictionary<string, float>? EmotionScores = null)
{
    public Face ApplyTo(Face face) => face with
    {
        Age = Age ?? face.Age,
        Gender = Gender ?? face.Gender,
        GenderScore = Gender is null ? face.GenderScore : GenderScore,
        Emotion = Emotion ?? face.Emotion,
        EmotionScores = EmotionScores ?? face.EmotionScores,
    };

    /// <summary>Gender from the probability that the face is male.</summary>
    public static FaceAttributeValues FromMaleProbability(float male) =>
        male >= 0.5f ? new(Gender: "male", GenderScore: male) : new(Gender: "female", GenderScore: 1f - male);
}
