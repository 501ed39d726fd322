using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>Channel order a model expects.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColorOrder>))]
public enum ColorOrder
{
    /// <summary>Red, green, blue.</summary>
    [JsonStringEnumMemberName("RGB")] Rgb,
    /// <summary>Blue, green, red (Caffe, CNTK, OpenCV-trained models).</summary>
    [JsonStringEnumMemberName("BGR")] Bgr,
    /// <summary>One luminance channel.</summary>
    [JsonStringEnumMemberName("GRAY")] Gray,
}
