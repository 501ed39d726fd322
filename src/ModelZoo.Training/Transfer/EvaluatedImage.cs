namespace ModelZoo.Training.Transfer;

/// <summary>One image of an evaluation: its true class and what the model said.</summary>
/// <param name="Path">The image file.</param>
/// <param name="TrueLabel">The class of its folder (or CSV row).</param>
/// <param name="PredictedLabel">The model's top class.</param>
/// <param name="Confidence">The model's probability for <paramref name="PredictedLabel"/>.</param>
public sealed record EvaluatedImage(string Path, string TrueLabel, string PredictedLabel, float Confidence)
{
    /// <summary>True when the prediction is right.</summary>
    public bool IsCorrect => string.Equals(TrueLabel, PredictedLabel, StringComparison.Ordinal);
}
