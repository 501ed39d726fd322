namespace ModelZoo.Tasks;

/// <summary>
/// Finds body keypoints with a <see cref="ModelTask.PoseEstimation"/> model: preprocessing from the card, the
/// decoder the card names (<c>movenet</c>, <c>movenet-multipose</c>), keypoints mapped back to original-image
/// pixels. Thread-safe.
/// </summary>
public sealed class PoseEstimator : ImageModelPipeline<PoseEstimator, IReadOnlyList<Pose>, PoseOptions>, IImagePipelineFactory<PoseEstimator>
{
    private readonly IPoseDecoder _decoder;

    /// <summary>The pose decoders by the names cards use in <c>output.decoder</c>; entries are added here by hand.</summary>
    internal static DecoderRegistry<IPoseDecoder> DecoderTable { get; } = new("pose estimation",
    [
        ("movenet", new MoveNetDecoder()),
        ("movenet-multipose", new MoveNetMultiPoseDecoder()),
        ("blazepose-landmarks", new BlazePoseLandmarkDecoder()),
    ]);

    private PoseEstimator(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _decoder = DecoderTable.Get(model.Card);
    }

    static ModelTask IImagePipelineFactory<PoseEstimator>.PipelineTask => ModelTask.PoseEstimation;

    static void IImagePipelineFactory<PoseEstimator>.CheckCard(ModelCard card) => DecoderTable.Get(card);

    static PoseEstimator IImagePipelineFactory<PoseEstimator>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);


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
