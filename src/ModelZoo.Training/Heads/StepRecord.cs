namespace ModelZoo.Training.Heads;

/// <summary>One optimizer step.</summary>
/// <param name="Step">1-based global step number.</param>
/// <param name="Epoch">1-based epoch the step belongs to.</param>
/// <param name="Loss">Mini-batch training loss (with dropout, label smoothing and class weights).</param>
/// <param name="Accuracy">Mini-batch training accuracy.</param>
/// <param name="LearningRate">Learning rate used for this step.</param>
public sealed record StepRecord(int Step, int Epoch, float Loss, float Accuracy, float LearningRate);
