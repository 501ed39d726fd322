using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>
/// Finds body keypoints with a <see cref="ModelTask.PoseEstimation"/> model: preprocessing from the card, the
/// decoder the card names (<c>movenet</c>, <c>movenet-multipose</c>), keypoints mapped back to original-image
/// pixels. Thread-safe.
/// </summary>
public sealed class PoseEstimator : ITaskPipeline<IReadOnlyList<Pose>, PoseOptions>
{
    private readonly ModelSession _session;
    private readonly ImageModelRunner _runner;
    private readonly IPoseDecoder _decoder;
    private readonly ImageTaskOptions _options;

    private PoseEstimator(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Card = model.Card;
        _session = session;
        _options = options;
        _decoder = PoseDecoders.Registry.Get(model.Card);
        _runner = new ImageModelRunner(session, model.Card);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => PoseDecoders.Registry.Names;

    /// <summary>Opens an estimator over a pulled model. The estimator owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The card is not a pose-estimation card.</exception>
    /// <exception cref="ZooException">The card names a decoder this pipeline does not have (code <c>decoder-unknown</c>).</exception>
    public static PoseEstimator Open(LocalModel model, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TaskGuard.RequireTask(model.Card, ModelTask.PoseEstimation);
        PoseDecoders.Registry.Get(model.Card);
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => new PoseEstimator(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified) and opens an estimator over it.</summary>
    public static async Task<PoseEstimator> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>Poses in one image, best first.</summary>
    public IReadOnlyList<Pose> Estimate(RgbImage image, PoseOptions? options = null)
    {
        options ??= new PoseOptions();
        options.Validate();
        var poses = _decoder.Decode(_runner.Run(image), options.MinScore);
        return options.MaxPoses is int max && poses.Count > max ? poses.Take(max).ToList() : poses;
    }

    /// <summary>Estimates poses in image files, decoding the next file while the current one runs; in input order.</summary>
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Pose>>> EstimateFilesAsync(IReadOnlyList<string> paths,
        PoseOptions? options = null, CancellationToken ct = default) =>
        ImageModelRunner.RunFilesAsync(paths, _options.Decode, image => Estimate(image, options), ct);

    /// <inheritdoc />
    public IReadOnlyList<Pose> Run(RgbImage image, PoseOptions options) => Estimate(image, options);

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Pose>> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<PoseOptions> options) =>
        BatchCalls.EachImage(images, options, Estimate);

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Pose>>> RunFilesAsync(IReadOnlyList<string> paths, PoseOptions options, CancellationToken ct = default) =>
        EstimateFilesAsync(paths, options, ct);

    /// <inheritdoc />
    public StageTimings Timings => StageTimings.Zero;

    internal Imaging.ImageDecodeOptions? DecodeOptions => _options.Decode;

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
