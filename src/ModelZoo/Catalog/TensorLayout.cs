using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>Memory layout of an image tensor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TensorLayout>))]
public enum TensorLayout
{
    /// <summary>Batch, channels, height, width.</summary>
    [JsonStringEnumMemberName("NCHW")] Nchw,
    /// <summary>Batch, height, width, channels.</summary>
    [JsonStringEnumMemberName("NHWC")] Nhwc,
}
