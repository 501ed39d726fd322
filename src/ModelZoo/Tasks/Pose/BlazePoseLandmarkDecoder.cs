namespace ModelZoo.Tasks;

/// <summary>
/// MediaPipe BlazePose landmark models (lite, full, heavy): a landmark output <c>[1, 5·K]</c> (K = 39: 33 body points and
/// 6 auxiliary ones, or K = 33) of (x, y, z, visibility, presence) per point, x and y in model-input pixels, visibility
/// and presence as logits; and a pose-presence output <c>[1, 1]</c> (a probability, the model ends in a sigmoid).
/// The pose reports the 17 COCO keypoints first, in <see cref="CocoKeypoints.Names"/> order (so skeletons and
/// consumers of COCO points work unchanged), then BlazePose's 16 other body points by their MediaPipe names.
/// </summary>
internal sealed class BlazePoseLandmarkDecoder : IPoseDecoder
{
    /// <summary>BlazePose's 33 body landmarks in model order.</summary>
    private static readonly string[] BlazePoseNames =
    [
        "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
        "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
        "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
        "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
        "left_heel", "right_heel", "left_foot_index", "right_foot_index",
    ];

    private static readonly int[] Order = BuildOrder();

    private const string Expected = "a landmark output [1, 195] or [1, 165] (x, y, z, visibility, presence per point) and a pose flag [1, 1]";

    public List<Pose> Decode(ModelOutputs outputs, float minScore)
    {
        var landmarks = outputs.Tensors.FirstOrDefault(t => t.ElementCount is 39 * 5 or 33 * 5 && t.Shape.Length == 2)
                        ?? throw outputs.ShapeError("blazepose-landmarks", Expected);
        var flag = outputs.Tensors.FirstOrDefault(t => t.ElementCount == 1) ?? throw outputs.ShapeError("blazepose-landmarks", Expected);
        var presence = Math.Clamp(ModelOutputs.Floats(flag)[0], 0f, 1f);
        if (presence < minScore)
        {
            return [];
        }
        var data = ModelOutputs.Floats(landmarks);
        var keypoints = new Keypoint[BlazePoseNames.Length];
        for (var i = 0; i < keypoints.Length; i++)
        {
            var k = Order[i];
            var (x, y) = outputs.Transform.ClampToSource(data[5 * k], data[5 * k + 1]);
            keypoints[i] = new Keypoint(BlazePoseNames[k], x, y, Sigmoid(data[5 * k + 3]));
        }
        return [new Pose(presence, keypoints)];
    }

    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-Math.Clamp(v, -80f, 80f)));

    /// <summary>BlazePose indices with the COCO points first (by name) and the rest after, in model order.</summary>
    private static int[] BuildOrder()
    {
        var coco = CocoKeypoints.Names.Select(n => Array.IndexOf(BlazePoseNames, n)).ToList();
        return [.. coco, .. Enumerable.Range(0, BlazePoseNames.Length).Where(i => !coco.Contains(i))];
    }
}
