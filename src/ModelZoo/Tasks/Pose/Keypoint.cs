namespace ModelZoo.Tasks;

/// <summary>One body keypoint in original-image pixels.</summary>
/// <param name="Name">COCO keypoint name, e.g. <c>left_wrist</c>.</param>
/// <param name="X">Horizontal position in pixels.</param>
/// <param name="Y">Vertical position in pixels.</param>
/// <param name="Score">Confidence, 0–1.</param>
public sealed record Keypoint(string Name, float X, float Y, float Score);
