namespace ModelZoo.Tasks;

/// <summary>One detected face with its identity embedding: faces of one person lie closer together (higher
/// <see cref="Similarity"/>) than faces of different people.</summary>
public sealed record EmbeddedFace
{
    /// <summary>Detection confidence, 0–1.</summary>
    public required float Score { get; init; }

    /// <summary>The face box in original-image pixels.</summary>
    public required BoundingBox Box { get; init; }

    /// <summary>The detector's landmarks in original-image pixels (the eyes place the aligned crop).</summary>
    public IReadOnlyList<FaceLandmark> Landmarks { get; init; } = [];

    /// <summary>The embedding, L2-normalised (unit length), as long as the card's <c>output.size</c>.</summary>
    public required IReadOnlyList<float> Embedding { get; init; }

    /// <summary>Cosine similarity of two faces' embeddings (their dot product, both being unit length): 1 for the same
    /// direction, 0 for unrelated ones.</summary>
    /// <exception cref="ArgumentException">The embeddings have different lengths (different models).</exception>
    public float Similarity(EmbeddedFace other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Embedding.Count != Embedding.Count)
        {
            throw new ArgumentException(
                $"embeddings of {Embedding.Count} and {other.Embedding.Count} values cannot be compared; compare faces embedded by the same model.", nameof(other));
        }
        var dot = 0f;
        for (var i = 0; i < Embedding.Count; i++)
        {
            dot += Embedding[i] * other.Embedding[i];
        }
        return dot;
    }

    /// <summary>The face as a detector result, for drawing.</summary>
    public Face ToFace() => new() { Score = Score, Box = Box, Landmarks = Landmarks };
}
