namespace ModelZoo.Training.Transfer;

/// <summary>Headline numbers of a run (also written to <c>metrics.json</c>).</summary>
/// <param name="TrainAccuracy">Accuracy of the final head on the training images (unaugmented); for a solved head, of the
/// selection fit (training images only), like the validation figures.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation images; null without a validation split. For a solved head
/// this is the selection fit's (trained without the validation images), although the exported head is refit on all images.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation images; null without a validation split.</param>
/// <param name="Epochs">Epochs trained (fewer than asked when early stopping ended the run; 1 for a solved head).</param>
/// <param name="BestEpoch">The epoch whose weights the model keeps (lowest validation loss; the last epoch without
/// validation; 0 when fine-tuning fell back to the frozen head).</param>
/// <param name="Images">Images used (after skipping unreadable ones).</param>
/// <param name="Skipped">Images skipped as unreadable.</param>
/// <param name="CacheHits">Feature vectors read from the feature cache.</param>
/// <param name="CacheMisses">Feature vectors computed by the backbone.</param>
/// <param name="HeadSolver">How the head was trained: <c>lbfgs</c> (solved to the optimum) or <c>mini-batch</c>.</param>
/// <param name="L2">The L2 strength the solver chose (on the summed loss); null for mini-batch training.</param>
/// <param name="L2Selection">How the solver chose it (<c>validation</c>, <c>5-fold cross-validation</c>); null for mini-batch training.</param>
/// <param name="FineTuning">What fine-tuning did, or null when the backbone stayed frozen.</param>
public sealed record TransferMetrics(double TrainAccuracy, double? ValidationAccuracy, double? ValidationLoss, int Epochs, int BestEpoch,
    int Images, int Skipped, int CacheHits, int CacheMisses, string HeadSolver = "mini-batch", double? L2 = null, string? L2Selection = null,
    FineTuningOutcome? FineTuning = null);
