namespace ModelZoo.Training.Transfer;

/// <summary>What a stage trains on.</summary>
/// <param name="Base">The dataset and base model.</param>
/// <param name="Options">The run's options.</param>
/// <param name="Data">The extracted rows and the split.</param>
/// <param name="Progress">Where training progress goes.</param>
/// <param name="Timings">The run's timings, in order.</param>
internal sealed record StageInput(TrainingBase Base, TransferOptions Options, ExtractedData Data, IProgress<TransferProgress>? Progress, List<TimingEntry> Timings)
{
    /// <summary>Number of classes.</summary>
    public int ClassCount => Base.Dataset.Classes.Count;
}
