namespace ModelZoo.Tasks;

/// <summary>
/// The one image-pipeline template every image task runs on: it opens the session through <c>TaskSessions</c> (the
/// card's preprocessing graph joined in front, imported formats through their cached translation) after checking the
/// card's task and decoder, then runs preprocess → inference → postprocess for one image, a batch, or files decoded
/// ahead on worker threads, and counts the time of each stage (<see cref="Timings"/>). A task supplies only its
/// steps: how an image is preprocessed (by the shared runners), and how the model's outputs become its result.
/// </summary>
/// <typeparam name="TResult">What one image gives.</typeparam>
/// <typeparam name="TOptions">The per-call options record.</typeparam>
/// <remarks>Pipelines keep no per-call state apart from the timing totals, so one instance may serve concurrent
/// callers. Only this assembly derives from it; hosts use the task classes (<see cref="ObjectDetector"/>, …) or a
/// <see cref="TaskDescriptor{TResult, TOptions}"/>.</remarks>
public abstract class ImagePipeline<TResult, TOptions> : ITaskPipeline<TResult, TOptions> where TOptions : class
{
    private readonly ModelSession _session;
    private readonly StageClock _clock = new();
    private int _recording;

    private protected ImagePipeline(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Model = model;
        _session = session;
        Options = options;
    }

    /// <inheritdoc />
    public ModelCard Card => Model.Card;

    /// <inheritdoc />
    public StageTimings Timings => _clock.Snapshot();

    private protected LocalModel Model { get; }

    private protected ImageTaskOptions Options { get; }

    private protected ModelSession PipelineSession => _session;

    /// <summary>Files per inference call in <see cref="RunFilesAsync(IReadOnlyList{string}, TOptions, CancellationToken)"/>:
    /// one for tasks whose model takes one image at a time.</summary>
    private protected virtual int FileBatchSize => 1;

    /// <summary>Throws a usage error when <paramref name="options"/> are out of range.</summary>
    private protected abstract void Validate(TOptions options);

    /// <summary>The model-input tensor of one image (called on worker threads).</summary>
    private protected abstract PreparedImage Preprocess(RgbImage image);

    /// <summary>Runs inference on prepared images now and returns their postprocessing (one result each, in order), which
    /// the file loop runs on a worker while the next batch is in inference; implementations time their stages with
    /// <see cref="Infer{T}"/> and <see cref="Postprocess{T}"/> (<see cref="Done"/> when everything ran now).</summary>
    private protected abstract Func<IReadOnlyList<TResult>> Complete(IReadOnlyList<PreparedImage> batch, IReadOnlyList<TOptions> options);

    /// <inheritdoc />
    public TResult Run(RgbImage image, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Run([image], [options])[0];
    }

