namespace ModelZoo.Tasks;

/// <summary>One person's pose.</summary>
/// <param name="Score">Confidence of the whole pose, 0–1 (single-pose models: mean keypoint score).</param>
/// <param name="Keypoints">The 17 COCO keypoints in <see cref="CocoKeypoints.Names"/> order; models with more points (BlazePose: 33) append theirs after.</param>
/// <param name="Box">The person's box in original-image pixels when the model predicts one (multi-pose), else null.</param>
public sealed record Pose(float Score, IReadOnlyList<Keypoint> Keypoints, BoundingBox? Box = null);
