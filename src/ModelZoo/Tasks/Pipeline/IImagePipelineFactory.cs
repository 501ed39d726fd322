namespace ModelZoo.Tasks;

/// <summary>
/// The static side of a task's image pipeline: which task its cards must have, what else it checks on a card before a
/// session is opened (its decoder, its input), and how it is built over an open session. <see
/// cref="ImagePipeline{TSelf, TResult, TOptions}"/> turns these into the pipeline's public <c>Open</c> and
/// <c>OpenAsync</c>, so no task writes them again.
/// </summary>
/// <typeparam name="TSelf">The pipeline type.</typeparam>
/// <remarks>Its members are internal: only this assembly's pipelines implement it.</remarks>
public interface IImagePipelineFactory<TSelf> where TSelf : IImagePipelineFactory<TSelf>
{
    /// <summary>The task a card must declare.</summary>
    internal static abstract ModelTask PipelineTask { get; }

    /// <summary>Throws when the card cannot run on this pipeline for another reason than its task.</summary>
    internal static abstract void CheckCard(ModelCard card);

    /// <summary>Builds the pipeline over a session it will own.</summary>
    internal static abstract TSelf Create(LocalModel model, ModelSession session, ImageTaskOptions options);
}
