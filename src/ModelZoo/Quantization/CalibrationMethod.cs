namespace ModelZoo.Quantization;

/// <summary>How calibration turns the activations seen on the calibration images into a quantization range.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen (no value is clipped).</summary>
    MinMax,

    /// <summary>A high percentile of the values seen on each image, averaged over the images (outliers are clipped).</summary>
    Percentile,

    /// <summary>The clipping threshold whose quantized histogram of all calibration activations is closest to the
    /// float histogram in Kullback–Leibler divergence (trades a few clipped outliers for finer steps elsewhere).</summary>
    Entropy,
}
