namespace ModelZoo.Catalog;

/// <summary>Which outputs a decoder reads, for graphs that give several (detectors with post-processing inside, such as
/// TensorFlow Object Detection API exports). Each value is a part of the output's name (ordinal, case-insensitive); an
/// output the card does not name is found by its shape.</summary>
public sealed record OutputTensorNames
{
    /// <summary>The boxes output, e.g. <c>box</c>.</summary>
    public string? Boxes { get; init; }

    /// <summary>The scores output, e.g. <c>score</c>.</summary>
    public string? Scores { get; init; }

    /// <summary>The class ids output, e.g. <c>class</c>.</summary>
    public string? Classes { get; init; }

    /// <summary>The detection count output, e.g. <c>num</c>.</summary>
    public string? Count { get; init; }
}
