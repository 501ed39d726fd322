namespace ModelZoo.Tasks;

/// <summary>
/// Everything hosts need to know about one task, in one place: how its models open (<see cref="Open(LocalModel, ImageTaskOptions)"/>),
/// its options and their defaults, its JSON shape, how a result is drawn over the image and how it reads on a
/// console. The CLI, the server and the batch worker are written once against this class.
/// </summary>
/// <typeparam name="TResult">What one image gives (e.g. <c>IReadOnlyList&lt;Detection&gt;</c>).</typeparam>
/// <typeparam name="TOptions">The per-call options record; its property initialisers are the task's defaults for
/// every host.</typeparam>
/// <remarks>
/// <para>To add a task:</para>
/// <list type="number">
/// <item>Add its name to <see cref="ModelTask"/> if it is new, and make a folder <c>Tasks/&lt;Task&gt;/</c>.</item>
/// <item>Write its result record and options record (defaults as property initialisers, a <c>Validate</c> method).</item>
/// <item>Write its decoders and their name → decoder table (<c>DecoderRegistry</c>) when cards choose how outputs
/// are read.</item>
/// <item>Write its pipeline: a class deriving from <see cref="ImagePipeline{TSelf, TResult, TOptions}"/> that supplies
/// <c>Validate</c> (the options), <c>Preprocess</c> (through the shared image runners) and <c>Complete</c> (inference
/// now, the decoder as the postprocessing it returns, timed through the template's helpers <c>EachImage</c>/<c>Rows</c>),
/// and implements <see cref="IImagePipelineFactory{TSelf}"/> (its task, its card check, its constructor), from which the
/// base gives it its public static <c>Open</c>/<c>OpenAsync</c>.</item>
/// <item>If results are drawn, write its <see cref="IAnnotationLayer"/> in the task's folder.</item>
/// <item>Derive a descriptor from this class: the task, the decoders, <see cref="ParseOptions"/>,
/// <see cref="WriteJson"/> and its <see cref="JsonSchema"/>, <see cref="Annotate"/>, <see cref="Present"/> and, for a
/// command-line verb, <see cref="Command"/>.</item>
/// <item>If the pipeline needs a model of another task to run at all, override <see cref="CompanionTask"/> and
/// <see cref="DefaultCompanions"/>; hosts then pull and pass that model to
/// <see cref="Open(LocalModel, IReadOnlyList{LocalModel}, ImageTaskOptions)"/>.</item>
/// <item>Add one line to <see cref="TaskRegistry.Default"/>. The CLI verb, the server's native endpoint, the card
/// validator's decoder check and <c>--json</c> follow from the descriptor.</item>
/// <item>Test the decoders on built graphs with known tensors and the pipeline on a real model where one can be
/// fetched.</item>
/// </list>
/// </remarks>
public abstract class TaskDescriptor<TResult, TOptions> : ITaskDescriptor where TOptions : class
{
    private readonly ModelTask? _task;
    private readonly TOptions? _defaultOptions;
    private readonly IReadOnlyList<string>? _decoders;
    private readonly TaskCommandInfo? _command;

    /// <summary>A descriptor that overrides <see cref="Task"/> and <see cref="DefaultOptions"/> itself.</summary>
    protected TaskDescriptor()
    {
    }

    /// <summary>A descriptor from the facts every task states: its name, its default options, its decoder names and its
    /// command-line verb.</summary>
    protected TaskDescriptor(ModelTask task, TOptions defaultOptions, IReadOnlyList<string>? decoders = null, TaskCommandInfo? command = null)
    {
        ArgumentNullException.ThrowIfNull(defaultOptions);
        _task = task;
        _defaultOptions = defaultOptions;
        _decoders = decoders;
        _command = command;
    }

    /// <inheritdoc />
    public virtual ModelTask Task => _task ?? throw new InvalidOperationException(
        $"{GetType().Name} names no task; pass it to the constructor or override Task.");

    /// <inheritdoc />
    public virtual TaskInput Input => TaskInput.Image;

    /// <inheritdoc />
    public Type ResultType => typeof(TResult);

    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    public virtual IReadOnlyList<string>? Decoders => _decoders;

    /// <inheritdoc />
    public virtual TaskCommandInfo? Command => _command;

    /// <inheritdoc />
    public virtual ModelTask? CompanionTask => null;

