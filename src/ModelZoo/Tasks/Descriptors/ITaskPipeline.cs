namespace ModelZoo.Tasks;

/// <summary>
/// An open model of one task, as every host drives it: one image, a batch, or files decoded ahead of inference.
/// Implementations keep no per-call state apart from the timing counters, so one instance may serve concurrent callers;
/// dispose it to release the native session.
/// </summary>
/// <typeparam name="TResult">What one image gives (e.g. <c>IReadOnlyList&lt;Detection&gt;</c>).</typeparam>
/// <typeparam name="TOptions">The per-call options record (e.g. <see cref="DetectionOptions"/>).</typeparam>
public interface ITaskPipeline<TResult, in TOptions> : IDisposable
{
    /// <summary>The served model's card.</summary>
    ModelCard Card { get; }

    /// <summary>The result of one image.</summary>
    /// <exception cref="ZooUsageException">The options are out of range.</exception>
    TResult Run(RgbImage image, TOptions options);

    /// <summary>The results of several images, in order; each image has its own options (a server batch mixes
    /// requests). Tasks whose model takes a batch run it in one inference call.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    IReadOnlyList<TResult> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<TOptions> options);

    /// <summary>Runs image files, decoding ahead of inference on worker threads; yields in input order. A file that
    /// cannot be decoded yields an outcome with its error instead of stopping the run. Files may be decoded smaller than
    /// their size (<see cref="ImageTaskOptions.ScaledDecode"/>); results are in the file's pixels either way.</summary>
    IAsyncEnumerable<ImageOutcome<TResult>> RunFilesAsync(IReadOnlyList<string> paths, TOptions options, CancellationToken ct = default);

    /// <summary>Runs image files as <see cref="RunFilesAsync(IReadOnlyList{string}, TOptions, CancellationToken)"/> does and
    /// hands each file's path and decoded image, at full size, with its result to <paramref name="withImage"/> before the
    /// image is released (the CLI draws and saves the annotated image there).</summary>
    IAsyncEnumerable<ImageOutcome<TOut>> RunFilesAsync<TOut>(IReadOnlyList<string> paths, TOptions options,
        Func<string, RgbImage, TResult, TOut> withImage, CancellationToken ct = default);

    /// <summary>Time spent per stage so far, over every call on this instance.</summary>
    StageTimings Timings { get; }
}
