using System.Text.Json.Serialization;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Native response of an image-segmentation model: <c>{"masks":[{"label","coverage","width","height","png"}]}</c>,
/// the fields of <c>zoo segment --json</c> with the mask itself as a base64 greyscale PNG the image's size
/// (white = covered) instead of a file path.</summary>
/// <param name="Masks">One mask per class the model segments.</param>
[JsonConverter(typeof(NativeJson.Masks))]
public sealed record SegmentationResult(IReadOnlyList<SegmentationMask> Masks);
