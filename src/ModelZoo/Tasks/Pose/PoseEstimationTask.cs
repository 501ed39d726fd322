using System.Globalization;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.PoseEstimation"/> task: <see cref="PoseEstimator"/>, 17 COCO keypoints per person.
/// <c>min_score</c> drops weaker poses, <c>top</c> caps how many are returned.</summary>
public sealed class PoseEstimationTask : TaskDescriptor<IReadOnlyList<Pose>, PoseOptions>
{
    /// <inheritdoc />
    public override ModelTask Task => ModelTask.PoseEstimation;

    /// <inheritdoc />
    public override IReadOnlyList<string> Decoders => PoseDecoders.Registry.Names;

    /// <inheritdoc />
    public override TaskCommandInfo Command { get; } = new("pose", "Body keypoints (17 COCO points) in images.", "estimating poses");

    /// <inheritdoc />
    public override PoseOptions DefaultOptions { get; } = new();

    /// <inheritdoc />
    public override PoseOptions ParseOptions(TaskOptionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var options = DefaultOptions with
        {
            MinScore = values.Float(TaskOptionKeys.MinScore) ?? DefaultOptions.MinScore,
            MaxPoses = values.Int(TaskOptionKeys.Top) ?? DefaultOptions.MaxPoses,
        };
        options.Validate();
        return options;
    }

    /// <inheritdoc />
    public override ITaskPipeline<IReadOnlyList<Pose>, PoseOptions> Open(LocalModel model, ImageTaskOptions options) =>
        PoseEstimator.Open(model, options);

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<Pose> result, ResultJsonOptions options) =>
        ResultJson.WritePoses(writer, result);

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<Pose> result) => new() { Poses = result };

    /// <inheritdoc />
    public override ResultView Present(IReadOnlyList<Pose> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tables = result.Select((pose, i) => new ResultTable(
            string.Create(CultureInfo.InvariantCulture, $"pose {i + 1} ({pose.Score:P1})"),
            [new("Keypoint"), new("X", true), new("Y", true), new("Score", true)],
            pose.Keypoints.Select(k => (IReadOnlyList<string>)
            [
                k.Name, k.X.ToString("0", CultureInfo.InvariantCulture), k.Y.ToString("0", CultureInfo.InvariantCulture),
                k.Score.ToString("P0", CultureInfo.InvariantCulture),
            ]).ToList())).ToList();
        return new ResultView($": {result.Count} pose(s)", tables);
    }
}
