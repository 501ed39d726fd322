namespace ModelZoo.Training.Reports;

/// <summary>What the training data looked like.</summary>
/// <param name="Source">The dataset folder or CSV file.</param>
/// <param name="Images">Usable images (after skipping).</param>
/// <param name="TrainImages">Images used for training.</param>
/// <param name="ValidationImages">Images held out for validation.</param>
/// <param name="PerClass">Usable images per class, in class order.</param>
/// <param name="Skipped">Images that could not be used.</param>
public sealed record DatasetStats(
    string Source,
    int Images,
    int TrainImages,
    int ValidationImages,
    IReadOnlyDictionary<string, int> PerClass,
    IReadOnlyList<SkippedImage> Skipped);
