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
    private readonly FeatureExtractor? _extractor;
    private readonly ImageClassifier? _classifier;
    private readonly ObjectDetector? _detector;

    private BatchInference(ModelCard card, BatchTask task, FeatureExtractor? extractor, ImageClassifier? classifier, ObjectDetector? detector)
    {
        Card = card;
        Task = task;
        _extractor = extractor;
        _classifier = classifier;
        _detector = detector;
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
            BatchTask.Embed => new BatchInference(card, task, FeatureExtractor.Open(model, options), null, null),
            BatchTask.Classify => new BatchInference(card, task, null, ImageClassifier.Open(model, options), null),
            _ => new BatchInference(card, task, null, null, ObjectDetector.Open(model, options)),
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
            throw new ZooUsageException($"'{card.Handle}' is not an {wanted} model, so it cannot run --task {task.Name()}; pick one with `zoo list --task {wanted}`.");
        }
    }

    /// <summary>Runs the task over files, in input order: for each, its result as a JSON object (<c>{"vector"}</c>,
    /// <c>{"predictions"}</c> or <c>{"detections"}</c>) or the error that stopped it.</summary>
    public async IAsyncEnumerable<(string Path, string? Json, ZooException? Error)> RunAsync(IReadOnlyList<string> paths,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (_extractor is not null)
        {
            await foreach (var o in _extractor.ExtractFilesAsync(paths, ct).ConfigureAwait(false))
            {
                yield return (o.Path, o.Value is { } v ? Write(w => WriteVector(w, v)) : null, o.Error);
            }
        }
        else if (_classifier is not null)
        {
            await foreach (var o in _classifier.ClassifyFilesAsync(paths, 5, ct).ConfigureAwait(false))
            {
                yield return (o.Path, o.Value is { } v ? Write(w => WritePredictions(w, v)) : null, o.Error);
            }
        }
        else
        {
            await foreach (var o in _detector!.RunFilesAsync(paths, new DetectionOptions(), ct).ConfigureAwait(false))
            {
                yield return (o.Path, o.Value is { } v ? Write(w => ResultJson.WriteDetections(w, v)) : null, o.Error);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _extractor?.Dispose();
        _classifier?.Dispose();
        _detector?.Dispose();
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

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
