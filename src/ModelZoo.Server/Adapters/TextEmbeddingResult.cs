namespace ModelZoo.Server.Adapters;

/// <summary>Native response of a text-embedding model: <c>{"vector":[…],"truncated":false,"tokenCount":9}</c>.</summary>
/// <param name="Vector">The sentence embedding, as the model's pooling gives it.</param>
/// <param name="Truncated">True when the text was longer than the model reads and its end was cut.</param>
/// <param name="TokenCount">Word pieces the model read, special tokens included.</param>
public sealed record TextEmbeddingResult(float[] Vector, bool Truncated, int TokenCount);
