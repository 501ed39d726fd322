namespace ModelZoo.Training.Heads;

/// <summary>Summary of one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean of the epoch's mini-batch losses, weighted by batch size.</param>
/// <param name="TrainAccuracy">Fraction of training rows classified correctly during the epoch (with dropout active).</param>
/// <param name="ValLoss">Validation loss after the epoch (same label smoothing and class weights as training), or null without a validation set.</param>
/// <param name="ValAccuracy">Validation accuracy after the epoch, or null.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Elapsed">Wall time since training started, at the end of this epoch.</param>
public sealed record EpochRecord(int Epoch, float TrainLoss, float TrainAccuracy, float? ValLoss, float? ValAccuracy, float LearningRate, TimeSpan Elapsed);
