namespace ModelZoo.Catalog;

/// <summary>Where a model was published and how it was reported to perform.</summary>
public sealed record Provenance
{
    /// <summary>The zoo or package it comes from, e.g. "ONNX Model Zoo".</summary>
    public string? Zoo { get; init; }

    /// <summary>A page describing the model.</summary>
    public string? Url { get; init; }

    /// <summary>The paper that introduced the architecture.</summary>
    public string? Paper { get; init; }

    /// <summary>Reported metrics, e.g. <c>top1</c> = 0.683.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Free-form notes: how the model was exported or converted.</summary>
    public string? Notes { get; init; }
}
