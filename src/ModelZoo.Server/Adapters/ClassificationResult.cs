using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Native response of an image-classification model: <c>{"predictions":[{"label","index","score"}]}</c>.</summary>
/// <param name="Predictions">Most likely classes first; scores are probabilities (0–1).</param>
public sealed record ClassificationResult(IReadOnlyList<Prediction> Predictions);
