namespace ModelZoo.Training.Transfer;

/// <summary>How fine-tuning compared with the frozen head it started from, and which one was exported.</summary>
/// <param name="Kept">Whether the fine-tuned weights were exported; false: fine-tuning did not beat the frozen head on
/// validation (or diverged), so the frozen backbone and its head were exported instead.</param>
/// <param name="FrozenValidationAccuracy">Validation accuracy of the frozen head (the starting point).</param>
/// <param name="FineTunedValidationAccuracy">Best validation accuracy fine-tuning reached, or null when no epoch finished.</param>
/// <param name="Backoffs">Times a diverging step (loss spike or non-finite loss) rolled the weights back and halved the learning rate.</param>
/// <param name="Note">One sentence for the summary and the report.</param>
public sealed record FineTuningOutcome(bool Kept, double? FrozenValidationAccuracy, double? FineTunedValidationAccuracy, int Backoffs, string Note);
