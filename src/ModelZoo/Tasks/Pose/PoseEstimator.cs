namespace ModelZoo.Tasks;

/// <summary>
/// Finds body keypoints with a <see cref="ModelTask.PoseEstimation"/> model: preprocessing from the card, the
/// decoder the card names (<c>movenet</c>, <c>movenet-multipose</c>), keypoints mapped back to original-image
/// pixels. Thread-safe.
/// </summary>
public sealed class PoseEstimator : ImageModelPipeline<PoseEstimator, IReadOnlyList<Pose>, PoseOptions>, IImagePipelineFactory<PoseEstimator>
{
    private readonly IPoseDecoder _decoder;

    private PoseEstimator(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _decoder = PoseDecoders.Registry.Get(model.Card);
    }

    static ModelTask IImagePipelineFactory<PoseEstimator>.PipelineTask => ModelTask.PoseEstimation;

    static void IImagePipelineFactory<PoseEstimator>.CheckCard(ModelCard card) => PoseDecoders.Registry.Get(card);

    static PoseEstimator IImagePipelineFactory<PoseEstimator>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);

    /// <summary>Decoder names cards may use with this pipeline.</summary>
    public static IReadOnlyList<string> Decoders => PoseDecoders.Registry.Names;

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
