using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Transfer;

/// <summary>Runs an <see cref="ImageClassifier"/> over a labelled image set and scores it.</summary>
public static class ClassifierEvaluator
{
    /// <summary>
    /// Classifies every image of <paramref name="dataset"/> (decoding one batch ahead of inference) and builds the
    /// confusion matrix over the model's labels. Undecodable images are skipped and listed.
    /// </summary>
    /// <exception cref="ZooUsageException">A class of the data is not one of the model's labels.</exception>
    public static async Task<EvaluationResult> EvaluateAsync(ImageClassifier classifier, ImageDataset dataset,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(dataset);
        var labels = classifier.Labels;
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            indexOf.TryAdd(labels[i], i);
        }

        var unknown = dataset.Classes.Where(c => !indexOf.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new ZooUsageException(
                $"the data has class{(unknown.Count == 1 ? "" : "es")} {string.Join(", ", unknown.Take(5).Select(c => $"'{c}'"))} that '{classifier.Card.Handle}' does not know (its labels: {string.Join(", ", labels.Take(10))}{(labels.Count > 10 ? ", …" : "")}); name the class folders after the model's labels.");
        }

        var truth = dataset.Images.ToDictionary(i => i.Path, i => i.Label, StringComparer.Ordinal);
        var paths = dataset.Images.Select(i => i.Path).ToList();
        var confusion = new ConfusionMatrix(labels.Count);
        var images = new List<EvaluatedImage>(paths.Count);
        var skipped = new List<SkippedImage>();
        var done = 0;
        await foreach (var outcome in classifier.ClassifyFilesAsync(paths, 1, ct).ConfigureAwait(false))
        {
            if (outcome.Value is { Count: > 0 } predictions)
            {
                var top = predictions[0];
                var label = truth[outcome.Path];
                var offset = classifier.Card.Labels?.Offset ?? 0;
                var predicted = top.Index - offset;
                if (predicted < 0 || predicted >= labels.Count)
                {
                    skipped.Add(new SkippedImage(outcome.Path, $"the model's top class (output {top.Index}) has no label"));
                }
                else
                {
                    confusion.Add(indexOf[label], predicted);
                    images.Add(new EvaluatedImage(outcome.Path, label, labels[predicted], top.Score));
                }
            }
            else
            {
                skipped.Add(new SkippedImage(outcome.Path, outcome.Error?.Message ?? "no prediction"));
            }

            progress?.Report(++done);
        }

        return new EvaluationResult(classifier.Card.Handle, labels, confusion, images, skipped);
    }
}
