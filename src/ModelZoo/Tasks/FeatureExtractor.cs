using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>
/// Turns images into fixed-length feature vectors with an <see cref="ModelTask.ImageFeatureVector"/> model,
/// preprocessing each image as its card says. Thread-safe; dispose to release the native session.
/// </summary>
public sealed class FeatureExtractor : ITaskPipeline<float[], FeatureVectorOptions>
{
    private readonly ModelSession _session;
    private readonly ImageBatchRunner _runner;
    private readonly ImageTaskOptions _options;

    private FeatureExtractor(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Card = model.Card;
        _session = session;
        _options = options;
        _runner = new ImageBatchRunner(session, RequireInput(model.Card), model.Card.Output?.Name, model.Card);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>The underlying session (for inspection).</summary>
    public ModelSession Session => _session;

    /// <summary>Opens an extractor over a pulled model. The extractor owns the session it creates.</summary>
    public static FeatureExtractor Open(LocalModel model, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Card.Task != ModelTask.ImageFeatureVector)
        {
            throw new ZooUsageException(
                $"'{model.Card.Handle}' is a {TaskName(model.Card.Task)} model, not an image-feature-vector model; pick one with `zoo list --task image-feature-vector`.");
        }
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => new FeatureExtractor(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified) and opens an extractor over it.</summary>
    public static async Task<FeatureExtractor> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>Feature vector of one image.</summary>
    public float[] Extract(RgbImage image) => _runner.Run([image])[0];

    /// <summary>Feature vectors of a batch of images, in order.</summary>
    public float[][] Extract(IReadOnlyList<RgbImage> images) => _runner.Run(images);

    /// <summary>Feature vectors of image files, decoded on worker threads while the previous batch runs; in input order.</summary>
    public IAsyncEnumerable<ImageOutcome<float[]>> ExtractFilesAsync(IReadOnlyList<string> paths, CancellationToken ct = default) =>
        _runner.RunFilesAsync(paths, _options.BatchSize, _options.Decode, ct);

    /// <inheritdoc />
    public float[] Run(RgbImage image, FeatureVectorOptions options) => Extract(image);

    /// <inheritdoc />
    public IReadOnlyList<float[]> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<FeatureVectorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count != options.Count)
        {
            throw new ArgumentException($"{images.Count} images came with {options.Count} options; pass one options record per image.", nameof(options));
        }
        return Extract(images);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<float[]>> RunFilesAsync(IReadOnlyList<string> paths, FeatureVectorOptions options, CancellationToken ct = default) =>
        ExtractFilesAsync(paths, ct);

    /// <inheritdoc />
    public StageTimings Timings => StageTimings.Zero;

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    internal static InputSpec RequireInput(ModelCard card) => card.Input ?? throw new ZooException("card-input-missing",
        $"the card of '{card.Handle}' has no input spec, so images cannot be preprocessed for it; add an 'input' section to the card.");

    internal static string TaskName(ModelTask task) => TaskNames.Of(task);
}
