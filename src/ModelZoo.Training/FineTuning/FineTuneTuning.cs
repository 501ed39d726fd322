namespace ModelZoo.Training.FineTuning;

/// <summary>What the fine-tuning epochs did; <see cref="BestEpoch"/> 0 means the frozen start stayed best.</summary>
/// <param name="History">One step per batch, one epoch record per finished epoch.</param>
/// <param name="BestEpoch">The epoch whose weights the session holds afterwards (0: the frozen start).</param>
/// <param name="Best">Validation accuracy and loss of that epoch (training loss without a validation split).</param>
/// <param name="BestFineTunedAccuracy">Best validation accuracy of any fine-tuned epoch, or null.</param>
/// <param name="Backoffs">Diverging steps or epochs rolled back.</param>
/// <param name="Stopped">Whether too many back-offs ended the run early.</param>
/// <param name="EpochTimes">Wall time of each epoch's training steps.</param>
internal sealed record FineTuneTuning(TrainingHistory History, int BestEpoch, (double Accuracy, double Loss) Best, double? BestFineTunedAccuracy,
    int Backoffs, bool Stopped, List<TimeSpan> EpochTimes);
