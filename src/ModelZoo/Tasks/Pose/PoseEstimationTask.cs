using System.Globalization;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.PoseEstimation"/> task: <see cref="PoseEstimator"/>, 17 COCO keypoints per person.
/// <c>min_score</c> drops weaker poses, <c>top</c> caps how many are returned.</summary>
public sealed class PoseEstimationTask() : TaskDescriptor<IReadOnlyList<Pose>, PoseOptions>(ModelTask.PoseEstimation, new PoseOptions(),
    PoseDecoders.Registry.Names, new TaskCommandInfo("pose", "Body keypoints (17 COCO points) in images.", "estimating poses"))
{
    /// <inheritdoc />
    public override PoseOptions ParseOptions(TaskOptionValues values) => Checked(DefaultOptions with
    {
        MinScore = Require(values).Float(TaskOptionKeys.MinScore) ?? DefaultOptions.MinScore,
        MaxPoses = values.Int(TaskOptionKeys.Top) ?? DefaultOptions.MaxPoses,
    }, o => o.Validate());

    /// <inheritdoc />
    public override ITaskPipeline<IReadOnlyList<Pose>, PoseOptions> Open(LocalModel model, ImageTaskOptions options) =>
        PoseEstimator.Open(model, options);

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<Pose> result, ResultJsonOptions options) =>
        ResultJson.WritePoses(writer, result);

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<Pose> result) => new() { Layers = [new PoseLayer(result)] };

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
