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

    /// <summary>How many of the last Conv/Gemm/MatMul nodes before the outputs stay in float, with every node after
    /// them (for ResNet-18, 2 is its last basic block), for models whose last layers decide too much to round. 0 by
    /// default: on held-out images the ResNet-18 classifiers agreed with fp32 as often with 0 as with 2
    /// (BENCHMARKS.md), and float layers cost speed.</summary>
    public int FloatTail { get; init; }

    /// <summary>Mean cosine (feature vectors) or top-1 agreement (classifiers) with the float model below which the
    /// result is refused.</summary>
    public double? MinimumAgreement { get; init; }

    /// <summary>The method as the card records it: <c>minmax</c>, <c>entropy</c> or <c>percentile 99.99</c>.</summary>
    public string MethodName => Method switch
    {
        CalibrationMethod.Percentile => System.FormattableString.Invariant($"percentile {Percentile}"),
        CalibrationMethod.Entropy => "entropy",
        _ => "minmax",
    };
}
