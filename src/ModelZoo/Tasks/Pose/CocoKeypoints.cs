namespace ModelZoo.Tasks;

/// <summary>The 17 COCO body keypoints and the skeleton that joins them.</summary>
public static class CocoKeypoints
{
    /// <summary>Keypoint names in COCO (and MoveNet) output order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "nose", "left_eye", "right_eye", "left_ear", "right_ear",
        "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
        "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    ];

    /// <summary>Keypoint <paramref name="index"/> given as (y, x) normalised to the model input, mapped onto the original image.</summary>
    internal static Keypoint Map(ModelOutputs outputs, int index, float y, float x, float score)
    {
        var (sx, sy) = outputs.Transform.ClampToSource(x * outputs.InputWidth, y * outputs.InputHeight);
        return new Keypoint(Names[index], sx, sy, score);
    }

    /// <summary>Pairs of keypoint indices drawn as limbs.</summary>
    public static IReadOnlyList<(int From, int To)> Skeleton { get; } =
    [
        (0, 1), (0, 2), (1, 3), (2, 4), (0, 5), (0, 6), (5, 6),
        (5, 7), (7, 9), (6, 8), (8, 10),
        (5, 11), (6, 12), (11, 12),
        (11, 13), (13, 15), (12, 14), (14, 16),
    ];
}
