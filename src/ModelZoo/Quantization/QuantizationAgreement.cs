namespace ModelZoo.Quantization;

/// <summary>How closely the int8 model follows the float model on a set of images.</summary>
/// <param name="Metric"><c>cosine</c> (mean cosine of the feature vectors) or <c>top1</c> (share of images whose top
/// class is the same).</param>
/// <param name="Value">The measured agreement, in [-1, 1] for cosine and [0, 1] for top-1.</param>
/// <param name="Minimum">The smallest cosine over the images (for <c>top1</c>, the mean cosine of the outputs).</param>
/// <param name="Threshold">The agreement a model must reach to be accepted.</param>
/// <param name="Images">How many images were compared.</param>
public sealed record QuantizationAgreement(string Metric, double Value, double Minimum, double Threshold, int Images)
{
    /// <summary>Whether the agreement reaches the threshold.</summary>
    public bool Passes => Value >= Threshold;
}
