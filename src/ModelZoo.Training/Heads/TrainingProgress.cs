namespace ModelZoo.Training.Heads;

/// <summary>Reported by <see cref="HeadTrainer.Progress"/> after every epoch.</summary>
/// <param name="Epoch">1-based number of the epoch just finished.</param>
/// <param name="Epochs">Planned number of epochs.</param>
/// <param name="Step">Optimizer steps taken so far.</param>
/// <param name="TotalSteps">Planned number of optimizer steps.</param>
/// <param name="Record">The finished epoch's record.</param>
/// <param name="IsBest">Whether this epoch has the best monitored loss so far (validation loss, or training loss without validation).</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int TotalSteps, EpochRecord Record, bool IsBest);
