namespace ModelZoo.Catalog;

/// <summary>What the model's primary output holds, so that decoders know whether to apply softmax.</summary>
[CatalogNames]
public enum OutputKind
{
    /// <summary>Unnormalised class scores; softmax gives probabilities.</summary>
    Logits,
    /// <summary>Class probabilities already summing to one.</summary>
    Probabilities,
    /// <summary>Independent per-class sigmoid scores.</summary>
    Sigmoid,
    /// <summary>An embedding (possibly with trailing 1×1 spatial dimensions).</summary>
    Features,
    /// <summary>Task-specific raw tensors decoded by the named decoder.</summary>
    Raw,
}
