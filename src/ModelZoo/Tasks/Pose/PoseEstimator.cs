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
public sealed class PoseEstimator : ImageModelPipeline<IReadOnlyList<Pose>, PoseOptions>
{
    private readonly IPoseDecoder _decoder;

    private PoseEstimator(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _decoder = PoseDecoders.Registry.Get(model.Card);
    }

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => PoseDecoders.Registry.Names;

    /// <summary>Opens an estimator over a pulled model. The estimator owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The card is not a pose-estimation card.</exception>
    /// <exception cref="ZooException">The card names a decoder this pipeline does not have (code <c>decoder-unknown</c>).</exception>
    public static PoseEstimator Open(LocalModel model, ImageTaskOptions? options = null) => OpenPipeline(model, options,
        ModelTask.PoseEstimation, card => PoseDecoders.Registry.Get(card), (m, session, o) => new PoseEstimator(m, session, o));

    /// <summary>Pulls the model if needed (verified) and opens an estimator over it.</summary>
    public static Task<PoseEstimator> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default) =>
        PullAndOpenAsync(card, store, progress, ct, model => Open(model, options));

    /// <summary>Poses in one image, best first.</summary>
    public IReadOnlyList<Pose> Estimate(RgbImage image, PoseOptions? options = null) => Run(image, options ?? new PoseOptions());

    private protected override void Validate(PoseOptions options) => options.Validate();

    private protected override Func<IReadOnlyList<IReadOnlyList<Pose>>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<PoseOptions> options) =>
        EachImage(batch, options, Runner, (outputs, o) =>
        {
            var poses = _decoder.Decode(outputs, o.MinScore);
            return o.MaxPoses is int max && poses.Count > max ? poses.Take(max).ToList() : poses;
        });
}
