using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Batch;

/// <summary>
/// Runs one batch task over image files with the library's own pipelines (<see cref="FeatureExtractor"/>,
/// <see cref="ImageClassifier"/>, <see cref="ObjectDetector"/>), so a batch result is what <c>zoo embed</c>,
/// <c>zoo classify</c> or <c>zoo detect</c> computes for the same file. Not thread-safe; one per worker.
/// </summary>
public sealed class BatchInference : IDisposable
{
    private readonly IDisposable _pipeline;
    private readonly Func<IReadOnlyList<string>, CancellationToken, IAsyncEnumerable<(string Path, string? Json, ZooException? Error)>> _run;

    private BatchInference(ModelCard card, BatchTask task, IDisposable pipeline,
        Func<IReadOnlyList<string>, CancellationToken, IAsyncEnumerable<(string Path, string? Json, ZooException? Error)>> run)
    {
        Card = card;
        Task = task;
        _pipeline = pipeline;
        _run = run;
    }

    /// <summary>The model.</summary>
    public ModelCard Card { get; }

    /// <summary>The task.</summary>
    public BatchTask Task { get; }

    /// <summary>Opens <paramref name="task"/>'s pipeline over a catalog model, pulling it into the store first if needed (and allowed).</summary>
    /// <exception cref="ZooUsageException">The model's task does not fit <paramref name="task"/>.</exception>
    /// <exception cref="ZooException">The model cannot be pulled or opened.</exception>
    public static async Task<BatchInference> OpenAsync(ModelCard card, BatchTask task, ModelStore store, ImageTaskOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(store);
        CheckTask(card, task);
        var model = await store.OpenAsync(card, null, ct).ConfigureAwait(false);
        options ??= new ImageTaskOptions();
        return task switch
        {
            BatchTask.Embed => Over(card, task, FeatureExtractor.Open(model, options), (p, paths, c) => p.ExtractFilesAsync(paths, c), WriteVector),
            BatchTask.Classify => Over(card, task, ImageClassifier.Open(model, options), (p, paths, c) => p.ClassifyFilesAsync(paths, 5, c),
                WritePredictions),
            _ => Over(card, task, ObjectDetector.Open(model, options), (p, paths, c) => p.RunFilesAsync(paths, new DetectionOptions(), c),
                ResultJson.WriteDetections),
        };
    }

    /// <summary>Checks that a model can run a batch task.</summary>
    /// <exception cref="ZooUsageException">It cannot.</exception>
    public static void CheckTask(ModelCard card, BatchTask task)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Task != task.ModelTask())
        {
            var wanted = JsonSerializer.Serialize(task.ModelTask()).Trim('"');
            throw new ZooUsageException($"'{card.Handle}' is not an {wanted} model, so it cannot run the {task.Name()} batch task; pick one with `zoo list --task {wanted}`.");
        }
    }

    /// <summary>Runs the task over files, in input order: for each, its result as a JSON object (<c>{"vector"}</c>,
    /// <c>{"predictions"}</c> or <c>{"detections"}</c>) or the error that stopped it.</summary>
    public IAsyncEnumerable<(string Path, string? Json, ZooException? Error)> RunAsync(IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return _run(paths, ct);
    }

    /// <inheritdoc />
    public void Dispose() => _pipeline.Dispose();

    /// <summary>A batch inference over one pipeline: its file loop, each result written as the JSON object
    /// <paramref name="write"/> fills.</summary>
    private static BatchInference Over<TPipeline, TValue>(ModelCard card, BatchTask task, TPipeline pipeline,
        Func<TPipeline, IReadOnlyList<string>, CancellationToken, IAsyncEnumerable<ImageOutcome<TValue>>> files,
        Action<Utf8JsonWriter, TValue> write)
        where TPipeline : IDisposable
        where TValue : class
    {
        async IAsyncEnumerable<(string Path, string? Json, ZooException? Error)> Run(IReadOnlyList<string> paths,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var o in files(pipeline, paths, ct).ConfigureAwait(false))
            {
                yield return (o.Path, o.Value is { } v ? System.Text.Encoding.UTF8.GetString(ResultJson.Object(w => write(w, v))) : null, o.Error);
            }
        }

        return new BatchInference(card, task, pipeline, Run);
    }

    private static void WriteVector(Utf8JsonWriter writer, float[] vector)
    {
        writer.WriteStartArray("vector");
        foreach (var value in vector)
        {
            writer.WriteNumberValue(value);
        }
        writer.WriteEndArray();
    }

    private static void WritePredictions(Utf8JsonWriter writer, IReadOnlyList<Prediction> predictions)
    {
        writer.WriteStartArray("predictions");
        foreach (var p in predictions)
        {
            writer.WriteStartObject();
            writer.WriteString("label", p.Label);
            writer.WriteNumber("index", p.Index);
            writer.WriteNumber("score", ResultJson.Score(p.Score));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
