using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>What the model's primary output holds, so that decoders know whether to apply softmax.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputKind>))]
public enum OutputKind
{
    /// <summary>Unnormalised class scores; softmax gives probabilities.</summary>
    [JsonStringEnumMemberName("logits")] Logits,
    /// <summary>Class probabilities already summing to one.</summary>
    [JsonStringEnumMemberName("probabilities")] Probabilities,
    /// <summary>Independent per-class sigmoid scores.</summary>
    [JsonStringEnumMemberName("sigmoid")] Sigmoid,
    /// <summary>An embedding (possibly with trailing 1×1 spatial dimensions).</summary>
    [JsonStringEnumMemberName("features")] Features,
    /// <summary>Task-specific raw tensors decoded by the named decoder.</summary>
    [JsonStringEnumMemberName("raw")] Raw,
}
