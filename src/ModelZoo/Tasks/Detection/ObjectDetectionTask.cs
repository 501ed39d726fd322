namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.ObjectDetection"/> task: <see cref="ObjectDetector"/>, labelled boxes.
/// <c>min_score</c> is the score threshold, <c>top</c> caps the boxes.</summary>
public sealed class ObjectDetectionTask() : ImageTaskDescriptor<ObjectDetector, IReadOnlyList<Detection>, DetectionOptions>(ModelTask.ObjectDetection, new DetectionOptions(),
    ObjectDetector.DecoderTable.Names, new TaskCommandInfo("detect", "Labelled boxes in images (JSON, annotated PNGs).", "detecting",
        ["detect", "coco/ssd_mobilenet_v1/detection", "samples/dog.jpg", "--save", "out/"]))
{
    /// <inheritdoc />
    public override DetectionOptions ParseOptions(TaskOptionValues values) => Checked(DefaultOptions with
    {
        ScoreThreshold = Require(values).Float(TaskOptionKeys.MinScore) ?? DefaultOptions.ScoreThreshold,
        MaxDetections = values.Int(TaskOptionKeys.Top) ?? DefaultOptions.MaxDetections,
    }, o => o.Validate());


    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options) => ResultSchema.Object("Objects found in the image.", ResultSchema.Detections());

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<Detection> result, ResultJsonOptions options) =>
        ResultJson.WriteDetections(writer, result);

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<Detection> result) => new() { Detections = result };

    /// <inheritdoc />
    public override IReadOnlyList<Detection> ToSourcePixels(IReadOnlyList<Detection> result, float scaleX, float scaleY) => result.Select(d => d with
    {
        Box = new BoundingBox(d.Box.X * scaleX, d.Box.Y * scaleY, d.Box.Width * scaleX, d.Box.Height * scaleY),
    }).ToList();

    /// <inheritdoc />
    public override ResultView Present(IReadOnlyList<Detection> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Count == 0)
        {
            return new ResultView(null, [], new ResultNote("nothing detected", "try --min-score lower"));
        }
        var rows = result.Select(d => (IReadOnlyList<string>)
        [
            d.Label, ResultCells.Percent(d.Score), ResultCells.Box(d.Box),
        ]).ToList();
        return new ResultView(null, [new ResultTable(null, [new("Label"), new("Score", true), new("Box (x, y, w, h)")], rows)]);
    }
}