    /// <inheritdoc />
    public IReadOnlyList<TResult> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<TOptions> options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (images.Count != options.Count)
        {
            throw new ArgumentException($"{images.Count} images came with {options.Count} options; pass one options record per image.", nameof(options));
        }
        foreach (var o in options)
        {
            ArgumentNullException.ThrowIfNull(o, nameof(options));
            Validate(o);
        }
        if (images.Count == 0)
        {
            return [];
        }
        var prepared = new PreparedImage[images.Count];
        _clock.Time(PipelineStage.Preprocess, () =>
        {
            Parallel.For(0, images.Count, i => prepared[i] = Preprocess(images[i]));
            return 0;
        });
        _clock.CountImages(images.Count);
        return Complete(prepared, options)();
    }

    /// <summary>Whether results are made from the image's pixels after inference (face crops, tiles), so files must be
    /// decoded at full size.</summary>
    private protected virtual bool ReadsSourcePixels => false;

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<TResult>> RunFilesAsync(IReadOnlyList<string> paths, TOptions options, CancellationToken ct = default) =>
        RunFiles(paths, options, (_, _, result) => result, ScaledDecode(), ct);

    /// <inheritdoc />
    public IAsyncEnumerable<ImageOutcome<TOut>> RunFilesAsync<TOut>(IReadOnlyList<string> paths, TOptions options,
        Func<string, RgbImage, TResult, TOut> withImage, CancellationToken ct = default) =>
        RunFiles(paths, options, withImage, null, ct);

    /// <summary>The least decode scale of <see cref="ImageTaskOptions.ScaledDecode"/>: the scale the card's resize shrinks
    /// an image by; null when files are decoded at full size.</summary>
    private Func<int, int, double>? ScaledDecode() =>
        Options.ScaledDecode && !ReadsSourcePixels && Model.Card.Input is { } spec
            ? ImagePreprocessor.DecodeScale(spec)
            : null;

    private IAsyncEnumerable<ImageOutcome<TOut>> RunFiles<TOut>(IReadOnlyList<string> paths, TOptions options,
        Func<string, RgbImage, TResult, TOut> withImage, Func<int, int, double>? minimumScale, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(withImage);
        Validate(options);
        return ImageFileLoop.RunAsync<PreparedImage, TOut>(paths, FileBatchSize, Options.Decode, minimumScale, PreprocessFile, batch =>
        {
            _clock.CountImages(batch.Count);
            var finish = Complete(batch.Select(b => b.Prepared).ToList(), Enumerable.Repeat(options, batch.Count).ToList());
            return () =>
            {
                var results = finish();
                return batch.Select((b, i) => withImage(b.Path, b.Image, results[i])).ToList();
            };
        }, p => p.Transform, _clock, ct);
    }

    /// <summary>Preprocesses a file's decoded image, its transform mapping back onto the file's pixels (the decoded
    /// image's own at full size), so results do not depend on the decoded size.</summary>
    private PreparedImage PreprocessFile(ScaledImage decoded)
    {
        var prepared = Preprocess(decoded.Image);
        return prepared with { Transform = decoded.ToSource(prepared.Transform) };
    }

    /// <summary>Runs <paramref name="work"/> (calls on this pipeline) and returns the model-session calls it made, to be
    /// run again without decoding, preprocessing or postprocessing. Calls other callers make on this pipeline meanwhile
    /// are recorded too, so record with nothing else running on it.</summary>
    /// <exception cref="InvalidOperationException">A recording is already running on this pipeline.</exception>
    public InferenceRecording RecordInference(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var calls = new System.Collections.Concurrent.ConcurrentQueue<(IReadOnlyList<NamedTensor>, IReadOnlyList<string>)>();
        if (Interlocked.Exchange(ref _recording, 1) == 1)
        {
            throw new InvalidOperationException("a recording is already running on this pipeline; wait for RecordInference to return.");
        }
        try
        {
            _session.SetRecorder((inputs, outputs) => calls.Enqueue(([.. inputs], [.. outputs])));
            work();
        }
        finally
        {
            _session.SetRecorder(null);
            Volatile.Write(ref _recording, 0);
        }
        return new InferenceRecording(_session, calls);
    }

    /// <summary>Runs the model: <paramref name="run"/> timed as inference.</summary>
    private protected T Infer<T>(Func<T> run) => _clock.Time(PipelineStage.Inference, run);

    /// <summary>Turns outputs into results: <paramref name="run"/> timed as postprocessing.</summary>
    private protected T Postprocess<T>(Func<T> run) => _clock.Time(PipelineStage.Postprocess, run);

    /// <summary><see cref="Complete"/> for models that take one image per inference and give several outputs.</summary>
    private protected Func<IReadOnlyList<TResult>> EachImage(IReadOnlyList<PreparedImage> batch, IReadOnlyList<TOptions> options,
        ImageModelRunner runner, Func<ModelOutputs, TOptions, TResult> decode)
    {
        var outputs = new ModelOutputs[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var prepared = batch[i];
            outputs[i] = Infer(() => runner.Infer(prepared));
        }
        return () => Postprocess(() => outputs.Select((o, i) => decode(o, options[i])).ToList());
    }

    /// <summary><see cref="Complete"/> for models that take a batch and give one output row per image.</summary>
    private protected Func<IReadOnlyList<TResult>> Rows(IReadOnlyList<PreparedImage> batch, IReadOnlyList<TOptions> options,
        ImageBatchRunner runner, Func<float[], TOptions, TResult> decode)
    {
        var rows = Infer(() => runner.Infer(batch));
        return () => Postprocess(() => rows.Select((row, i) => decode(row, options[i])).ToList());
    }

    /// <summary><see cref="Complete"/>'s answer when inference and postprocessing both ran already.</summary>
    private protected static Func<IReadOnlyList<TResult>> Done(IReadOnlyList<TResult> results) => () => results;

    /// <summary>Checks the card (task, then <paramref name="check"/>, e.g. its decoder) and opens the pipeline over a
    /// new session that the pipeline owns.</summary>
    private protected static TPipeline OpenPipeline<TPipeline>(LocalModel model, ImageTaskOptions? options, ModelTask task,
        Action<ModelCard>? check, Func<LocalModel, ModelSession, ImageTaskOptions, TPipeline> create)
    {
        ArgumentNullException.ThrowIfNull(model);
        TaskGuard.RequireTask(model.Card, task);
        check?.Invoke(model.Card);
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => create(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified), then <paramref name="open"/>s it.</summary>
    private protected static async Task<TPipeline> PullAndOpenAsync<TPipeline>(ModelCard card, ModelStore store,
        IProgress<PullProgress>? progress, CancellationToken ct, Func<LocalModel, TPipeline> open)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return open(model);
    }

    /// <summary>Releases what a task holds besides the session; nothing by default.</summary>
    private protected virtual void DisposeCore()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeCore();
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
}
