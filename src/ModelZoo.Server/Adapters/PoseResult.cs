using System.Text.Json.Serialization;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>Native response of a pose-estimation model, as <c>zoo pose --json</c> writes it:
/// <c>{"poses":[{"score","box"?,"keypoints":[{"name","x","y","score"}]}]}</c>, 17 COCO keypoints in the image's pixels.</summary>
/// <param name="Poses">One entry per person, best first.</param>
[JsonConverter(typeof(NativeJson.Poses))]
public sealed record PoseResult(IReadOnlyList<Pose> Poses);
