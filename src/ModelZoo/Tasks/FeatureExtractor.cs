namespace ModelZoo.Tasks;

/// <summary>
/// Turns images into fixed-length feature vectors with an <see cref="ModelTask.ImageFeatureVector"/> model,
/// preprocessing each image as its card says. Thread-safe; dispose to release the native session.
/// </summary>
public sealed class FeatureExtractor : ImagePipeline<FeatureExtractor, float[], FeatureVectorOptions>, IImagePipelineFactory<FeatureExtractor>
{
    private readonly ImageBatchRunner _runner;

    private FeatureExtractor(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _runner = new ImageBatchRunner(session, RequireInput(model.Card), model.Card.Output?.Name, model.Card);
    }

    static ModelTask IImagePipelineFactory<FeatureExtractor>.PipelineTask => ModelTask.ImageFeatureVector;

    static void IImagePipelineFactory<FeatureExtractor>.CheckCard(ModelCard card)
    {
    }

    static FeatureExtractor IImagePipelineFactory<FeatureExtractor>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);

    /// <summary>The underlying session (for inspection).</summary>
    public ModelSession Session => PipelineSession;

    /// <summary>Feature vector of one image.</summary>
    public float[] Extract(RgbImage image) => Run(image, Default);

    /// <summary>Feature vectors of a batch of images, in order.</summary>
    public float[][] Extract(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return [.. Run(images, Enumerable.Repeat(Default, images.Count).ToList())];
    }

    /// <summary>Feature vectors of image files, decoded on worker threads while the previous batch runs; in input order.</summary>
    public IAsyncEnumerable<ImageOutcome<float[]>> ExtractFilesAsync(IReadOnlyList<string> paths, CancellationToken ct = default) =>
        RunFilesAsync(paths, Default, ct);

    private static FeatureVectorOptions Default { get; } = new();

    private protected override int FileBatchSize => Options.BatchSize;

    private protected override void Validate(FeatureVectorOptions options)
    {
    }

    private protected override PreparedImage Preprocess(RgbImage image) => _runner.Preprocess(image);

    private protected override Func<IReadOnlyList<float[]>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<FeatureVectorOptions> options) =>
        Rows(batch, options, _runner, (row, _) => row);

    internal static InputSpec RequireInput(ModelCard card) => card.Input ?? throw ZooErrors.CardInputMissing.Raise(
        $"the card of '{card.Handle}' has no input spec, so images cannot be preprocessed for it; add an 'input' section to the card.");

    internal static string TaskName(ModelTask task) => TaskNames.Of(task);
}
