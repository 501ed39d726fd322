using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>
/// Finds labelled boxes with an <see cref="ModelTask.ObjectDetection"/> model: preprocessing from the card
/// (letterbox-aware), the decoder the card names in <c>output.decoder</c> (<c>yolov8</c>, <c>yolov5</c>, <c>yolov4</c>, <c>yolov3-nms</c>, <c>boxes-labels-scores</c>,
/// <c>ssd</c>/<c>tf-od-api</c>, <c>nanodet</c>, <c>centernet</c>), class-aware non-maximum suppression, and
/// boxes mapped back to original-image pixels. Stateless apart from the session: thread-safe.
/// </summary>
public sealed class ObjectDetector : ITaskPipeline<IReadOnlyList<Detection>, DetectionOptions>
{
    private readonly ModelSession _session;
    private readonly ImageModelRunner _runner;
    private readonly IDetectionDecoder _decoder;
    private readonly ImageTaskOptions _options;
    private readonly IReadOnlyList<string>? _labels;
    private readonly int _labelOffset;
    private readonly int? _classCount;

    private ObjectDetector(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Card = model.Card;
        _session = session;
        _options = options;
        _decoder = DetectionDecoders.Registry.Get(model.Card);
        _runner = new ImageModelRunner(session, model.Card);
        (_labels, _labelOffset) = TaskGuard.Labels(model);
        _classCount = model.Card.Labels?.Count ?? (_labels is null ? null : _labels.Count + _labelOffset);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => DetectionDecoders.Registry.Names;

    /// <summary>Opens a detector over a pulled model. The detector owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The card is not an object-detection card.</exception>
    /// <exception cref="ZooException">The card names a decoder this pipeline does not have (code <c>decoder-unknown</c>).</exception>
    public static ObjectDetector Open(LocalModel model, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TaskGuard.RequireTask(model.Card, ModelTask.ObjectDetection);
        DetectionDecoders.Registry.Get(model.Card);
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => new ObjectDetector(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified) and opens a detector over it.</summary>
    public static async Task<ObjectDetector> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>Objects in one image, best first, boxes in the image's pixels.</summary>
    public IReadOnlyList<Detection> Detect(RgbImage image, DetectionOptions? options = null)
    {
        options ??= new DetectionOptions();
        options.Validate();
        var outputs = _runner.Run(image);
        var candidates = _decoder.Decode(outputs, _classCount, options.ScoreThreshold);
        var kept = NonMaxSuppression.Apply(candidates, options.IouThreshold, options.MaxDetections, options.ClassAgnostic);
        var transform = outputs.Transform;
        return kept.Select(c =>
        {
            var (x1, y1) = transform.ClampToSource(c.X1, c.Y1);
            var (x2, y2) = transform.ClampToSource(c.X2, c.Y2);
            return new Detection(TaskGuard.LabelOf(_labels, _labelOffset, c.ClassIndex), c.ClassIndex, c.Score,
                BoundingBox.FromCorners(x1, y1, x2, y2));
        }).ToList();
    }

    /// <summary>Detects objects in image files, decoding the next file while the current one runs; in input order.</summary>
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Detection>>> DetectFilesAsync(IReadOnlyList<string> paths,
        DetectionOptions? options = null, CancellationToken ct = default) =>
        ImageModelRunner.RunFilesAsync(paths, _options.Decode, image => Detect(image, options), ct);

    /// <inheritdoc />
    public IReadOnlyList<Detection> Run(RgbImage image, DetectionOptions options) => Detect(image, options);

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Detection>> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<DetectionOptions> options) =>
        BatchCalls.EachImage(images, options, Detect);

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Detection>>> RunFilesAsync(IReadOnlyList<string> paths, DetectionOptions options, CancellationToken ct = default) =>
        DetectFilesAsync(paths, options, ct);

    /// <inheritdoc />
    public StageTimings Timings => StageTimings.Zero;

    internal Imaging.ImageDecodeOptions? DecodeOptions => _options.Decode;

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
