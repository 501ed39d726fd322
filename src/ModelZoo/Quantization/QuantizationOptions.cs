namespace ModelZoo.Quantization;

/// <summary>Settings of a static int8 quantization run.</summary>
public sealed record QuantizationOptions
{
    /// <summary>How activation ranges are derived from the calibration images.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>The percentile used by <see cref="CalibrationMethod.Percentile"/>, in (50, 100].</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>Whether the last Gemm/MatMul before a graph output (a classifier head) is quantized too; off by
    /// default because the logits are where int8 rounding shows most.</summary>
    public bool QuantizeHead { get; init; }

    /// <summary>Mean cosine (feature vectors) or top-1 agreement (classifiers) with the float model below which the
    /// result is refused.</summary>
    public double? MinimumAgreement { get; init; }
}
