namespace ModelZoo.Tasks;

/// <summary>The sentence vector of one text.</summary>
/// <param name="Text">The text as given.</param>
/// <param name="Vector">The embedding (unit length when the card says so).</param>
/// <param name="Truncated">True when the text needed more than the model's longest sequence and only its start was embedded.</param>
/// <param name="TokenCount">Word pieces the whole text needs, counting [CLS] and [SEP] (more than the model saw when truncated).</param>
public sealed record TextEmbedding(string Text, float[] Vector, bool Truncated, int TokenCount);
