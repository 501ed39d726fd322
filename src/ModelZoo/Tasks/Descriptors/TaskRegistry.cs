namespace ModelZoo.Tasks;

/// <summary>
/// The task descriptors a host knows, in registration order. Registration is an explicit list (no reflection
/// scanning); a task or command verb registered twice is refused. Read-only once built; thread-safe.
/// </summary>
public sealed class TaskRegistry
{
    private readonly List<ITaskDescriptor> _all = [];
    private readonly Dictionary<ModelTask, ITaskDescriptor> _byTask = [];
    private readonly Dictionary<string, ITaskDescriptor> _byVerb = new(StringComparer.Ordinal);

    /// <summary>A registry of <paramref name="descriptors"/>, in that order.</summary>
    /// <exception cref="InvalidOperationException">Two descriptors share a task or a command verb.</exception>
    public TaskRegistry(IEnumerable<ITaskDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        foreach (var descriptor in descriptors)
        {
            ArgumentNullException.ThrowIfNull(descriptor);
            if (!_byTask.TryAdd(descriptor.Task, descriptor))
            {
                throw new InvalidOperationException(
                    $"task {TaskNames.Of(descriptor.Task)} is registered twice ({_byTask[descriptor.Task].GetType().Name} and {descriptor.GetType().Name}); register each task once.");
            }
            if (descriptor.Command is { } command && !_byVerb.TryAdd(command.Verb, descriptor))
            {
                throw new InvalidOperationException(
                    $"command verb '{command.Verb}' is registered twice ({_byVerb[command.Verb].GetType().Name} and {descriptor.GetType().Name}); give each task its own verb.");
            }
            _all.Add(descriptor);
        }
    }

    /// <summary>
    /// The tasks this library ships. To add one, append its descriptor here (see
    /// <see cref="TaskDescriptor{TResult, TOptions}"/> for the steps).
    /// </summary>
    public static TaskRegistry Default { get; } = new(
    [
        new ImageClassificationTask(),
        new ImageFeatureVectorTask(),
        new ObjectDetectionTask(),
        new PoseEstimationTask(),
        new FaceDetectionTask(),
        new ImageSegmentationTask(),
        new SuperResolutionTask(),
        new FaceEmbeddingTask(),
    ]);

    /// <summary>Every descriptor, in registration order.</summary>
    public IReadOnlyList<ITaskDescriptor> All => _all;

    /// <summary>The descriptors that have a command-line verb, in registration order.</summary>
    public IEnumerable<ITaskDescriptor> Commands => _all.Where(d => d.Command is not null);

    /// <summary>The descriptor of <paramref name="task"/>, or null.</summary>
    public ITaskDescriptor? Find(ModelTask task) => _byTask.GetValueOrDefault(task);

    /// <summary>The descriptor whose command verb is <paramref name="verb"/>, or null.</summary>
    public ITaskDescriptor? FindVerb(string verb) => _byVerb.GetValueOrDefault(verb);

    /// <summary>The descriptor of <paramref name="task"/>.</summary>
    /// <exception cref="ZooUsageException">No descriptor is registered for it.</exception>
    public ITaskDescriptor Get(ModelTask task) => Find(task) ?? throw new ZooUsageException(
        $"{TaskNames.Of(task)} models cannot be run as an image task; use the command for that task (see `zoo --help`).");

    /// <summary>The descriptor of <paramref name="task"/> at its own types.</summary>
    /// <exception cref="ZooUsageException">No descriptor is registered for it.</exception>
    /// <exception cref="InvalidOperationException">It has other result or options types.</exception>
    public TaskDescriptor<TResult, TOptions> Get<TResult, TOptions>(ModelTask task) where TOptions : class =>
        Get(task) as TaskDescriptor<TResult, TOptions> ?? throw new InvalidOperationException(
            $"task {TaskNames.Of(task)} gives {Get(task).ResultType.Name} with {Get(task).OptionsType.Name}, not {typeof(TResult).Name} with {typeof(TOptions).Name}.");
}
