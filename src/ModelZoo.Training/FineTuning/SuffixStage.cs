using System.Diagnostics;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Training.FineTuning.Gradients;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.FineTuning;

/// <summary>
/// The fine-tuning stage of a <see cref="TrainingRun"/>: the backbone is split at one tensor; the frozen prefix is what
/// the run extracts and caches; a head is first fitted on the frozen suffix's features (the starting point, and the
/// frozen baseline), then suffix and head are trained together (<see cref="FineTuneLoop"/>). When no fine-tuned epoch
/// beats the frozen head on validation, the frozen backbone and its head are exported. One instance per run: after the
/// run it holds what <see cref="ResultOf"/> reports.
/// </summary>
internal sealed class SuffixStage : ITrainingStage
{
    private SuffixGraph? _suffix;
    private double _frozenTrain;
    private double? _frozenValidation;
    private List<TimeSpan> _epochTimes = [];
    private FineTuningOutcome? _outcome;

    /// <inheritdoc />
    public string Purpose => "fine-tuning";

    /// <inheritdoc />
    public void CheckBase(ModelCard card)
    {
        if (!card.FineTunable)
        {
            throw new ZooUsageException($"the card of '{card.Handle}' says it may not be fine-tuned; train a frozen head instead (leave TransferOptions.Unfreeze null).");
        }

        if (card.License.Restrictions.Any(r => r.Contains("fine-tun", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ZooUsageException($"the licence of '{card.Handle}' restricts fine-tuning ({string.Join("; ", card.License.Restrictions)}); train a frozen head instead (leave TransferOptions.Unfreeze null).");
        }
    }

    /// <inheritdoc />
    public FrozenPart Prepare(TrainingBase baseModel, TransferOptions options)
    {
        _suffix = SuffixGraph.Split(baseModel.Backbone, options.Unfreeze, options.UnfreezeFrom, options.Session);
        return new FrozenPart(_suffix.Prefix(), "activations:" + _suffix.Plan.CutTensor, "frozen prefix", "prepare (load data, open, cut and split base model)");
    }

    /// <inheritdoc />
    public async Task<StageOutcome> TrainAsync(StageInput input, CancellationToken ct)
    {
        var suffix = _suffix ?? throw new InvalidOperationException("Prepare runs before TrainAsync.");
        var (options, split, classCount) = (input.Options, input.Data.Split, input.ClassCount);
        var train = ActivationRows.Of(input.Data, split.Train, withViews: true);
        var trainPlain = ActivationRows.Of(input.Data, split.Train, withViews: false);
        var validation = split.Validation.Count > 0 ? ActivationRows.Of(input.Data, split.Validation, withViews: false) : null;

        var clock = Stopwatch.StartNew();
        var start = await FrozenStartAsync(input, suffix, train, trainPlain, validation, ct).ConfigureAwait(false);
        _frozenTrain = start.TrainAccuracy;
        _frozenValidation = start.Validation?.Accuracy;
        input.Timings.Add(new TimingEntry("head on the frozen backbone", clock.Elapsed));

        clock.Restart();
        using var session = new FineTuneSession(suffix, start.StartHead, options.Session);
        var loop = new FineTuneLoop(session, options, options.ToHeadTrainingOptions(), train, validation, classCount, start.Validation, start.StartLoss, input.Progress);
        var tuning = await Task.Run(() => loop.Run(ct), ct).ConfigureAwait(false);
        _epochTimes = tuning.EpochTimes;
        input.Timings.Add(new TimingEntry("fine-tuning (forward + backward in ONNX Runtime)", clock.Elapsed));

        var kept = tuning.BestEpoch > 0;
        _outcome = new FineTuningOutcome(kept, _frozenValidation, tuning.BestFineTunedAccuracy, tuning.Backoffs, Note(kept, validation is not null, start.Validation, tuning));
        var training = new HeadTrainingResult(kept ? session.CurrentHead() : start.FrozenHead, tuning.History, tuning.BestEpoch, false);
        var solver = options.SolvesHead ? "lbfgs" : "mini-batch";
        if (kept)
        {
            return new StageOutcome(WithWeights(input.Base.Backbone, session), training.Head, training, trainPlain.Score(session, classCount).Confusion.Accuracy,
                validation?.Score(session, classCount).Probabilities, solver, FineTuning: _outcome);
        }

        // Fine-tuning did not beat the frozen head on validation: ship the frozen backbone and its head.
        float[]? probabilities = null;
        if (start.ValidationSet is { } set)
        {
            probabilities = new float[set.Count * classCount];
            start.StartHead.PredictProbabilities(set.Features, set.Count, probabilities);
        }

        return new StageOutcome(input.Base.Backbone, training.Head, training, _frozenTrain, probabilities, solver, FineTuning: _outcome);
    }

    /// <summary>The run's result as <see cref="FineTuner.TrainAsync"/> returns it, from this stage's record of the run.</summary>
    public FineTuneResult ResultOf(TransferResult transfer) =>
        new(transfer, _suffix!.Plan, _frozenTrain, _frozenValidation, _epochTimes, _outcome!);

    /// <summary>What fine-tuning starts from: a head on the frozen suffix's features, and its scores.</summary>
    private sealed record FrozenStart(ClassificationHead StartHead, ClassificationHead FrozenHead, double TrainAccuracy, double StartLoss,
        FeatureSet? ValidationSet, (double Accuracy, double Loss)? Validation);

    private static async Task<FrozenStart> FrozenStartAsync(StageInput input, SuffixGraph suffix, ActivationRows train, ActivationRows trainPlain,
        ActivationRows? validation, CancellationToken ct)
    {
        var classCount = input.ClassCount;
        using var features = ModelSession.Open(suffix.BuildModel(null, training: false), input.Options.Session with { DynamicBatch = false });
        var initial = suffix.InitialValues();
        var trainSet = Features(features, suffix, initial, train, classCount);
        var validationSet = validation is null ? null : Features(features, suffix, initial, validation, classCount);
        // Fine-tuning starts from the selection fit (it never saw the validation images, so the validation comparison
        // stays fair); the frozen fallback exports the head refit on every image, as zoo train does.
        var fit = await HeadStage.FitAsync(input.Options, trainSet, validationSet, input.Data.TrainGroups(), null, ct).ConfigureAwait(false);
        var startHead = fit.Scored;
        var plainSet = Features(features, suffix, initial, trainPlain, classCount);
        var frozen = validationSet is null ? ((double Accuracy, double Loss)?)null
            : (startHead.Evaluate(validationSet).Accuracy, MeanLoss(startHead, validationSet));
        return new FrozenStart(startHead, fit.Head, startHead.Evaluate(plainSet).Accuracy, MeanLoss(startHead, plainSet), validationSet, frozen);
    }

    private static string Note(bool kept, bool hasValidation, (double Accuracy, double Loss)? frozen, FineTuneTuning tuning)
    {
        var backoffs = tuning.Backoffs == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $" ({tuning.Backoffs} diverging step(s) rolled back, learning rate halved each time{(tuning.Stopped ? "; stopped early" : "")})");
        if (!hasValidation)
        {
            return kept ? "fine-tuned weights exported (no validation split to compare with the frozen head)" + backoffs
                : "fine-tuning diverged; the frozen backbone and its head were exported" + backoffs;
        }

        return kept
            ? tuning.Best.Accuracy > frozen!.Value.Accuracy
                ? string.Create(CultureInfo.InvariantCulture, $"fine-tuning improved validation accuracy from {frozen.Value.Accuracy:P1} (frozen head) to {tuning.Best.Accuracy:P1}; fine-tuned weights (epoch {tuning.BestEpoch}) exported{backoffs}")
                : string.Create(CultureInfo.InvariantCulture, $"fine-tuning matched the frozen head's validation accuracy ({frozen.Value.Accuracy:P1}) with a lower validation loss ({tuning.Best.Loss:0.0000} vs {frozen.Value.Loss:0.0000}); fine-tuned weights (epoch {tuning.BestEpoch}) exported{backoffs}")
            : string.Create(CultureInfo.InvariantCulture, $"fine-tuning did not beat the frozen head on validation ({(tuning.BestFineTunedAccuracy is { } b ? b.ToString("P1", CultureInfo.InvariantCulture) : "no finished epoch")} vs {frozen!.Value.Accuracy:P1}); the frozen backbone and its head were exported{backoffs}");
    }

    private static double MeanLoss(ClassificationHead head, FeatureSet set)
    {
        var probabilities = new float[set.Count * set.ClassCount];
        head.PredictProbabilities(set.Features, set.Count, probabilities);
        double loss = 0;
        for (var i = 0; i < set.Count; i++)
        {
            loss -= Math.Log(Math.Max(probabilities[(i * set.ClassCount) + set.Labels[i]], 1e-12f));
        }

        return loss / set.Count;
    }

    /// <summary>A copy of the headless backbone whose trained initializers hold the session's current values (same names).</summary>
    private static HeadlessModel WithWeights(HeadlessModel backbone, FineTuneSession session)
    {
        var proto = backbone.Model.Proto.Clone();
        var byName = proto.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var p in session.Parameters.Where(p => byName.ContainsKey(p.Name)))
        {
            var old = byName[p.Name];
            var replacement = GraphEmitter.FloatTensor(p.Name, p.Value, [.. old.Dims]);
            old.FloatData.Clear();
            old.RawData = replacement.RawData;
        }

        return backbone with { Model = OnnxModel.FromProto(proto) };
    }

    private static FeatureSet Features(ModelSession session, SuffixGraph suffix, float[][] values, ActivationRows rows, int classCount)
    {
        var size = suffix.Headless.FeatureSize;
        var features = new float[rows.Count * size];
        for (var start = 0; start < rows.Count; start += ActivationRows.InferenceBatch)
        {
            var index = Enumerable.Range(start, Math.Min(ActivationRows.InferenceBatch, rows.Count - start)).ToArray();
            var (activations, _) = rows.Gather(index);
            var inputs = new List<NamedTensor> { new(SuffixGraph.ActivationsInput, activations, [index.Length, .. suffix.Plan.ActivationShape]) };
            inputs.AddRange(suffix.Plan.Parameters.Select((p, i) => new NamedTensor(p.Name, values[i], [.. p.Dims])));
            session.Run(inputs)[0].AsFloats().CopyTo(features, start * size);
        }

        return new FeatureSet(features, rows.Labels, rows.Count, size, classCount);
    }
}
