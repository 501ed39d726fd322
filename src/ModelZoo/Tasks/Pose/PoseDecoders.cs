namespace ModelZoo.Tasks;

/// <summary>The pose decoders by the names cards use in <c>output.decoder</c>.</summary>
internal static class PoseDecoders
{
    public static DecoderRegistry<IPoseDecoder> Registry { get; } = new("pose estimation",
    [
        ("movenet", new MoveNetDecoder()),
        ("movenet-multipose", new MoveNetMultiPoseDecoder()),
        ("blazepose-landmarks", new BlazePoseLandmarkDecoder()),
    ]);

    /// <summary>Maps a keypoint given as (y, x) normalised to the model input onto the original image.</summary>
    public static Keypoint MapKeypoint(ModelOutputs outputs, int index, float y, float x, float score)
    {
        var (sx, sy) = outputs.Transform.ClampToSource(x * outputs.InputWidth, y * outputs.InputHeight);
        return new Keypoint(CocoKeypoints.Names[index], sx, sy, score);
    }
}
