using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Training.Features;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// Transfer learning end to end: base model from the catalog (pulled if needed) cut below its classifier, dataset split
/// per class, backbone features through the <see cref="FeatureCache"/>, a new head trained on them, metrics on the
/// validation images, and one portable ONNX classifier with its card, labels, history, plots and HTML report in the
/// output folder, registered in the user catalog so that <c>zoo classify</c> can run it. The run is a
/// <see cref="TrainingRun"/> with the frozen-backbone stage (<see cref="HeadStage"/>) or, when the options unfreeze
/// layers, the fine-tuning stage (<see cref="FineTuning.SuffixStage"/>).
/// </summary>
public sealed class TransferLearner
{
    private readonly TrainingRun _run;

    /// <summary>Creates a learner. The base model is read from <paramref name="store"/>; features are cached and the
    /// trained model registered under <paramref name="settings"/>' home.</summary>
    public TransferLearner(ModelStore store, ModelCatalog catalog, ZooSettings settings) => _run = TrainingRun.Create(store, catalog, settings);

    /// <summary>The handle a run registers its model under when <see cref="TransferOptions.Name"/> is not given:
    /// <c>local/&lt;data folder or CSV name&gt;</c>, lower-cased, other characters replaced by '-'.</summary>
    public static string DefaultName(string data) => RunHandle.DefaultName(data);

    /// <summary>
    /// Refuses a handle of a built-in card, and, when <see cref="TransferOptions.Overwrite"/> is false, a run that would
    /// replace a user card of the same handle trained into another output folder. Cheap: call it before pulling anything.
    /// </summary>
    /// <exception cref="ZooUsageException">The handle is taken.</exception>
    public static void CheckHandle(TransferOptions options, ModelCatalog catalog) => RunHandle.Check(options, catalog);

    /// <summary>Runs the whole pipeline; see the class summary. With <see cref="TransferOptions.Unfreeze"/> or
    /// <see cref="TransferOptions.UnfreezeFrom"/> set it fine-tunes instead (suffix and head, as
    /// <see cref="FineTuning.FineTuner"/> does), and <see cref="TransferResult.FineTuning"/> says what fine-tuning did.
    /// This is the one place that picks the training stage.</summary>
    /// <exception cref="ZooUsageException">A setting is invalid or the base model cannot be used for transfer learning.</exception>
    /// <exception cref="ExecutionProviderException"><see cref="TransferOptions.Session"/> asks for a device this machine cannot use.</exception>
    /// <exception cref="DatasetException">The data is missing or has too few classes or images (also after skipping unreadable images).</exception>
    public async Task<TransferResult> TrainAsync(TransferOptions options, IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Cached features may leave no model to run, but a device the caller asked for and cannot have is an error all the same.
        ModelSession.RequireProvider(options.Session);
        if (options.FineTunes)
        {
            var stage = new FineTuning.SuffixStage();
            var tuned = stage.ResultOf(await _run.RunAsync(stage, options, progress, ct).ConfigureAwait(false));
            return tuned.Transfer with { FineTuning = tuned };
        }

        return await _run.RunAsync(new HeadStage(), options, progress, ct).ConfigureAwait(false);
    }
}
