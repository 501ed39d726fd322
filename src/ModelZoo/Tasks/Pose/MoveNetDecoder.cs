namespace ModelZoo.Tasks;

/// <summary>
/// MoveNet single-pose (Lightning, Thunder): output <c>[1, 1, 17, 3]</c> of (y, x, score) per COCO keypoint,
/// y and x normalised to the model input. The pose score is the mean keypoint score.
/// </summary>
internal sealed class MoveNetDecoder : IPoseDecoder
{
    public List<Pose> Decode(ModelOutputs outputs, float minScore)
    {
        var tensor = outputs.Primary;
        if (tensor.ElementCount != 17 * 3 || tensor.Shape[^1] != 3)
        {
            throw outputs.ShapeError("movenet", "one output [1, 1, 17, 3] of (y, x, score)");
        }
        var data = ModelOutputs.Floats(tensor);
        var keypoints = new Keypoint[17];
        for (var k = 0; k < 17; k++)
        {
            keypoints[k] = CocoKeypoints.Map(outputs, k, data[3 * k], data[3 * k + 1], data[3 * k + 2]);
        }
        var score = keypoints.Average(k => k.Score);
        return score >= minScore ? [new Pose(score, keypoints)] : [];
    }
}
