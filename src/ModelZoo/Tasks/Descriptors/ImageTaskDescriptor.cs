namespace ModelZoo.Tasks;

/// <summary>
/// A <see cref="TaskDescriptor{TResult, TOptions}"/> whose pipeline is an <see cref="ImagePipeline{TSelf, TResult,
/// TOptions}"/>: <see cref="Open(LocalModel, ImageTaskOptions)"/> is the pipeline's own <c>Open</c>, so a task names its
/// pipeline type once instead of writing the call again.
/// </summary>
/// <typeparam name="TPipeline">The task's pipeline.</typeparam>
/// <typeparam name="TResult">What one image gives.</typeparam>
/// <typeparam name="TOptions">The per-call options record.</typeparam>
public abstract class ImageTaskDescriptor<TPipeline, TResult, TOptions> : TaskDescriptor<TResult, TOptions>
    where TPipeline : ImagePipeline<TPipeline, TResult, TOptions>, IImagePipelineFactory<TPipeline>
    where TOptions : class
{
    /// <inheritdoc cref="TaskDescriptor{TResult, TOptions}(ModelTask, TOptions, IReadOnlyList{string}?, TaskCommandInfo?)" />
    protected ImageTaskDescriptor(ModelTask task, TOptions defaultOptions, IReadOnlyList<string>? decoders = null, TaskCommandInfo? command = null)
        : base(task, defaultOptions, decoders, command)
    {
    }

    /// <inheritdoc />
    public sealed override ITaskPipeline<TResult, TOptions> Open(LocalModel model, ImageTaskOptions options) =>
        ImagePipeline<TPipeline, TResult, TOptions>.Open(model, options);
}
