namespace ModelZoo.Tasks;

/// <summary>
/// MoveNet multi-pose: output <c>[1, 6, 56]</c>, one row per person: 17 × (y, x, score) normalised to the model
/// input, then the person's box (ymin, xmin, ymax, xmax, normalised) and its score.
/// </summary>
internal sealed class MoveNetMultiPoseDecoder : IPoseDecoder
{
    private const int RowLength = 17 * 3 + 5;

    public List<Pose> Decode(ModelOutputs outputs, float minScore)
    {
        var tensor = outputs.Primary;
        if (tensor.Shape.Length != 3 || tensor.Shape[2] != RowLength)
        {
            throw outputs.ShapeError("movenet-multipose", "one output [1, people, 56]");
        }
        var data = ModelOutputs.Floats(tensor);
        var poses = new List<Pose>();
        var transform = outputs.Transform;
        for (var p = 0; p < (int)tensor.Shape[1]; p++)
        {
            var row = data.AsSpan(p * RowLength, RowLength);
            var score = row[55];
            if (score < minScore)
            {
                continue;
            }
            var keypoints = new Keypoint[17];
            for (var k = 0; k < 17; k++)
            {
                keypoints[k] = CocoKeypoints.Map(outputs, k, row[3 * k], row[3 * k + 1], row[3 * k + 2]);
            }
            var (x1, y1) = transform.ClampToSource(row[52] * outputs.InputWidth, row[51] * outputs.InputHeight);
            var (x2, y2) = transform.ClampToSource(row[54] * outputs.InputWidth, row[53] * outputs.InputHeight);
            poses.Add(new Pose(score, keypoints, BoundingBox.FromCorners(x1, y1, x2, y2)));
        }
        return poses.OrderByDescending(p => p.Score).ToList();
    }
}
