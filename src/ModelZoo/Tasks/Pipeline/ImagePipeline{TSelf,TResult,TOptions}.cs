namespace ModelZoo.Tasks;

/// <summary>
/// <see cref="ImagePipeline{TResult, TOptions}"/> with the pipeline's own typed <see cref="Open"/> and
/// <see cref="OpenAsync"/>, built from what <typeparamref name="TSelf"/> declares as its
/// <see cref="IImagePipelineFactory{TSelf}"/>: <c>ObjectDetector.Open(model)</c> checks the card's task and decoder,
/// opens the session and returns an <c>ObjectDetector</c> that owns it.
/// </summary>
/// <typeparam name="TSelf">The pipeline type.</typeparam>
/// <typeparam name="TResult">What one image gives.</typeparam>
/// <typeparam name="TOptions">The per-call options record.</typeparam>
public abstract class ImagePipeline<TSelf, TResult, TOptions> : ImagePipeline<TResult, TOptions>
    where TSelf : ImagePipeline<TSelf, TResult, TOptions>, IImagePipelineFactory<TSelf>
    where TOptions : class
{
    private protected ImagePipeline(LocalModel model, Runtime.ModelSession session, ImageTaskOptions options)
        : base(model, session, options)
    {
    }

    /// <summary>Opens the pipeline over a pulled model; it owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The card is not of this pipeline's task.</exception>
    /// <exception cref="ZooException">The card cannot run on this pipeline: it names a decoder the pipeline does not
    /// have (code <c>decoder-unknown</c>), or its input or output does not fit; or the model cannot be opened.</exception>
    public static TSelf Open(LocalModel model, ImageTaskOptions? options = null) =>
        OpenPipeline(model, options, TSelf.PipelineTask, TSelf.CheckCard, TSelf.Create);

    /// <summary>Pulls the model if needed (verified) and opens the pipeline over it.</summary>
    /// <exception cref="ZooException">The model cannot be pulled, verified or opened (see <see cref="Open"/>).</exception>
    public static Task<TSelf> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default) =>
        PullAndOpenAsync(card, store, progress, ct, model => Open(model, options));
}
