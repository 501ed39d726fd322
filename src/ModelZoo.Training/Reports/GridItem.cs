using SkiaSharp;

namespace ModelZoo.Training.Reports;

/// <summary>One prediction to show in a <see cref="PredictionGrid"/>.</summary>
/// <param name="Thumbnail">The image (any size; drawn scaled to fit its cell). Owned by the caller, who disposes it after <see cref="PredictionGrid.Write"/>.</param>
/// <param name="TrueLabel">The correct class.</param>
/// <param name="PredictedLabel">The class the model chose.</param>
/// <param name="Confidence">The model's probability for <paramref name="PredictedLabel"/>, in [0, 1].</param>
public sealed record GridItem(SKBitmap Thumbnail, string TrueLabel, string PredictedLabel, float Confidence)
{
    /// <summary>True when the prediction matches the true label (ordinal comparison).</summary>
    public bool IsCorrect => string.Equals(TrueLabel, PredictedLabel, StringComparison.Ordinal);
}
