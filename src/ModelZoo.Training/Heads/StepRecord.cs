namespace ModelZoo.Training.Heads;

/// <summary>One optimizer step (for <see cref="LinearHeadSolver"/>: one full-batch L-BFGS iteration).</summary>
/// <param name="Step">1-based global step number.</param>
/// <param name="Epoch">1-based epoch the step belongs to.</param>
/// <param name="Loss">Mini-batch training loss (with dropout, label smoothing and class weights); the full training loss for the solver.</param>
/// <param name="Accuracy">Mini-batch training accuracy; the full training accuracy for the solver.</param>
/// <param name="LearningRate">Learning rate used for this step (0 for the solver, which has none).</param>
/// <param name="ValLoss">Validation loss after the step, when it was measured (the solver measures it every iteration).</param>
/// <param name="ValAccuracy">Validation accuracy after the step, when it was measured.</param>
public sealed record StepRecord(int Step, int Epoch, float Loss, float Accuracy, float LearningRate, float? ValLoss = null, float? ValAccuracy = null);
