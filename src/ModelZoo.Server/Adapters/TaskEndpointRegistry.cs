namespace ModelZoo.Server.Adapters;

/// <summary>
/// The task adapters a server knows, by task. Registration is explicit (no reflection scanning) and a task
/// registered twice is an error. Build it once at startup; afterwards it is read-only and thread-safe.
/// </summary>
public sealed class TaskEndpointRegistry
{
    private readonly Dictionary<ModelTask, ITaskEndpoint> _byTask = [];

    /// <summary>
    /// A registry holding one <see cref="DescriptorEndpoint{TResult, TOptions}"/> per task of <paramref name="tasks"/> (by
    /// default <see cref="TaskRegistry.Default"/>: classification, image feature vectors, object detection, pose
    /// estimation, face detection with <paramref name="faceAttributes"/> run on each face, image segmentation), then the
    /// adapters of the tasks no descriptor covers: OCR (served by text-detection cards) and text embeddings.
    /// </summary>
    /// <param name="faceAttributes">Face-attribute model handles loaded with every face detector; null or empty for none.</param>
    /// <param name="tasks">The task descriptors to serve; null for the library's.</param>
    public static TaskEndpointRegistry CreateDefault(IEnumerable<string>? faceAttributes = null, TaskRegistry? tasks = null)
    {
        var registry = new TaskEndpointRegistry();
        var factory = new EndpointFactory([.. faceAttributes ?? []]);
        foreach (var descriptor in (tasks ?? TaskRegistry.Default).All)
        {
            registry.Add(descriptor.Accept(factory));
        }
        return registry.Add(new OcrEndpoint()).Add(new TextEmbeddingEndpoint());
    }

    /// <summary>The adapter of a descriptor held without its types.</summary>
    private sealed class EndpointFactory(IReadOnlyList<string> companions) : ITaskDescriptorVisitor<ITaskEndpoint>
    {
        public ITaskEndpoint Visit<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor) where TOptions : class =>
            new DescriptorEndpoint<TResult, TOptions>(descriptor, descriptor.DefaultCompanions.Count > 0 ? descriptor.DefaultCompanions : companions);
    }

    /// <summary>Registers an adapter and returns this registry.</summary>
    /// <exception cref="InvalidOperationException">An adapter for the same task is already registered.</exception>
    public TaskEndpointRegistry Add(ITaskEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!_byTask.TryAdd(endpoint.Task, endpoint))
        {
            throw new InvalidOperationException(
                $"an adapter for task {endpoint.Task} is already registered ({_byTask[endpoint.Task].GetType().Name}); register each task once.");
        }
        return this;
    }

    /// <summary>The tasks that can be served, in registration order.</summary>
    public IReadOnlyCollection<ModelTask> Tasks => _byTask.Keys;

    /// <summary>The adapter for a task, if one is registered.</summary>
    public ITaskEndpoint? Find(ModelTask task) => _byTask.GetValueOrDefault(task);
}
