using System.Text.Json.Serialization;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Native response of an object-detection model, as <c>zoo detect --json</c> writes it:
/// <c>{"detections":[{"label","score","box":{"x","y","width","height"}}]}</c>, boxes in the image's pixels.</summary>
/// <param name="Detections">Objects, best first.</param>
[JsonConverter(typeof(NativeJson.Detections))]
public sealed record DetectionResult(IReadOnlyList<Detection> Detections);
