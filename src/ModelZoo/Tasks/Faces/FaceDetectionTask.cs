namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.FaceDetection"/> task: <see cref="FaceDetector"/>, face boxes and landmarks, with
/// <see cref="ModelTask.FaceAttributes"/> companions (<see cref="FaceAttributes"/>) run on each face. <c>min_score</c> is
/// the face threshold, <c>top</c> caps the faces, <c>face_attributes</c> turns the companions off per call.</summary>
public sealed class FaceDetectionTask() : ImageTaskDescriptor<FaceDetector, IReadOnlyList<Face>, FaceOptions>(ModelTask.FaceDetection, new FaceOptions(),
    FaceDetector.DecoderTable.Names, new TaskCommandInfo("faces", "Faces with landmarks, optionally age, gender and emotion.", "finding faces",
        ["faces", "face/blazeface/front_128", "photo.jpg", "--json"]))
{
    /// <inheritdoc />
    public override ModelTask? CompanionTask => ModelTask.FaceAttributes;

    /// <inheritdoc />
    public override FaceOptions ParseOptions(TaskOptionValues values) => Checked(DefaultOptions with
    {
        ScoreThreshold = Require(values).Float(TaskOptionKeys.MinScore) ?? DefaultOptions.ScoreThreshold,
        MaxFaces = values.Int(TaskOptionKeys.Top) ?? DefaultOptions.MaxFaces,
        Attributes = values.Bool(TaskOptionKeys.FaceAttributes) ?? DefaultOptions.Attributes,
    }, o => o.Validate());


    /// <inheritdoc />
    public override ITaskPipeline<IReadOnlyList<Face>, FaceOptions> Open(LocalModel model, IReadOnlyList<LocalModel> companions, ImageTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(companions);
        return FaceDetector.Open(model, companions, options);
    }

    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options) => ResultSchema.Object("Faces found in the image, with attributes when attribute models run.",
        ResultSchema.Faces());

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<Face> result, ResultJsonOptions options) =>
        ResultJson.WriteFaces(writer, result);

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<Face> result) => new() { Faces = result };

    /// <inheritdoc />
    public override IReadOnlyList<Face> ToSourcePixels(IReadOnlyList<Face> result, float scaleX, float scaleY) => result.Select(f => f with
    {
        Box = new BoundingBox(f.Box.X * scaleX, f.Box.Y * scaleY, f.Box.Width * scaleX, f.Box.Height * scaleY),
        Landmarks = f.Landmarks.Select(l => l with { X = l.X * scaleX, Y = l.Y * scaleY }).ToList(),
    }).ToList();

    /// <inheritdoc />
    public override ResultView Present(IReadOnlyList<Face> result) => FacesView(result, f => (f.Score, f.Box), "Attributes", Describe,
        "try --min-score lower, or a model for larger or smaller faces: `zoo list --task face-detection`");

    /// <summary>The table of found faces (score, box, and the <paramref name="column"/> that <paramref name="describe"/>
    /// fills), or a note ending in <paramref name="fix"/> when there are none; face embeddings show their faces the same way.</summary>
    internal static ResultView FacesView<TFace>(IReadOnlyList<TFace> faces, Func<TFace, (float Score, BoundingBox Box)> place,
        string column, Func<TFace, string> describe, string fix)
    {
        ArgumentNullException.ThrowIfNull(faces);
        if (faces.Count == 0)
        {
            return new ResultView(null, [], new ResultNote("no faces found", fix));
        }
        var rows = faces.Select(face => (IReadOnlyList<string>)
            [ResultCells.Percent(place(face).Score), ResultCells.Box(place(face).Box), describe(face)]).ToList();
        return new ResultView(null, [new ResultTable(null, [new("Score", true), new("Box (x, y, w, h)"), new(column)], rows)]);
    }

    private static string Describe(Face face)
    {
        var parts = new List<string>();
        if (face.Age is float age) parts.Add(string.Create(CultureInfo.InvariantCulture, $"age {age:0}"));
        if (face.Gender is not null) parts.Add(face.Gender);
        if (face.Emotion is not null) parts.Add(face.Emotion);
        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }
}
