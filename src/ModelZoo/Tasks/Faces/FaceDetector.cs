using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>
/// Finds faces and their landmarks with a <see cref="ModelTask.FaceDetection"/> model: preprocessing from the
/// card, the decoder it names (<c>blazeface</c>, <c>ultraface</c>), weighted or plain suppression, and boxes and landmarks mapped
/// back to original-image pixels. Thread-safe.
/// </summary>
public sealed class FaceDetector : ITaskPipeline<IReadOnlyList<Face>, FaceOptions>
{
    private readonly ModelSession _session;
    private readonly ImageModelRunner _runner;
    private readonly IFaceDecoder _decoder;
    private readonly ImageTaskOptions _options;

    private FaceDetector(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Card = model.Card;
        _session = session;
        _options = options;
        _decoder = FaceDecoders.Registry.Get(model.Card);
        _runner = new ImageModelRunner(session, model.Card);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => FaceDecoders.Registry.Names;

    /// <summary>Opens a detector over a pulled model. The detector owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The card is not a face-detection card.</exception>
    /// <exception cref="ZooException">The card names a decoder this pipeline does not have (code <c>decoder-unknown</c>).</exception>
    public static FaceDetector Open(LocalModel model, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TaskGuard.RequireTask(model.Card, ModelTask.FaceDetection);
        FaceDecoders.Registry.Get(model.Card);
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => new FaceDetector(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified) and opens a detector over it.</summary>
    public static async Task<FaceDetector> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>Faces in one image, best first.</summary>
    public IReadOnlyList<Face> Detect(RgbImage image, FaceOptions? options = null)
    {
        options ??= new FaceOptions();
        options.Validate();
        var outputs = _runner.Run(image);
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

    /// <summary>Detects faces in image files, decoding the next file while the current one runs; in input order.</summary>
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Face>>> DetectFilesAsync(IReadOnlyList<string> paths,
        FaceOptions? options = null, CancellationToken ct = default) =>
        ImageModelRunner.RunFilesAsync(paths, _options.Decode, image => Detect(image, options), ct);

    /// <inheritdoc />
    public IReadOnlyList<Face> Run(RgbImage image, FaceOptions options) => Detect(image, options);

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Face>> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<FaceOptions> options) =>
        BatchCalls.EachImage(images, options, Detect);

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Face>>> RunFilesAsync(IReadOnlyList<string> paths, FaceOptions options, CancellationToken ct = default) =>
        DetectFilesAsync(paths, options, ct);

    /// <inheritdoc />
    public StageTimings Timings => StageTimings.Zero;

    internal Imaging.ImageDecodeOptions? DecodeOptions => _options.Decode;

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
