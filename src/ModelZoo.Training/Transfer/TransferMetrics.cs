namespace ModelZoo.Training.Transfer;

/// <summary>Headline numbers of a run (also written to <c>metrics.json</c>).</summary>
/// <param name="TrainAccuracy">Accuracy of the final head on the training images (unaugmented).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation images; null without a validation split.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation images; null without a validation split.</param>
/// <param name="Epochs">Epochs trained (fewer than asked when early stopping ended the run).</param>
/// <param name="BestEpoch">The epoch whose weights the model keeps (lowest validation loss; the last epoch without validation).</param>
/// <param name="Images">Images used (after skipping unreadable ones).</param>
/// <param name="Skipped">Images skipped as unreadable.</param>
/// <param name="CacheHits">Feature vectors read from the feature cache.</param>
/// <param name="CacheMisses">Feature vectors computed by the backbone.</param>
public sealed record TransferMetrics(double TrainAccuracy, double? ValidationAccuracy, double? ValidationLoss, int Epochs, int BestEpoch,
    int Images, int Skipped, int CacheHits, int CacheMisses);
