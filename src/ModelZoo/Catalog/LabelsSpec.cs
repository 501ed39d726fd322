namespace ModelZoo.Catalog;

/// <summary>Where a model's class names come from.</summary>
public sealed record LabelsSpec
{
    /// <summary><c>builtin:imagenet1k</c>, <c>builtin:coco80</c>, <c>builtin:coco91</c>, … or <c>file:NAME</c> naming one of the card's files.</summary>
    public required string Source { get; init; }

    /// <summary>Number of leading output indices that are not in the list (1 for a background class at index 0).</summary>
    public int Offset { get; init; }

    /// <summary>Number of classes the model outputs.</summary>
    public int? Count { get; init; }
}
