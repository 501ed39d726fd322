using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.FineTuning;

/// <summary>What <see cref="FineTuner.TrainAsync"/> produced.</summary>
/// <param name="Transfer">The run's model, card, head, history and metrics, as a transfer-learning run reports them
/// (its history is that of the fine-tuning stage; its model and metrics are the fine-tuned ones, or the frozen head's
/// when fine-tuning did not beat it on validation).</param>
/// <param name="Plan">Where the backbone was split and what was trained.</param>
/// <param name="FrozenTrainAccuracy">Training accuracy of the head trained on the frozen backbone (the starting point).</param>
/// <param name="FrozenValidationAccuracy">Validation accuracy of that head, or null without a validation split.</param>
/// <param name="EpochTimes">Wall time of each fine-tuning epoch (training steps only, validation excluded).</param>
/// <param name="Outcome">Whether the fine-tuned weights were kept, and why.</param>
public sealed record FineTuneResult(TransferResult Transfer, UnfreezePlan Plan, double FrozenTrainAccuracy, double? FrozenValidationAccuracy,
    IReadOnlyList<TimeSpan> EpochTimes, FineTuningOutcome Outcome);
