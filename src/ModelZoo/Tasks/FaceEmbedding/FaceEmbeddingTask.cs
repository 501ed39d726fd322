namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.FaceEmbedding"/> task: <see cref="FaceEmbedder"/>, faces found by a
/// <see cref="ModelTask.FaceDetection"/> companion (<see cref="FaceEmbedder.DefaultDetector"/> unless the host names
/// another), each with an L2-normalised identity embedding. <c>min_score</c> and <c>top</c> are the detector's.</summary>
public sealed class FaceEmbeddingTask() : TaskDescriptor<IReadOnlyList<EmbeddedFace>, FaceOptions>(ModelTask.FaceEmbedding, new FaceOptions(),
    FaceEmbedder.Decoders, new TaskCommandInfo("faceid", "Faces with identity embeddings for face recognition (unit-length vectors).",
        "embedding faces", ["faceid", "face/mobilefacenet/embedding", "photo.jpg", "--json"]))
{
    // Geometry maps back the way detected faces do.
    private static readonly FaceDetectionTask Detection = new();

    /// <inheritdoc />
    public override ModelTask? CompanionTask => ModelTask.FaceDetection;

    /// <inheritdoc />
    public override IReadOnlyList<string> DefaultCompanions { get; } = [FaceEmbedder.DefaultDetector];

    /// <inheritdoc />
    public override FaceOptions ParseOptions(TaskOptionValues values) => Checked(DefaultOptions with
    {
        ScoreThreshold = Require(values).Float(TaskOptionKeys.MinScore) ?? DefaultOptions.ScoreThreshold,
        MaxFaces = values.Int(TaskOptionKeys.Top) ?? DefaultOptions.MaxFaces,
    }, o => o.Validate());

    /// <inheritdoc />
    /// <exception cref="ZooUsageException">Always: the task needs its face detector.</exception>
    public override ITaskPipeline<IReadOnlyList<EmbeddedFace>, FaceOptions> Open(LocalModel model, ImageTaskOptions options) =>
        throw new ZooUsageException(
            $"face embeddings need a face detector; open the pipeline with one face-detection model in the companions (for example {FaceEmbedder.DefaultDetector}).");

    /// <inheritdoc />
    public override ITaskPipeline<IReadOnlyList<EmbeddedFace>, FaceOptions> Open(LocalModel model, IReadOnlyList<LocalModel> companions, ImageTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(companions);
        return companions.Count == 1 ? FaceEmbedder.Open(model, companions[0], options) : Open(model, options);
    }

    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options) => ResultSchema.Object("Faces found in the image, each with its embedding.",
        ResultSchema.Required("faces", ResultSchema.ArrayOf(ResultSchema.Object("One face.",
            ResultSchema.Required("score", ResultSchema.Score("Detection confidence.")),
            ResultSchema.Required("box", ResultSchema.Box()),
            ResultSchema.Required("embedding", ResultSchema.Vector("The face's embedding, unit length."))), "Faces found, best first.")));

    /// <summary>Writes <c>"faces": [{"score", "box", "embedding": […]}]</c>.</summary>
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<EmbeddedFace> result, ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartArray("faces");
        foreach (var face in result)
        {
            writer.WriteStartObject();
            writer.WriteNumber("score", ResultJson.Score(face.Score));
            ResultJson.WriteBox(writer, face.Box);
            writer.WriteStartArray("embedding");
            foreach (var value in face.Embedding)
            {
                writer.WriteNumberValue(value);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<EmbeddedFace> result) => new() { Faces = result.Select(f => f.ToFace()).ToList() };

    /// <inheritdoc />
    public override IReadOnlyList<EmbeddedFace> ToSourcePixels(IReadOnlyList<EmbeddedFace> result, float scaleX, float scaleY)
    {
        ArgumentNullException.ThrowIfNull(result);
        var faces = Detection.ToSourcePixels(result.Select(f => f.ToFace()).ToList(), scaleX, scaleY);
        return result.Select((f, i) => f with { Box = faces[i].Box, Landmarks = faces[i].Landmarks }).ToList();
    }

    /// <inheritdoc />
    public override ResultView Present(IReadOnlyList<EmbeddedFace> result) => FaceDetectionTask.FacesView(result, f => (f.Score, f.Box),
        "Embedding", f => Describe(f.Embedding),
        "try --min-score lower, or a face-detection model for larger or smaller faces: `zoo list --task face-detection`");

    private static string Describe(IReadOnlyList<float> embedding) => string.Create(CultureInfo.InvariantCulture,
        $"{embedding.Count} values: {string.Join(", ", embedding.Take(3).Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))}, …");
}
