namespace ModelZoo.Training.Transfer;

/// <summary>
/// The part of a <see cref="TrainingRun"/> that differs between kinds of training: which part of the base model runs
/// once per image (and is cached), and what is trained on its outputs. The run owns everything else: data, base model,
/// extraction, evaluation of what the stage returns, artifacts and registration.
/// </summary>
internal interface ITrainingStage
{
    /// <summary>What the run is called in messages about the base model, e.g. <c>transfer learning</c>.</summary>
    string Purpose { get; }

    /// <summary>Checks of the base card beyond the run's own (an image classifier or feature extractor).</summary>
    void CheckBase(ModelCard card);

    /// <summary>The frozen part of the base model whose outputs the run extracts and caches, from the cut base model.</summary>
    FrozenPart Prepare(TrainingBase baseModel, TransferOptions options);

    /// <summary>Trains on the extracted rows; adds its own timing entries to <paramref name="input"/>.</summary>
    Task<StageOutcome> TrainAsync(StageInput input, CancellationToken ct);
}
