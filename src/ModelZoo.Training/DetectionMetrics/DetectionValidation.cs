namespace ModelZoo.Training.DetectionMetrics;

/// <summary>Runs a detector over a labelled set and scores it with <see cref="CocoDetectionMetric"/>.</summary>
public static class DetectionValidation
{
    /// <summary>The detection settings validation uses: every box down to score 0.001 (as COCO evaluations of YOLO
    /// models do, so the precision/recall curve runs to the model's full recall), at most 100 per image, the usual
    /// per-class suppression at IoU 0.45.</summary>
    public static DetectionOptions Options { get; } = new() { ScoreThreshold = 0.001f, MaxDetections = 100 };

    /// <summary>Detects on every image of <paramref name="dataset"/> and computes the metrics over its classes.</summary>
    /// <param name="detector">The detector.</param>
    /// <param name="dataset">The labelled images.</param>
    /// <param name="progress">Told after each image.</param>
    /// <param name="ct">Cancels between images.</param>
    /// <exception cref="ZooException">An image cannot be read (validation needs every labelled image).</exception>
    public static async Task<DetectionMetricsResult> RunAsync(ObjectDetector detector, DetectionDataset dataset, IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(dataset);
        var byPath = new Dictionary<string, IReadOnlyList<Detection>>(StringComparer.Ordinal);
        var done = 0;
        await foreach (var outcome in detector.RunFilesAsync(dataset.Images.Select(i => i.Path).ToList(), Options, ct).ConfigureAwait(false))
        {
            if (outcome.Error is { } error)
            {
                throw error;
            }
            byPath[outcome.Path] = outcome.Value ?? [];
            progress?.Report(++done);
        }
        return CocoDetectionMetric.Compute(dataset.Images.Select(i => i.Boxes).ToList(),
            dataset.Images.Select(i => byPath.TryGetValue(i.Path, out var d) ? d : []).ToList(), dataset.Classes);
    }
}
