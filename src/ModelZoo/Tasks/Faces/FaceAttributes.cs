namespace ModelZoo.Tasks;

/// <summary>
/// Adds age, gender and emotion to detected faces by running <see cref="ModelTask.FaceAttributes"/> models on
/// a square crop around each face (grown by a margin, then resized and normalised as each model's card says).
/// The decoder each card names (<c>gear</c>, <c>ssrnet-age</c>, <c>ssrnet-gender</c>, <c>gender</c>,
/// <c>emotion</c>) reads its outputs; later models overwrite what earlier ones set. Thread-safe.
/// </summary>
public sealed class FaceAttributes : IDisposable
{
    private readonly List<Estimator> _estimators;
    private readonly float _margin;

    /// <summary>The face-attribute decoders by the names cards use in <c>output.decoder</c>; entries are added here by hand.</summary>
    internal static DecoderRegistry<IFaceAttributeDecoder> DecoderTable { get; } = new("face attributes",
    [
        ("gear", new GearDecoder()),
        ("ssrnet-age", new SsrNetAgeDecoder()),
        ("ssrnet-gender", new SsrNetGenderDecoder()),
        ("gender", new GenderDecoder()),
        ("emotion", new EmotionDecoder()),
    ]);

    private FaceAttributes(List<Estimator> estimators, float margin)
    {
        _estimators = estimators;
        _margin = margin;
    }

    /// <summary>The attribute models' cards, in the order they run.</summary>
    public IReadOnlyList<ModelCard> Cards => _estimators.Select(e => e.Runner.Card).ToList();


    /// <summary>Opens the given attribute models. The pipeline owns the sessions it creates.</summary>
    /// <param name="models">Pulled face-attribute models.</param>
    /// <param name="options">Session options.</param>
    /// <param name="cropMargin">
    /// How much the face box's longer side is grown for the crop (0.1 adds a tenth). Attribute models are trained on
    /// tight face crops (UTKFace for GEAR, FER-2013 for the emotion models): on skimage's astronaut GEAR says female
    /// for margins 0 to 0.15 around either BlazeFace box and flips to male from 0.2 on, so the default stays small.
    /// </param>
    /// <exception cref="ZooUsageException">A card is not a face-attributes card, or the margin is negative.</exception>
    /// <exception cref="ZooException">A card names a decoder this pipeline does not have (code <c>decoder-unknown</c>).</exception>
    public static FaceAttributes Open(IReadOnlyList<LocalModel> models, ImageTaskOptions? options = null, float cropMargin = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (!(cropMargin >= 0f && cropMargin <= 4f))
        {
            throw new ZooUsageException($"crop margin {cropMargin} is out of range; use a value from 0 to 4.");
        }
        foreach (var model in models)
        {
            TaskGuard.RequireTask(model.Card, ModelTask.FaceAttributes);
            DecoderTable.Get(model.Card);
        }
        options ??= new ImageTaskOptions();
        var estimators = new List<Estimator>();
        try
        {
            foreach (var model in models)
            {
                var session = TaskSessions.Open(model, options.Session);
                try
                {
                    estimators.Add(new Estimator(session, new ImageModelRunner(session, model.Card),
                        DecoderTable.Get(model.Card), TaskGuard.Labels(model).Labels));
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
            return new FaceAttributes(estimators, cropMargin);
        }
        catch
        {
            estimators.ForEach(e => e.Session.Dispose());
            throw;
        }
    }

    /// <summary>The face with the attributes every model estimated from its crop of <paramref name="image"/>.</summary>
    public Face Apply(RgbImage image, Face face)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(face);
        using var crop = FaceCrop.Square(image, face.Box, _margin);
        foreach (var estimator in _estimators)
        {
            face = estimator.Decoder.Decode(estimator.Runner.Run(crop), estimator.Labels).ApplyTo(face);
        }
        return face;
    }

    /// <summary>Every face of one image with its attributes, in the same order.</summary>
    public IReadOnlyList<Face> Apply(RgbImage image, IReadOnlyList<Face> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        return faces.Select(f => Apply(image, f)).ToList();
    }

    /// <inheritdoc />
    public void Dispose() => _estimators.ForEach(e => e.Session.Dispose());

    private sealed record Estimator(ModelSession Session, ImageModelRunner Runner, IFaceAttributeDecoder Decoder, IReadOnlyList<string>? Labels);
}
