using System.Numerics.Tensors;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Runtime;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>
/// Classifies images with an <see cref="ModelTask.ImageClassification"/> model: preprocessing from the card,
/// softmax when the card says the output is logits, labels from the card. Thread-safe.
/// </summary>
public sealed class ImageClassifier : ITaskPipeline<IReadOnlyList<Prediction>, ClassificationOptions>
{
    private readonly ModelSession _session;
    private readonly ImageBatchRunner _runner;
    private readonly ImageTaskOptions _options;
    private readonly IReadOnlyList<string> _labels;
    private readonly int _labelOffset;

    private ImageClassifier(LocalModel model, ModelSession session, ImageTaskOptions options)
    {
        Card = model.Card;
        _session = session;
        _options = options;
        _runner = new ImageBatchRunner(session, FeatureExtractor.RequireInput(model.Card), model.Card.Output?.Name, model.Card);
        var labels = model.Card.Labels ?? throw new ZooException("card-labels-missing",
            $"the card of '{model.Card.Handle}' names no labels; add a 'labels' section to the card.");
        _labels = LabelSets.Load(labels, model.PathOf);
        _labelOffset = labels.Offset;
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>Class names in output order (after the card's label offset).</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Opens a classifier over a pulled model. The classifier owns the session it creates.</summary>
    public static ImageClassifier Open(LocalModel model, ImageTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Card.Task != ModelTask.ImageClassification)
        {
            throw new ZooUsageException(
                $"'{model.Card.Handle}' is a {FeatureExtractor.TaskName(model.Card.Task)} model, not an image-classification model; pick one with `zoo list --task image-classification`.");
        }
        options ??= new ImageTaskOptions();
        return TaskSessions.OpenOwned(model, options.Session, session => new ImageClassifier(model, session, options));
    }

    /// <summary>Pulls the model if needed (verified) and opens a classifier over it.</summary>
    public static async Task<ImageClassifier> OpenAsync(ModelCard card, ModelStore store, ImageTaskOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>The <paramref name="top"/> most likely classes of one image.</summary>
    public IReadOnlyList<Prediction> Classify(RgbImage image, int top = 5) => TopK(_runner.Run([image])[0], top);

    /// <summary>The <paramref name="top"/> most likely classes of each image, in order.</summary>
    public IReadOnlyList<IReadOnlyList<Prediction>> Classify(IReadOnlyList<RgbImage> images, int top = 5) =>
        _runner.Run(images).Select(row => TopK(row, top)).ToList();

    /// <summary>Classifies image files, decoding on worker threads while the previous batch runs; in input order.</summary>
    public async IAsyncEnumerable<ImageOutcome<IReadOnlyList<Prediction>>> ClassifyFilesAsync(
        IReadOnlyList<string> paths, int top = 5, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var outcome in _runner.RunFilesAsync(paths, _options.BatchSize, _options.Decode, ct).ConfigureAwait(false))
        {
            yield return new ImageOutcome<IReadOnlyList<Prediction>>(outcome.Path,
                outcome.Value is null ? null : TopK(outcome.Value, top), outcome.Width, outcome.Height, outcome.Transform, outcome.Error);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Prediction> Run(RgbImage image, ClassificationOptions options) => Run([image], [options])[0];

    /// <summary>The classes of each image in one inference call, each image with its own options.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public IReadOnlyList<IReadOnlyList<Prediction>> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<ClassificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (images.Count != options.Count)
        {
            throw new ArgumentException($"{images.Count} images came with {options.Count} options; pass one options record per image.", nameof(options));
        }
        foreach (var o in options)
        {
            o.Validate();
        }
        var rows = _runner.Run(images);
        return rows.Select((row, i) => Select(row, options[i])).ToList();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImageOutcome<IReadOnlyList<Prediction>>> RunFilesAsync(IReadOnlyList<string> paths,
        ClassificationOptions options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await foreach (var outcome in _runner.RunFilesAsync(paths, _options.BatchSize, _options.Decode, ct).ConfigureAwait(false))
        {
            yield return new ImageOutcome<IReadOnlyList<Prediction>>(outcome.Path,
                outcome.Value is null ? null : Select(outcome.Value, options), outcome.Width, outcome.Height, outcome.Transform, outcome.Error);
        }
    }

    /// <inheritdoc />
    public StageTimings Timings => StageTimings.Zero;

    private IReadOnlyList<Prediction> Select(float[] row, ClassificationOptions options)
    {
        var top = TopK(row, options.Top);
        return options.MinScore > 0f ? top.Where(p => p.Score >= options.MinScore).ToList() : top;
    }

    /// <summary>Turns one raw output row into probabilities as the card's output kind says.</summary>
    public float[] Probabilities(float[] row)
    {
        var probabilities = new float[row.Length];
        switch (Card.Output?.Kind ?? OutputKind.Logits)
        {
            case OutputKind.Logits:
                TensorPrimitives.SoftMax(row, probabilities);
                break;
            case OutputKind.Sigmoid:
                TensorPrimitives.Sigmoid(row, probabilities);
                break;
            default:
                row.CopyTo(probabilities, 0);
                break;
        }
        return probabilities;
    }

    private List<Prediction> TopK(float[] row, int top)
    {
        if (top < 1)
        {
            throw new ZooUsageException($"--top must be at least 1, got {top}.");
        }
        var probabilities = Probabilities(row);
        return Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i]).ThenBy(i => i)
            .Take(top)
            .Select(i => new Prediction(LabelOf(i), i, probabilities[i]))
            .ToList();
    }

    private string LabelOf(int index)
    {
        var i = index - _labelOffset;
        return i >= 0 && i < _labels.Count ? _labels[i] : index < _labelOffset ? "background" : $"class {index}";
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
