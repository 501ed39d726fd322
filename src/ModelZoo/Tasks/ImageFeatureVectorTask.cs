namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.ImageFeatureVector"/> task: <see cref="FeatureExtractor"/>, one embedding per image.</summary>
public sealed class ImageFeatureVectorTask() : ImageTaskDescriptor<FeatureExtractor, float[], FeatureVectorOptions>(ModelTask.ImageFeatureVector, new FeatureVectorOptions())
{
    /// <inheritdoc />
    public override FeatureVectorOptions ParseOptions(TaskOptionValues values)
    {
        Require(values);
        return DefaultOptions;
    }


    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options) => ResultSchema.Object("The image's feature vector.",
        ResultSchema.Required("vector", ResultSchema.Vector("The model's feature vector, as the card's output gives it.")));

    /// <summary>Writes <c>"vector": […]</c>, the model's output as it is.</summary>
    public override void WriteJson(Utf8JsonWriter writer, float[] result, ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartArray("vector");
        foreach (var value in result)
        {
            writer.WriteNumberValue(value);
        }
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public override ResultView Present(float[] result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultView(string.Create(CultureInfo.InvariantCulture, $": {result.Length} values"), []);
    }
}
