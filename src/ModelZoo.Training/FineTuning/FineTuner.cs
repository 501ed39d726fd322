using ModelZoo.Onnx;
using ModelZoo.Store;
using ModelZoo.Training.Features;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.FineTuning;

/// <summary>
/// Fine-tuning without libtorch: the backbone is split at one tensor (<see cref="TransferOptions.Unfreeze"/> or
/// <see cref="TransferOptions.UnfreezeFrom"/>); the frozen prefix runs once per image and its activations are cached
/// in the <see cref="FeatureCache"/> under a key that names the split tensor; a head is first trained on the frozen
/// features, then the suffix and the head are trained together. Gradients come from a backward graph generated as
/// ONNX (one rule per op, see <c>Gradients/</c>) and run by ONNX Runtime in the same session as the forward pass; the
/// optimizer (Adam or SGD, weight decay, cosine schedule, gradient clipping) runs in C#. The exported model is the
/// base architecture with the new weights written into the original initializers, plus the head and softmax.
/// The run is a <see cref="TrainingRun"/> with the fine-tuning stage (<see cref="SuffixStage"/>), the same run
/// <see cref="TransferLearner.TrainAsync"/> makes for options that unfreeze layers.
/// </summary>
public sealed class FineTuner
{
    private readonly TrainingRun _run;

    /// <summary>Creates a fine-tuner; see <see cref="TransferLearner(ModelStore, ModelCatalog, ZooSettings)"/>.</summary>
    public FineTuner(ModelStore store, ModelCatalog catalog, ZooSettings settings) => _run = TrainingRun.Create(store, catalog, settings);

    /// <summary>Where <paramref name="model"/> would be split (cut below its classifier first) for the given setting, without training.</summary>
    /// <param name="model">A classifier or feature extractor.</param>
    /// <param name="unfreeze">Trailing weight layers to train, or null when <paramref name="from"/> is given.</param>
    /// <param name="from">Tensor to train from, or null.</param>
    /// <exception cref="ZooUsageException">Neither or both given, or they give no valid split.</exception>
    /// <exception cref="ZooException">An op behind the split has no gradient rule (<c>finetune-op-unsupported</c>).</exception>
    public static UnfreezePlan Plan(OnnxModel model, int? unfreeze, string? from)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (unfreeze is null == from is null)
        {
            throw new ZooUsageException("pass exactly one of TransferOptions.Unfreeze and TransferOptions.UnfreezeFrom.");
        }

        return SuffixGraph.Split(HeadlessCutter.Cut(model), unfreeze, from).Plan;
    }

    /// <summary>Runs the whole pipeline; see the class summary. <paramref name="options"/> must set Unfreeze or UnfreezeFrom.</summary>
    /// <exception cref="ZooUsageException">A setting is invalid or the base model cannot be fine-tuned as asked.</exception>
    /// <exception cref="DatasetException">The data is missing or has too few classes or images.</exception>
    /// <exception cref="ZooException">An op behind the split has no gradient rule (<c>finetune-op-unsupported</c>).</exception>
    public async Task<FineTuneResult> TrainAsync(TransferOptions options, IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.FineTunes)
        {
            throw new ZooUsageException("fine-tuning needs TransferOptions.Unfreeze or TransferOptions.UnfreezeFrom; without them use TransferLearner.TrainAsync.");
        }

        var stage = new SuffixStage();
        var transfer = await _run.RunAsync(stage, options, progress, ct).ConfigureAwait(false);
        return stage.ResultOf(transfer);
    }
}
