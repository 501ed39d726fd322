using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>The element types an image input can take, as cards name them in <c>input.elementType</c>.</summary>
[CatalogNames]
public enum InputElementType
{
    /// <summary>32-bit floats, normalised as the card says.</summary>
    Float32,
    /// <summary>The resized 0–255 pixels as bytes.</summary>
    [JsonStringEnumMemberName("uint8")] UInt8,
    /// <summary>The resized 0–255 pixels as 32-bit integers (TFJS models such as MoveNet).</summary>
    Int32,
}
