namespace ModelZoo.Server.Adapters;

/// <summary>
/// Serves one task of the library's <see cref="TaskRegistry"/> through its descriptor: the descriptor opens the
/// pipeline, turns a request's <see cref="PredictOptions"/> into the task's options record (so every default is the
/// options record's), writes the native JSON (the CLI's <c>--json</c> shape) and maps geometry back to the pixels of
/// the image as sent. One instance per registered descriptor; <see cref="TaskEndpointRegistry.CreateDefault"/> makes them.
/// </summary>
/// <typeparam name="TResult">What one image gives, as the descriptor says.</typeparam>
/// <typeparam name="TOptions">The task's per-call options record.</typeparam>
public sealed class DescriptorEndpoint<TResult, TOptions> : ITaskEndpoint
    where TOptions : class
{
    /// <summary>An adapter for <paramref name="descriptor"/>.</summary>
    /// <param name="descriptor">The task.</param>
    /// <param name="companionHandles">Models of the descriptor's <see cref="ITaskDescriptor.CompanionTask"/> loaded with every
    /// served model, in order (the server's <see cref="ZooServerOptions.FaceAttributes"/>); null or empty for the
    /// descriptor's <see cref="ITaskDescriptor.DefaultCompanions"/>.</param>
    public DescriptorEndpoint(TaskDescriptor<TResult, TOptions> descriptor, IReadOnlyList<string>? companionHandles = null)
    {
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        CompanionHandles = descriptor.CompanionTask is null ? []
            : companionHandles is { Count: > 0 } ? [.. companionHandles] : [.. descriptor.DefaultCompanions];
    }

    /// <summary>The task served.</summary>
    public TaskDescriptor<TResult, TOptions> Descriptor { get; }

    /// <summary>The companion models loaded with every served model; empty when the task takes none.</summary>
    public IReadOnlyList<string> CompanionHandles { get; }

    /// <inheritdoc />
    public ModelTask Task => Descriptor.Task;

    /// <inheritdoc />
    public TaskInput Input => Descriptor.Input;

    /// <inheritdoc />
    public JsonObject JsonSchema() => Descriptor.JsonSchema(ResultJsonOptions.Response);

    /// <inheritdoc />
    public IReadOnlyList<ModelCard> Companions(ModelCard card, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (Descriptor.CompanionTask is not { } task)
        {
            return [];
        }
        return CompanionHandles.Select(handle =>
        {
            var companion = catalog.Get(handle);
            if (companion.Task != task)
            {
                throw new ZooUsageException(
                    $"'{handle}' is a {TaskNames.Of(companion.Task)} model, not a {TaskNames.Of(task)} model; list only {TaskNames.Of(task)} models in ZooServerOptions.FaceAttributes.");
            }
            return companion;
        }).ToList();
    }

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, SessionSettings session) => Open(model, [], session);

    /// <inheritdoc />
    public ITaskRunner Open(LocalModel model, IReadOnlyList<LocalModel> companions, SessionSettings session) =>
        new Runner(Descriptor, Descriptor.Open(model, companions, new ImageTaskOptions { Session = session }));

    // Each request keeps its own options; the pipeline decides whether the batch runs as one inference call.
    private sealed class Runner(TaskDescriptor<TResult, TOptions> descriptor, ITaskPipeline<TResult, TOptions> pipeline) : ITaskRunner<TResult>
    {
        public ModelCard Card => pipeline.Card;

        public StageTimings? Timings => pipeline.Timings;

        public IReadOnlyList<TResult> Predict(IReadOnlyList<PredictRequest> batch) => pipeline.Run(
            batch.Select(r => r.Input.RequireImage()).ToList(),
            batch.Select(r => descriptor.ParseOptions(r.Options.ToValues())).ToList());

        public void WriteJson(Utf8JsonWriter writer, TResult result) => descriptor.WriteJson(writer, result, ResultJsonOptions.Response);

        public TResult ToSource(TResult result, float scaleX, float scaleY) => descriptor.ToSourcePixels(result, scaleX, scaleY);

        public void Dispose() => pipeline.Dispose();
    }
}
