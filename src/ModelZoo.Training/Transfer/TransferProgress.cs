namespace ModelZoo.Training.Transfer;

/// <summary>A progress event of <see cref="TransferLearner.TrainAsync"/>.</summary>
/// <param name="Stage">The stage running.</param>
/// <param name="Done">Items finished in this stage (images, or epochs while training).</param>
/// <param name="Total">Items in this stage (0 when it has no count).</param>
/// <param name="Epoch">The epoch just finished, while training.</param>
/// <param name="Message">A note for the user (e.g. a skipped image), or null.</param>
public sealed record TransferProgress(TransferStage Stage, int Done, int Total, EpochRecord? Epoch = null, string? Message = null);