    /// <inheritdoc />
    public virtual IReadOnlyList<string> DefaultCompanions => [];

    /// <summary>The options a host uses when its user sets none: the options record as constructed.</summary>
    public virtual TOptions DefaultOptions => _defaultOptions ?? throw new InvalidOperationException(
        $"{GetType().Name} has no default options; pass them to the constructor or override DefaultOptions.");

    /// <summary>The options <paramref name="values"/> describe, starting from <see cref="DefaultOptions"/>; keys the
    /// task does not use are ignored.</summary>
    /// <exception cref="ZooUsageException">A value is not of its option's type, or out of range.</exception>
    public abstract TOptions ParseOptions(TaskOptionValues values);

    /// <summary>Opens the task's pipeline over a pulled model; the pipeline owns the session it opens.</summary>
    /// <exception cref="ZooUsageException">The card is for another task.</exception>
    /// <exception cref="ZooException">The card cannot be run by this task (for example code <c>decoder-unknown</c>).</exception>
    public abstract ITaskPipeline<TResult, TOptions> Open(LocalModel model, ImageTaskOptions options);

    /// <summary>Opens the pipeline with pulled <paramref name="companions"/> of <see cref="CompanionTask"/>, in the
    /// order the user named them. Tasks without companions refuse any.</summary>
    /// <exception cref="ZooUsageException">Companions were given to a task that takes none.</exception>
    public virtual ITaskPipeline<TResult, TOptions> Open(LocalModel model, IReadOnlyList<LocalModel> companions, ImageTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(companions);
        if (companions.Count > 0)
        {
            throw new ZooUsageException($"{TaskNames.Of(Task)} models take no extra models; leave out the extra handles.");
        }
        return Open(model, options);
    }

    /// <summary>
    /// Writes one image's result as properties of the JSON object the caller has open (for example
    /// <c>"detections": […]</c>). The CLI's <c>--json</c> adds <c>"image"</c> before it; the server's native response
    /// is the object alone. Shapes follow <see cref="ResultJson"/>.
    /// </summary>
    public abstract void WriteJson(Utf8JsonWriter writer, TResult result, ResultJsonOptions options);

    /// <inheritdoc />
    public abstract JsonObject JsonSchema(ResultJsonOptions options);

    /// <summary>What to draw over the image for <paramref name="result"/>; nothing by default.</summary>
    public virtual Annotations Annotate(TResult result) => new();

    /// <summary>How <paramref name="result"/> reads on a console.</summary>
    public abstract ResultView Present(TResult result);

    /// <summary>Writes files that go with an annotated image (segmentation's mask PNGs) next to it, named from
    /// <paramref name="stem"/> (a path without extension), and returns the result naming them. Nothing by default.</summary>
    public virtual TResult SaveFiles(TResult result, string stem) => result;

    /// <summary>Maps a result computed on an image decoded smaller than it was sent (a server decodes huge images
    /// reduced) back to the pixels of the image as sent: geometry scaled by <paramref name="scaleX"/> and
    /// <paramref name="scaleY"/>. By default the result is returned as it is (classes, vectors, and masks, which carry
    /// their own size).</summary>
    public virtual TResult ToSourcePixels(TResult result, float scaleX, float scaleY) => result;

    /// <summary>Validates options built by <see cref="ParseOptions"/> and returns them.</summary>
    /// <exception cref="ZooUsageException">They are out of range.</exception>
    protected static TOptions Checked(TOptions options, Action<TOptions> validate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validate);
        validate(options);
        return options;
    }

    /// <summary><paramref name="values"/>, checked for null.</summary>
    protected static TaskOptionValues Require(TaskOptionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values;
    }

    /// <inheritdoc />
    public TReturn Accept<TReturn>(ITaskDescriptorVisitor<TReturn> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }

    /// <summary><see cref="WriteJson"/> for a result held as <see cref="object"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="result"/> is not a <typeparamref name="TResult"/>.</exception>
    public void WriteJsonUntyped(Utf8JsonWriter writer, object result, ResultJsonOptions options) =>
        WriteJson(writer, result is TResult typed ? typed : throw new ArgumentException(
            $"a {TaskNames.Of(Task)} result is a {typeof(TResult).Name}, not a {result?.GetType().Name ?? "null"}.", nameof(result)), options);
}
