namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.ImageClassification"/> task: <see cref="ImageClassifier"/>, the most likely classes
/// of each image. <c>top</c> is how many, <c>min_score</c> leaves out less likely ones.</summary>
public sealed class ImageClassificationTask() : ImageTaskDescriptor<ImageClassifier, IReadOnlyList<Prediction>, ClassificationOptions>(ModelTask.ImageClassification,
    new ClassificationOptions())
{
    /// <inheritdoc />
    public override ClassificationOptions ParseOptions(TaskOptionValues values) => Checked(DefaultOptions with
    {
        Top = Require(values).Int(TaskOptionKeys.Top) ?? DefaultOptions.Top,
        MinScore = values.Float(TaskOptionKeys.MinScore) ?? DefaultOptions.MinScore,
    }, o => o.Validate());


    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options) => ResultSchema.Object("Classes of the image, best first.",
        ResultSchema.Required("predictions", ResultSchema.ArrayOf(ResultSchema.Object("One class.",
            ResultSchema.Required("label", ResultSchema.String("The class name.")),
            ResultSchema.Required("index", ResultSchema.Integer("The class's index in the model's output.")),
            ResultSchema.Required("score", ResultSchema.Score("Probability."))), "The top classes, best first.")));

    /// <summary>Writes <c>"predictions": [{"label", "index", "score"}]</c>, scores as computed.</summary>
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<Prediction> result, ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartArray("predictions");
        foreach (var p in result)
        {
            writer.WriteStartObject();
            writer.WriteString("label", p.Label);
            writer.WriteNumber("index", p.Index);
            writer.WriteNumber("score", p.Score);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public override ResultView Present(IReadOnlyList<Prediction> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Select((p, i) => (IReadOnlyList<string>)
        [
            (i + 1).ToString(CultureInfo.InvariantCulture), p.Label, ResultCells.Percent(p.Score), p.Index.ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        return new ResultView(null, [new ResultTable(null, [new("#"), new("Label"), new("Score", true), new("Index", true)], rows)]);
    }
}
