namespace ModelZoo.Tasks;

/// <summary>
/// The <see cref="ImagePipeline{TSelf, TResult, TOptions}"/> of a task whose model takes one image at a time and gives
/// outputs a decoder reads (object detection, pose estimation, face detection, segmentation): images are preprocessed
/// and run through the shared <c>ImageModelRunner</c>, as the card says.
/// </summary>
/// <typeparam name="TSelf">The pipeline type.</typeparam>
/// <typeparam name="TResult">What one image gives.</typeparam>
/// <typeparam name="TOptions">The per-call options record.</typeparam>
public abstract class ImageModelPipeline<TSelf, TResult, TOptions> : ImagePipeline<TSelf, TResult, TOptions>
    where TSelf : ImageModelPipeline<TSelf, TResult, TOptions>, IImagePipelineFactory<TSelf>
    where TOptions : class
{
    private protected ImageModelPipeline(LocalModel model, ModelSession session, ImageTaskOptions options)
        : base(model, session, options)
    {
        Runner = new ImageModelRunner(session, model.Card);
    }

    /// <summary>Preprocesses images and runs the model on them.</summary>
    private protected ImageModelRunner Runner { get; }

    private protected sealed override PreparedImage Preprocess(RgbImage image) => Runner.Preprocess(image);
}
