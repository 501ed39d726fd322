namespace ModelZoo.Quantization;

/// <summary>How closely the int8 model follows the float model on a set of images.</summary>
/// <param name="Metric"><c>cosine</c> (mean cosine of the feature vectors), <c>top1</c> (share of images whose top
/// class is the same), <c>detection-f1</c> (detectors: F1 of the int8 boxes against the float boxes, matched by class
/// and IoU ≥ 0.5) or <c>keypoints-within-5%</c> (pose: share of the float model's shown keypoints that the int8 model
/// puts within 5 % of the image diagonal).</param>
/// <param name="Value">The measured agreement, in [-1, 1] for cosine and [0, 1] for the others.</param>
/// <param name="Minimum">The smallest cosine over the images (for <c>top1</c>, the mean cosine of the outputs; for
/// <c>detection-f1</c>, the mean IoU of the matched boxes; for keypoints, the mean distance in pixels).</param>
/// <param name="Threshold">The agreement a model must reach to be accepted.</param>
/// <param name="Images">How many images were compared.</param>
public sealed record QuantizationAgreement(string Metric, double Value, double Minimum, double Threshold, int Images)
{
    /// <summary>Whether the agreement reaches the threshold.</summary>
    public bool Passes => Value >= Threshold;

    /// <summary>Task-specific figures behind <see cref="Value"/> (detections: <c>recall</c>, <c>precision</c>,
    /// <c>meanIou</c>, box counts; pose: <c>meanDistancePixels</c>, <c>keypoints</c>); empty for cosine and top-1.</summary>
    public IReadOnlyDictionary<string, double> Measures { get; init; } = new Dictionary<string, double>();
}
