using System.Text.Json.Serialization;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Native response of a face-detection model, as <c>zoo faces --json</c> writes it:
/// <c>{"faces":[{"score","box","landmarks":[{"name","x","y"}],"age"?,"gender"?,"genderScore"?,"emotion"?,"emotionScores"?}]}</c>.
/// The attribute members appear when the server runs face-attribute models.</summary>
/// <param name="Faces">Faces, best first, in the image's pixels.</param>
[JsonConverter(typeof(NativeJson.Faces))]
public sealed record FaceResult(IReadOnlyList<Face> Faces);
