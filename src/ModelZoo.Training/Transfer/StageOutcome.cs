using ModelZoo.Onnx;

namespace ModelZoo.Training.Transfer;

/// <summary>What a stage trained, and its scores, which the run turns into metrics, predictions and artifacts.</summary>
/// <param name="Exported">The backbone exported in front of the head (the base one, or with fine-tuned weights).</param>
/// <param name="Head">The exported head.</param>
/// <param name="Training">History and best epoch of the training reported.</param>
/// <param name="TrainAccuracy">Accuracy of the reported model on the unaugmented training images.</param>
/// <param name="ValidationProbabilities">Class probabilities of the reported model for each validation image, in split order; null without a validation split.</param>
/// <param name="HeadSolver"><c>lbfgs</c> or <c>mini-batch</c>.</param>
/// <param name="L2">The solver's L2 strength, when it is reported.</param>
/// <param name="L2Selection">How the solver chose it, when it is reported.</param>
/// <param name="FineTuning">What fine-tuning did, or null for a frozen backbone.</param>
internal sealed record StageOutcome(HeadlessModel Exported, ClassificationHead Head, HeadTrainingResult Training, double TrainAccuracy,
    float[]? ValidationProbabilities, string HeadSolver, double? L2 = null, string? L2Selection = null, FineTuningOutcome? FineTuning = null);
