namespace ModelZoo.Tasks;

/// <summary>
/// Finds faces and their landmarks with a <see cref="ModelTask.FaceDetection"/> model: preprocessing from the
/// card, the decoder it names (<c>blazeface</c>, <c>ultraface</c>), weighted or plain suppression, and boxes and landmarks mapped
/// back to original-image pixels. Thread-safe.
/// </summary>
public sealed class FaceDetector : ImageModelPipeline<FaceDetector, IReadOnlyList<Face>, FaceOptions>, IImagePipelineFactory<FaceDetector>
{
    private readonly IFaceDecoder _decoder;
    private FaceAttributes? _attributes;

    /// <summary>The face-detection decoders by the names cards use in <c>output.decoder</c>; entries are added here by hand.</summary>
    internal static DecoderRegistry<IFaceDecoder> DecoderTable { get; } = new("face detection",
    [
        ("blazeface", new BlazeFaceDecoder()),
        ("ultraface", new UltraFaceDecoder()),
    ]);

    private FaceDetector(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _decoder = DecoderTable.Get(model.Card);
    }

    static ModelTask IImagePipelineFactory<FaceDetector>.PipelineTask => ModelTask.FaceDetection;

    static void IImagePipelineFactory<FaceDetector>.CheckCard(ModelCard card) => DecoderTable.Get(card);

    static FaceDetector IImagePipelineFactory<FaceDetector>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);


    /// <summary>A detector that runs the face-attribute <paramref name="attributeModels"/> on every face it finds
    /// (unless <see cref="FaceOptions.Attributes"/> is off); it owns their sessions too.</summary>
    internal static FaceDetector Open(LocalModel model, IReadOnlyList<LocalModel> attributeModels, ImageTaskOptions options)
    {
        var detector = Open(model, options);
        try
        {
            detector._attributes = attributeModels.Count == 0 ? null : FaceAttributes.Open(attributeModels, options);
            return detector;
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>Faces in one image, best first.</summary>
    public IReadOnlyList<Face> Detect(RgbImage image, FaceOptions? options = null) => Run(image, options ?? new FaceOptions());

    /// <summary>Face attributes crop the faces from the image itself.</summary>
    private protected override bool ReadsSourcePixels => _attributes is not null;

    private protected override void Validate(FaceOptions options) => options.Validate();

    private protected override Func<IReadOnlyList<IReadOnlyList<Face>>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<FaceOptions> options)
    {
        var faces = EachImage(batch, options, Runner, Decode);
        if (_attributes is not { } attributes)
        {
            return faces;
        }
        // Attribute models crop the image's own pixels, so they run once the detector has its faces.
        return () => faces().Select((found, i) => options[i].Attributes && found.Count > 0
            ? Postprocess(() => attributes.Apply(batch[i].Source, found))
            : found).ToList();
    }

    private protected override void DisposeCore() => _attributes?.Dispose();

    private IReadOnlyList<Face> Decode(ModelOutputs outputs, FaceOptions options)
    {
        var candidates = _decoder.Decode(outputs, options.ScoreThreshold);
        var kept = FaceSuppression.Apply(candidates, options.IouThreshold, options.MaxFaces, options.WeightedSuppression);
        var transform = outputs.Transform;
        return kept.Select(c =>
        {
            var (x1, y1) = transform.ClampToSource(c.X1, c.Y1);
            var (x2, y2) = transform.ClampToSource(c.X2, c.Y2);
            var landmarks = new FaceLandmark[c.LandmarkNames.Count];
            for (var i = 0; i < landmarks.Length; i++)
            {
                var (lx, ly) = transform.ClampToSource(c.Landmarks[2 * i], c.Landmarks[2 * i + 1]);
                landmarks[i] = new FaceLandmark(c.LandmarkNames[i], lx, ly);
            }
            return new Face { Score = c.Score, Box = BoundingBox.FromCorners(x1, y1, x2, y2), Landmarks = landmarks };
        }).ToList();
    }
}
