using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>How an image is brought to the model's input size.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResizeMode>))]
public enum ResizeMode
{
    /// <summary>Scale each axis independently to the target size; aspect ratio is not kept.</summary>
    [JsonStringEnumMemberName("stretch")] Stretch,
    /// <summary>Scale the shorter side (to <see cref="InputSpec.ResizeShorterSide"/> or the target), then cut the centre.</summary>
    [JsonStringEnumMemberName("center-crop")] CenterCrop,
    /// <summary>Scale to fit inside the target keeping aspect ratio, pad the rest with <see cref="InputSpec.PadValue"/>.</summary>
    [JsonStringEnumMemberName("letterbox")] Letterbox,
}
