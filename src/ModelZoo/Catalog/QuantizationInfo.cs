namespace ModelZoo.Catalog;

/// <summary>How a card's model was quantized from its float base: enough to reproduce the run and to judge the result.</summary>
public sealed record QuantizationInfo
{
    /// <summary>The scheme, e.g. <c>static-int8-qdq</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>SHA-256 of the base card's model file.</summary>
    public required string BaseSha256 { get; init; }

    /// <summary>Calibration method, e.g. <c>minmax</c> or <c>percentile 99.99</c>.</summary>
    public required string Method { get; init; }

    /// <summary>How many images the calibration ran on.</summary>
    public required int CalibrationImages { get; init; }

    /// <summary>SHA-256 over the calibration files' names and contents, in name order.</summary>
    public required string CalibrationSha256 { get; init; }

    /// <summary>The agreement measure with the float model: <c>cosine</c> (mean cosine of outputs) or <c>top1</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The agreement measured on the calibration images.</summary>
    public required double Agreement { get; init; }

    /// <summary>The agreement the model had to reach to be registered.</summary>
    public required double Threshold { get; init; }
}
