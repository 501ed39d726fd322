using ModelZoo.Onnx;
using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Transfer;

/// <summary>Everything a finished run hands to <see cref="TransferArtifactWriter"/>.</summary>
internal sealed record TransferRun(
    TransferOptions Options,
    string Handle,
    ModelCard BaseCard,
    InputSpec BaseInput,
    HeadlessModel Backbone,
    OnnxModel? PreprocessGraph,
    ImageDataset Dataset,
    DatasetSplit Split,
    ClassificationHead Head,
    HeadTrainingResult Training,
    TransferMetrics Metrics,
    ConfusionMatrix? Confusion,
    IReadOnlyList<PredictionThumbnails.Item> ValidationPredictions,
    IReadOnlyList<SkippedImage> Skipped,
    List<TimingEntry> Timings,
    ModelZoo.Tasks.StageTimings? ExtractionStages = null)
{
    public IReadOnlyList<string> Classes => Dataset.Classes;

    public string DataPath => Path.GetFullPath(Options.Data);
}
