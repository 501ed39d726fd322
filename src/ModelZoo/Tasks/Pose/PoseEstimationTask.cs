namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.PoseEstimation"/> task: <see cref="PoseEstimator"/>, 17 COCO keypoints per person.
/// <c>min_score</c> drops weaker poses, <c>top</c> caps how many are returned.</summary>
public sealed class PoseEstimationTask() : ImageTaskDescriptor<PoseEstimator, IReadOnlyList<Pose>, PoseOptions>(ModelTask.PoseEstimation, new PoseOptions(),
    PoseEstimator.DecoderTable.Names, new TaskCommandInfo("pose", "Body keypoints (17 COCO points) in images.", "estimating poses"))
{
    /// <inheritdoc />
    public override PoseOptions ParseOptions(TaskOptionValues values) => Checked(DefaultOptions with
    {
        MinScore = Require(values).Float(TaskOptionKeys.MinScore) ?? DefaultOptions.MinScore,
        MaxPoses = values.Int(TaskOptionKeys.Top) ?? DefaultOptions.MaxPoses,
    }, o => o.Validate());


    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options) => ResultSchema.Object("People's poses in the image.",
        ResultSchema.Required("poses", ResultSchema.ArrayOf(ResultSchema.Object("One person.",
            ResultSchema.Required("score", ResultSchema.Score("Confidence of the person.")),
            ResultSchema.Optional("box", ResultSchema.Box()),
            ResultSchema.Required("keypoints", ResultSchema.ArrayOf(ResultSchema.Point("A named body keypoint.", scored: true),
                "The model's keypoints, in its order."))), "People found, best first.")));

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<Pose> result, ResultJsonOptions options) =>
        WritePoses(writer, result);

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<Pose> result) => new() { Layers = [new PoseLayer(result)] };

    /// <inheritdoc />
    public override IReadOnlyList<Pose> ToSourcePixels(IReadOnlyList<Pose> result, float scaleX, float scaleY) => result.Select(p => p with
    {
        Keypoints = p.Keypoints.Select(k => k with { X = k.X * scaleX, Y = k.Y * scaleY }).ToList(),
        Box = p.Box is { } box ? new BoundingBox(box.X * scaleX, box.Y * scaleY, box.Width * scaleX, box.Height * scaleY) : null,
    }).ToList();

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

    /// <summary>Writes <c>"poses": [{"score", "box"?, "keypoints": [{"name", "x", "y", "score"}]}]</c>.</summary>
    private static void WritePoses(Utf8JsonWriter writer, IReadOnlyList<Pose> poses)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(poses);
        writer.WriteStartArray("poses");
        foreach (var pose in poses)
        {
            writer.WriteStartObject();
            writer.WriteNumber("score", ResultJson.Score(pose.Score));
            if (pose.Box is { } box)
            {
                ResultJson.WriteBox(writer, box);
            }
            writer.WriteStartArray("keypoints");
            foreach (var k in pose.Keypoints)
            {
                writer.WriteStartObject();
                writer.WriteString("name", k.Name);
                writer.WriteNumber("x", ResultJson.Coordinate(k.X));
                writer.WriteNumber("y", ResultJson.Coordinate(k.Y));
                writer.WriteNumber("score", ResultJson.Score(k.Score));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
