using ModelZoo.Catalog;

namespace ModelZoo.Tasks;

/// <summary>The decoder names each task's pipeline has, for checking cards before they are used.</summary>
internal static class TaskDecoders
{
    /// <summary>The names <c>output.decoder</c> may take for <paramref name="task"/>, or null when the task keeps no
    /// decoder table (its outputs are read without one, or by a pipeline of its own).</summary>
    public static IReadOnlyList<string>? NamesFor(ModelTask task) => task switch
    {
        ModelTask.ObjectDetection => DetectionDecoders.Registry.Names,
        ModelTask.PoseEstimation => PoseDecoders.Registry.Names,
        ModelTask.FaceDetection => FaceDecoders.Registry.Names,
        ModelTask.FaceAttributes => FaceAttributeDecoders.Registry.Names,
        ModelTask.ImageSegmentation => SegmentationDecoders.Registry.Names,
        _ => null,
    };
}
