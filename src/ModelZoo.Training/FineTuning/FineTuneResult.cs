using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.FineTuning;

/// <summary>What <see cref="FineTuner.TrainAsync"/> produced.</summary>
/// <param name="Transfer">The run's model, card, head, history and metrics, as a transfer-learning run reports them
/// (its history and metrics are those of the fine-tuning stage).</param>
/// <param name="Plan">Where the backbone was split and what was trained.</param>
/// <param name="FrozenTrainAccuracy">Training accuracy of the head trained on the frozen backbone (the starting point).</param>
/// <param name="FrozenValidationAccuracy">Validation accuracy of that head, or null without a validation split.</param>
/// <param name="EpochTimes">Wall time of each fine-tuning epoch (training steps only, validation excluded).</param>
public sealed record FineTuneResult(TransferResult Transfer, UnfreezePlan Plan, double FrozenTrainAccuracy, double? FrozenValidationAccuracy,
    IReadOnlyList<TimeSpan> EpochTimes);
