using ModelZoo.Training.FineTuning;
using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Transfer;

/// <summary>What a transfer-learning run produced.</summary>
/// <param name="Card">The registered card of the trained model.</param>
/// <param name="CardPath">Where the card was registered in the user catalog.</param>
/// <param name="OutputDirectory">The folder holding the artifacts.</param>
/// <param name="Labels">Class names in output order.</param>
/// <param name="Head">The trained head (maps backbone features to logits).</param>
/// <param name="History">Per-step and per-epoch history.</param>
/// <param name="Metrics">Headline numbers.</param>
/// <param name="Confusion">Validation confusion matrix (rows: truth); null without a validation split.</param>
/// <param name="ValidationImages">The validation image paths, in the order of the confusion matrix's samples.</param>
/// <param name="Skipped">Images that could not be used, with the reason.</param>
/// <param name="Timings">Time per stage.</param>
public sealed record TransferResult(
    ModelCard Card,
    string CardPath,
    string OutputDirectory,
    IReadOnlyList<string> Labels,
    ClassificationHead Head,
    TrainingHistory History,
    TransferMetrics Metrics,
    ConfusionMatrix? Confusion,
    IReadOnlyList<string> ValidationImages,
    IReadOnlyList<SkippedImage> Skipped,
    IReadOnlyList<TimingEntry> Timings)
{
    /// <summary>What fine-tuning did, when the run fine-tuned (<see cref="TransferOptions.FineTunes"/>); null for a frozen
    /// backbone. Its <see cref="FineTuneResult.Transfer"/> is this result without this property.</summary>
    public FineTuneResult? FineTuning { get; init; }

    /// <summary>The exported ONNX classifier.</summary>
    public string ModelPath => Path.Combine(OutputDirectory, TransferArtifacts.ModelFile);

    /// <summary>The HTML report.</summary>
    public string ReportPath => Path.Combine(OutputDirectory, TransferArtifacts.ReportFile);
}
