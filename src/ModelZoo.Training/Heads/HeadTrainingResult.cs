namespace ModelZoo.Training.Heads;

/// <summary>What <see cref="HeadTrainer.Train"/> produces.</summary>
/// <param name="Head">The trained head, with the weights of <paramref name="BestEpoch"/>.</param>
/// <param name="History">Per-step and per-epoch records.</param>
/// <param name="BestEpoch">1-based epoch whose weights <paramref name="Head"/> holds: lowest validation loss, or lowest training loss without validation.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the planned epochs.</param>
public sealed record HeadTrainingResult(ClassificationHead Head, TrainingHistory History, int BestEpoch, bool StoppedEarly);
