using System.Numerics.Tensors;

namespace ModelZoo.Tasks;

/// <summary>
/// Classifies images with an <see cref="ModelTask.ImageClassification"/> model: preprocessing from the card,
/// softmax when the card says the output is logits, labels from the card. Thread-safe.
/// </summary>
public sealed class ImageClassifier : ImagePipeline<ImageClassifier, IReadOnlyList<Prediction>, ClassificationOptions>, IImagePipelineFactory<ImageClassifier>
{
    private readonly ImageBatchRunner _runner;
    private readonly IReadOnlyList<string> _labels;
    private readonly int _labelOffset;

    private ImageClassifier(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _runner = new ImageBatchRunner(session, FeatureExtractor.RequireInput(model.Card), model.Card.Output?.Name, model.Card);
        var labels = model.Card.Labels ?? throw ZooErrors.CardLabelsMissing.Raise(
            $"the card of '{model.Card.Handle}' names no labels; add a 'labels' section to the card.");
        _labels = LabelSets.Load(labels, model.PathOf);
        _labelOffset = labels.Offset;
    }

    static ModelTask IImagePipelineFactory<ImageClassifier>.PipelineTask => ModelTask.ImageClassification;

    static void IImagePipelineFactory<ImageClassifier>.CheckCard(ModelCard card)
    {
    }

    static ImageClassifier IImagePipelineFactory<ImageClassifier>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);

    /// <summary>Class names in output order (after the card's label offset).</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The <paramref name="top"/> most likely classes of one image.</summary>
    public IReadOnlyList<Prediction> Classify(RgbImage image, int top = 5) => Run(image, new ClassificationOptions { Top = top });

    /// <summary>The <paramref name="top"/> most likely classes of each image, in order.</summary>
    public IReadOnlyList<IReadOnlyList<Prediction>> Classify(IReadOnlyList<RgbImage> images, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Run(images, Enumerable.Repeat(new ClassificationOptions { Top = top }, images.Count).ToList());
    }

    /// <summary>Classifies image files, decoding on worker threads while the previous batch runs; in input order.</summary>
    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Prediction>>> ClassifyFilesAsync(IReadOnlyList<string> paths, int top = 5,
        CancellationToken ct = default) =>
        RunFilesAsync(paths, new ClassificationOptions { Top = top }, ct);

    /// <summary>Turns one raw output row into probabilities as the card's output kind says.</summary>
    public float[] Probabilities(float[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
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

    private protected override int FileBatchSize => Options.BatchSize;

    private protected override void Validate(ClassificationOptions options) => options.Validate();

    private protected override PreparedImage Preprocess(RgbImage image) => _runner.Preprocess(image);

    private protected override Func<IReadOnlyList<IReadOnlyList<Prediction>>> Complete(IReadOnlyList<PreparedImage> batch,
        IReadOnlyList<ClassificationOptions> options) =>
        Rows(batch, options, _runner, Select);

    private IReadOnlyList<Prediction> Select(float[] row, ClassificationOptions options)
    {
        var probabilities = Probabilities(row);
        return Enumerable.Range(0, probabilities.Length)
            .OrderByDescending(i => probabilities[i]).ThenBy(i => i)
            .Take(options.Top)
            .Where(i => probabilities[i] >= options.MinScore)
            .Select(i => new Prediction(TaskGuard.LabelOf(_labels, _labelOffset, i), i, probabilities[i]))
            .ToList();
    }
}
