using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Training.Data;
using ModelZoo.Training.Features;
using ModelZoo.Training.FineTuning.Gradients;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Optimizers;
using ModelZoo.Training.Reports;
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
/// </summary>
public sealed class FineTuner
{
    private const int InferenceBatch = 32;
    private readonly ModelStore _store;
    private readonly ModelCatalog _catalog;
    private readonly ZooSettings _settings;

    /// <summary>Creates a fine-tuner; see <see cref="TransferLearner(ModelStore, ModelCatalog, ZooSettings)"/>.</summary>
    public FineTuner(ModelStore store, ModelCatalog catalog, ZooSettings settings)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

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
            throw new ZooUsageException("pass exactly one of --unfreeze N and --unfreeze-from TENSOR.");
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
            throw new ZooUsageException("fine-tuning needs --unfreeze N or --unfreeze-from TENSOR; without them use TransferLearner (plain zoo train).");
        }

        var total = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();
        var timings = new List<TimingEntry>();
        progress?.Report(new TransferProgress(TransferStage.Preparing, 0, 0));
        var (dataset, handle, baseCard, spec, backbone, preprocess, preprocessSha) =
            await TrainingBase.ResolveAsync(options, _catalog, _store, "fine-tuning", CheckFineTunable, ct).ConfigureAwait(false);

        var suffix = SuffixGraph.Split(backbone, options.Unfreeze, options.UnfreezeFrom, options.Session);
        var plan = suffix.Plan;
        var prefix = suffix.Prefix();
        var prefixKey = FeatureKeys.Backbone(baseCard.ModelFile.Sha256, "activations:" + plan.CutTensor, preprocessSha);
        timings.Add(new TimingEntry("prepare (load data, open, cut and split base model)", stage.Elapsed));

        // 1. Frozen prefix, once per image and view, through the cache.
        stage.Restart();
        var cache = new FeatureCache(_settings);
        Dictionary<string, float[]> identity;
        List<SkippedImage> skipped;
        DatasetSplit split;
        int hits = 0, misses = 0;
        var augmented = new Dictionary<string, IReadOnlyList<float[]>>(StringComparer.Ordinal);
        using (var extractor = BackboneFeatureExtractor.Open(prefix, spec, preprocess, prefixKey, cache,
                   new ImageTaskOptions { BatchSize = options.ExtractionBatchSize, Session = options.Session }))
        {
            var paths = dataset.Images.Select(i => i.Path).ToList();
            var first = await extractor.ExtractAsync(paths, null,
                progress is null ? null : new Relay<int>(n => progress.Report(new TransferProgress(TransferStage.Features, n, paths.Count))), ct).ConfigureAwait(false);
            hits += first.Hits;
            misses += first.Misses;
            skipped = first.Images.Where(i => !i.Succeeded).Select(i => new SkippedImage(i.Path, i.Error?.Message ?? "no activations")).ToList();
            identity = first.Images.Where(i => i.Succeeded).ToDictionary(i => i.Path, i => i.Features![0], StringComparer.Ordinal);
            var usable = skipped.Count > 0 ? dataset.Without(skipped.Select(s => s.Path)) : dataset;
            split = usable.Split(options.ValidationSplit, options.Seed);
            if (options.Augment != AugmentationLevel.None)
            {
                var trainPaths = split.Train.Select(i => i.Path).ToList();
                var second = await extractor.ExtractAsync(trainPaths,
                    sha => AugmentationView.Plan(options.Augment, options.AugmentViews, options.Seed, sha),
                    progress is null ? null : new Relay<int>(n => progress.Report(new TransferProgress(TransferStage.Augmenting, n, trainPaths.Count))), ct)
                    .ConfigureAwait(false);
                hits += second.Hits;
                misses += second.Misses;
                foreach (var image in second.Images.Where(i => i.Succeeded))
                {
                    augmented[image.Path] = image.Features!;
                }
            }
        }

        timings.Add(new TimingEntry("frozen prefix activations (cached)", stage.Elapsed));
        var classes = dataset.Classes;
        var train = Rows(split.Train, identity, augmented);
        var trainPlain = Rows(split.Train, identity, null);
        var validation = split.Validation.Count > 0 ? Rows(split.Validation, identity, null) : null;

        // 2. A head on the frozen suffix's features: the starting point, and the frozen baseline.
        stage.Restart();
        var headOptions = options.ToHeadTrainingOptions();
        ClassificationHead frozenHead;
        double frozenTrain;
        double? frozenValidation = null;
        using (var features = ModelSession.Open(suffix.BuildModel(null, training: false), options.Session with { DynamicBatch = false }))
        {
            var initial = suffix.InitialValues();
            var trainSet = Features(features, suffix, initial, train, classes.Count);
            var validationSet = validation is null ? null : Features(features, suffix, initial, validation, classes.Count);
            var trainer = new HeadTrainer(headOptions);
            frozenHead = await Task.Run(() => trainer.Train(trainSet, validationSet, ct).Head, ct).ConfigureAwait(false);
            frozenTrain = frozenHead.Evaluate(Features(features, suffix, initial, trainPlain, classes.Count)).Accuracy;
            frozenValidation = validationSet is null ? null : frozenHead.Evaluate(validationSet).Accuracy;
        }

        timings.Add(new TimingEntry("head on the frozen backbone", stage.Elapsed));

        // 3. Suffix + head together.
        stage.Restart();
        using var session = new FineTuneSession(suffix, frozenHead, options.Session);
        var (history, bestEpoch, epochTimes) = await Task.Run(() => FineTune(session, options, headOptions, train, validation, classes.Count, progress, ct), ct)
            .ConfigureAwait(false);
        timings.Add(new TimingEntry("fine-tuning (forward + backward in ONNX Runtime)", stage.Elapsed));

        var head = session.CurrentHead();
        var trainAccuracy = Evaluate(session, trainPlain, classes.Count).Confusion.Accuracy;
        ConfusionMatrix? confusion = null;
        double? validationLoss = null;
        var predictions = new List<PredictionThumbnails.Item>();
        if (validation is not null)
        {
            var (matrix, loss, probabilities) = Evaluate(session, validation, classes.Count);
            confusion = matrix;
            validationLoss = loss;
            for (var i = 0; i < validation.Count; i++)
            {
                var row = probabilities.AsSpan(i * classes.Count, classes.Count);
                var predicted = row.IndexOf(TensorMax(row));
                predictions.Add(new PredictionThumbnails.Item(split.Validation[i].Path, classes[validation.Labels[i]], classes[predicted], row[predicted]));
            }
        }

        var tuned = WithWeights(backbone, session);
        var metrics = new TransferMetrics(trainAccuracy, confusion?.Accuracy, validationLoss, history.Epochs.Count, bestEpoch,
            split.Train.Count + split.Validation.Count, skipped.Count, hits, misses);
        progress?.Report(new TransferProgress(TransferStage.Artifacts, 0, 0));
        stage.Restart();
        var run = new TransferRun(options, handle, baseCard, spec, tuned, preprocess, dataset, split, head,
            new HeadTrainingResult(head, history, bestEpoch, false), metrics, confusion, predictions, skipped, timings);
        var outDir = Path.GetFullPath(options.OutputDirectory);
        var (card, cardPath) = RunPublisher.Publish(run, outDir, _catalog, _settings, stored => _store.Remove(stored), () =>
        {
            timings.Add(new TimingEntry("artifacts (model, card, plots, report)", stage.Elapsed));
            timings.Add(new TimingEntry("total", total.Elapsed));
            return timings;
        });
        progress?.Report(new TransferProgress(TransferStage.Done, 1, 1));
        var result = new TransferResult(card, cardPath, outDir, classes, head, history, metrics, confusion,
            split.Validation.Select(i => i.Path).ToList(), skipped, timings);
        return new FineTuneResult(result, plan, frozenTrain, frozenValidation, epochTimes);
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

    private static (TrainingHistory History, int BestEpoch, List<TimeSpan> EpochTimes) FineTune(FineTuneSession session, TransferOptions options,
        HeadTrainingOptions o, ActivationRows train, ActivationRows? validation, int classCount, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var epochs = options.FineTuneEpochs ?? options.Epochs;
        var rate = options.FineTuneLearningRate ?? options.LearningRate / 10f;
        var batchSize = Math.Min(o.BatchSize, train.Count);
        var stepsPerEpoch = (train.Count + batchSize - 1) / batchSize;
        LearningRateSchedule schedule = o.CosineSchedule
            ? new CosineLearningRateSchedule(rate, stepsPerEpoch * epochs, o.WarmupSteps)
            : new ConstantLearningRateSchedule(rate, o.WarmupSteps);
        IOptimizer optimizer = o.Optimizer == OptimizerKind.Adam
            ? new AdamOptimizer(rate, weightDecay: o.WeightDecay)
            : new SgdOptimizer(rate, o.Momentum, o.WeightDecay, o.Nesterov);
        var classWeights = o.BalanceClasses ? HeadTrainer.BalancedClassWeights(train.Labels, train.Count, classCount) : [];
        var rng = new SplitMix64(unchecked((ulong)o.Seed * 0x9E3779B97F4A7C15UL) ^ 0xF1_7E_7u);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var history = new TrainingHistory();
        var epochTimes = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var best = double.PositiveInfinity;
        var bestEpoch = 0;
        float[][]? bestValues = null;
        var step = 0;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            rng.Shuffle(order);
            double lossSum = 0;
            var correct = 0;
            var lr = rate;
            for (var start = 0; start < train.Count; start += batchSize)
            {
                ct.ThrowIfCancellationRequested();
                var rows = order.AsSpan(start, Math.Min(batchSize, train.Count - start)).ToArray();
                var (activations, labels) = train.Gather(rows);
                var (targets, weights) = Targets(labels, classCount, o.LabelSmoothing, classWeights);
                lr = schedule.GetLearningRate(step);
                optimizer.LearningRate = lr;
                var logits = session.Step(activations, rows.Length, targets, weights);
                var loss = Losses.SoftmaxCrossEntropy(logits, labels, classCount, default, o.LabelSmoothing, classWeights);
                if (o.MaxGradientNorm is float maxNorm)
                {
                    GradientClipping.ClipByGlobalNorm(session.Parameters, maxNorm);
                }

                optimizer.Step(session.Parameters);
                var batchCorrect = CountCorrect(logits, labels, classCount);
                lossSum += (double)loss * rows.Length;
                correct += batchCorrect;
                history.Add(new StepRecord(step + 1, epoch, loss, (float)batchCorrect / rows.Length, lr));
                step++;
            }

            epochTimes.Add(epochClock.Elapsed);
            float? valLoss = null, valAccuracy = null;
            double score = lossSum / train.Count;
            if (validation is not null)
            {
                var (matrix, loss, _) = Evaluate(session, validation, classCount);
                valLoss = (float)loss;
                valAccuracy = (float)matrix.Accuracy;
                score = loss;
            }

            if (score < best)
            {
                best = score;
                bestEpoch = epoch;
                bestValues = session.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();
            }

            var record = new EpochRecord(epoch, (float)(lossSum / train.Count), (float)correct / train.Count, valLoss, valAccuracy, lr, clock.Elapsed);
            history.Add(record);
            progress?.Report(new TransferProgress(TransferStage.Training, epoch, epochs, record));
        }

        if (bestValues is not null)
        {
            for (var i = 0; i < bestValues.Length; i++)
            {
                bestValues[i].CopyTo(session.Parameters[i].Value, 0);
            }
        }

        return (history, bestEpoch, epochTimes);
    }

    private static (float[] Targets, float[] Weights) Targets(int[] labels, int classCount, float smoothing, float[] classWeights)
    {
        var targets = new float[labels.Length * classCount];
        var weights = new float[labels.Length];
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = targets.AsSpan(i * classCount, classCount);
            row.Fill(smoothing / classCount);
            row[labels[i]] += 1f - smoothing;
            weights[i] = classWeights.Length > 0 ? classWeights[labels[i]] : 1f;
            total += weights[i];
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = total > 0 ? (float)(weights[i] / total) : 0f;
        }

        return (targets, weights);
    }

    private static (ConfusionMatrix Confusion, double Loss, float[] Probabilities) Evaluate(FineTuneSession session, ActivationRows rows, int classCount)
    {
        var probabilities = new float[rows.Count * classCount];
        var confusion = new ConfusionMatrix(classCount);
        double loss = 0;
        for (var start = 0; start < rows.Count; start += InferenceBatch)
        {
            var index = Enumerable.Range(start, Math.Min(InferenceBatch, rows.Count - start)).ToArray();
            var (activations, labels) = rows.Gather(index);
            var logits = session.Logits(activations, index.Length);
            var chunk = probabilities.AsSpan(start * classCount, index.Length * classCount);
            Losses.Softmax(logits, classCount, chunk);
            for (var i = 0; i < index.Length; i++)
            {
                var row = chunk.Slice(i * classCount, classCount);
                confusion.Add(labels[i], row.IndexOf(TensorMax(row)));
                loss -= Math.Log(Math.Max(row[labels[i]], 1e-12f));
            }
        }

        return (confusion, loss / rows.Count, probabilities);
    }

    private static FeatureSet Features(ModelSession session, SuffixGraph suffix, float[][] values, ActivationRows rows, int classCount)
    {
        var size = suffix.Headless.FeatureSize;
        var features = new float[rows.Count * size];
        for (var start = 0; start < rows.Count; start += InferenceBatch)
        {
            var index = Enumerable.Range(start, Math.Min(InferenceBatch, rows.Count - start)).ToArray();
            var (activations, _) = rows.Gather(index);
            var inputs = new List<NamedTensor> { new(SuffixGraph.ActivationsInput, activations, [index.Length, .. suffix.Plan.ActivationShape]) };
            inputs.AddRange(suffix.Plan.Parameters.Select((p, i) => new NamedTensor(p.Name, values[i], [.. p.Dims])));
            session.Run(inputs)[0].AsFloats().CopyTo(features, start * size);
        }

        return new FeatureSet(features, rows.Labels, rows.Count, size, classCount);
    }

    private static int CountCorrect(float[] logits, int[] labels, int classCount)
    {
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = logits.AsSpan(i * classCount, classCount);
            correct += row.IndexOf(TensorMax(row)) == labels[i] ? 1 : 0;
        }

        return correct;
    }

    private static float TensorMax(ReadOnlySpan<float> row) => System.Numerics.Tensors.TensorPrimitives.Max(row);

    private static ActivationRows Rows(IReadOnlyList<LabeledImage> images, Dictionary<string, float[]> identity,
        Dictionary<string, IReadOnlyList<float[]>>? views)
    {
        var rows = new List<float[]>();
        var labels = new List<int>();
        foreach (var image in images)
        {
            rows.Add(identity[image.Path]);
            labels.Add(image.ClassIndex);
            if (views is not null && views.TryGetValue(image.Path, out var extra))
            {
                foreach (var v in extra)
                {
                    rows.Add(v);
                    labels.Add(image.ClassIndex);
                }
            }
        }

        return new ActivationRows(rows, [.. labels]);
    }

    /// <summary>Cached activations (one flat array per row) and their labels.</summary>
    private sealed record ActivationRows(List<float[]> Values, int[] Labels)
    {
        public int Count => Labels.Length;

        public (float[] Activations, int[] Labels) Gather(int[] index)
        {
            var size = Values[0].Length;
            var activations = new float[index.Length * size];
            var labels = new int[index.Length];
            for (var i = 0; i < index.Length; i++)
            {
                Values[index[i]].CopyTo(activations, i * size);
                labels[i] = Labels[index[i]];
            }

            return (activations, labels);
        }
    }

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static void CheckFineTunable(ModelCard card)
    {
        if (!card.FineTunable)
        {
            throw new ZooUsageException($"the card of '{card.Handle}' says it may not be fine-tuned; train a frozen head instead (leave out --unfreeze).");
        }

        if (card.License.Restrictions.Any(r => r.Contains("fine-tun", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ZooUsageException($"the licence of '{card.Handle}' restricts fine-tuning ({string.Join("; ", card.License.Restrictions)}); train a frozen head instead (leave out --unfreeze).");
        }
    }
}
