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
        ClassificationHead startHead, frozenHead;
        FeatureSet? frozenValidationSet;
        HeadTrainingResult frozenTraining;
        double frozenTrain, startLoss;
        using (var features = ModelSession.Open(suffix.BuildModel(null, training: false), options.Session with { DynamicBatch = false }))
        {
            var initial = suffix.InitialValues();
            var trainSet = Features(features, suffix, initial, train, classes.Count);
            frozenValidationSet = validation is null ? null : Features(features, suffix, initial, validation, classes.Count);
            var validationSet = frozenValidationSet;
            if (options.SolvesHead)
            {
                // Fine-tuning starts from the selection fit (it never saw the validation images, so the validation
                // comparison stays fair); the frozen fallback exports the head refit on every image, as zoo train does.
                var solver = new LinearHeadSolver(options.ToSolverOptions());
                var groups = TransferLearner.Groups(split.Train, augmented);
                var solution = await Task.Run(() => solver.Solve(trainSet, validationSet, groups, ct), ct).ConfigureAwait(false);
                startHead = solution.SelectionHead;
                frozenHead = solution.Head;
                frozenTraining = solution.ToTrainingResult();
            }
            else
            {
                var trainer = new HeadTrainer(options.ToHeadTrainingOptions());
                frozenTraining = await Task.Run(() => trainer.Train(trainSet, validationSet, ct), ct).ConfigureAwait(false);
                startHead = frozenTraining.Head;
                frozenHead = startHead;
            }

            var plainSet = Features(features, suffix, initial, trainPlain, classes.Count);
            frozenTrain = startHead.Evaluate(plainSet).Accuracy;
            startLoss = MeanLoss(startHead, plainSet);
        }

        var frozen = frozenValidationSet is null ? ((double Accuracy, double Loss)?)null
            : (startHead.Evaluate(frozenValidationSet).Accuracy, MeanLoss(startHead, frozenValidationSet));
        double? frozenValidation = frozen?.Accuracy;
        timings.Add(new TimingEntry("head on the frozen backbone", stage.Elapsed));

        // 3. Suffix + head together, keeping the best epoch by validation, the frozen start included (epoch 0).
        stage.Restart();
        using var session = new FineTuneSession(suffix, startHead, options.Session);
        var tuning = await Task.Run(() => FineTune(session, options, options.ToHeadTrainingOptions(), train, validation, classes.Count, frozen, startLoss, progress, ct), ct)
            .ConfigureAwait(false);
        var history = tuning.History;
        var epochTimes = tuning.EpochTimes;
        timings.Add(new TimingEntry("fine-tuning (forward + backward in ONNX Runtime)", stage.Elapsed));

        var kept = tuning.BestEpoch > 0;
        var outcome = new FineTuningOutcome(kept, frozenValidation, tuning.BestFineTunedAccuracy, tuning.Backoffs, Note(kept, validation is not null, frozen, tuning));
        ClassificationHead head;
        double trainAccuracy;
        ConfusionMatrix? confusion = null;
        double? validationLoss = null;
        var predictions = new List<PredictionThumbnails.Item>();
        HeadlessModel exported;
        if (kept)
        {
            head = session.CurrentHead();
            trainAccuracy = Evaluate(session, trainPlain, classes.Count).Confusion.Accuracy;
            if (validation is not null)
            {
                var (matrix, loss, probabilities) = Evaluate(session, validation, classes.Count);
                confusion = matrix;
                validationLoss = loss;
                AddPredictions(predictions, split.Validation, validation.Labels, probabilities, classes);
            }

            exported = WithWeights(backbone, session);
        }
        else
        {
            // Fine-tuning did not beat the frozen head on validation: ship the frozen backbone and its head.
            head = frozenHead;
            trainAccuracy = frozenTrain;
            if (frozenValidationSet is not null)
            {
                confusion = startHead.Evaluate(frozenValidationSet);
                validationLoss = frozen!.Value.Loss;
                var probabilities = new float[frozenValidationSet.Count * classes.Count];
                startHead.PredictProbabilities(frozenValidationSet.Features, frozenValidationSet.Count, probabilities);
                AddPredictions(predictions, split.Validation, frozenValidationSet.Labels, probabilities, classes);
            }

            exported = backbone;
        }

        var metrics = new TransferMetrics(trainAccuracy, confusion?.Accuracy, validationLoss, history.Epochs.Count, tuning.BestEpoch,
            split.Train.Count + split.Validation.Count, skipped.Count, hits, misses,
            options.SolvesHead ? "lbfgs" : "mini-batch", null, null, outcome);
        progress?.Report(new TransferProgress(TransferStage.Artifacts, 0, 0));
        stage.Restart();
        var run = new TransferRun(options, handle, baseCard, spec, exported, preprocess, dataset, split, head,
            new HeadTrainingResult(head, history, tuning.BestEpoch, false), metrics, confusion, predictions, skipped, timings);
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
        return new FineTuneResult(result, plan, frozenTrain, frozenValidation, epochTimes, outcome);
    }

    private static string Note(bool kept, bool hasValidation, (double Accuracy, double Loss)? frozen, Tuning tuning)
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

    private static void AddPredictions(List<PredictionThumbnails.Item> predictions, IReadOnlyList<LabeledImage> images, int[] labels, float[] probabilities, IReadOnlyList<string> classes)
    {
        for (var i = 0; i < images.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes.Count, classes.Count);
            var predicted = row.IndexOf(TensorMax(row));
            predictions.Add(new PredictionThumbnails.Item(images[i].Path, classes[labels[i]], classes[predicted], row[predicted]));
        }
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

    /// <summary>What the fine-tuning loop did; <see cref="BestEpoch"/> 0 means the frozen start stayed best.</summary>
    private sealed record Tuning(TrainingHistory History, int BestEpoch, (double Accuracy, double Loss) Best, double? BestFineTunedAccuracy, int Backoffs, bool Stopped, List<TimeSpan> EpochTimes);

    private const int MaxBackoffs = 3;

    private static Tuning FineTune(FineTuneSession session, TransferOptions options, HeadTrainingOptions o, ActivationRows train, ActivationRows? validation,
        int classCount, (double Accuracy, double Loss)? frozen, double startLoss, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var epochs = options.FineTuneEpochs ?? options.Epochs ?? 10;
        var rate = options.FineTuneLearningRate ?? (options.LearningRate ?? new HeadTrainingOptions().LearningRate) / 10f;
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

        // A batch loss this far above where training started (or above twice the loss of guessing) is a divergence,
        // not noise: roll back to the last good weights and halve the learning rate.
        var spike = Math.Max(2 * Math.Log(classCount), 4 * startLoss) + 0.5;
        float[][] Snapshot() => session.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();
        void Restore(float[][] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i].CopyTo(session.Parameters[i].Value, 0);
            }
        }

        var lastGood = Snapshot();
        // Ranked by validation accuracy, then validation loss (training loss without a validation split).
        (double Accuracy, double Loss) best = frozen ?? (double.NegativeInfinity, double.PositiveInfinity);
        var bestEpoch = 0;
        float[][]? bestValues = null;
        double? bestTuned = null;
        var backoffs = 0;
        var scale = 1f;
        var stopped = false;
        var step = 0;
        for (var epoch = 1; epoch <= epochs && !stopped; epoch++)
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
                lr = schedule.GetLearningRate(step) * scale;
                optimizer.LearningRate = lr;
                var logits = session.Step(activations, rows.Length, targets, weights);
                var loss = Losses.SoftmaxCrossEntropy(logits, labels, classCount, default, o.LabelSmoothing, classWeights);
                var batchCorrect = CountCorrect(logits, labels, classCount);
                history.Add(new StepRecord(step + 1, epoch, loss, (float)batchCorrect / rows.Length, lr));
                step++;
                if (!float.IsFinite(loss) || loss > spike)
                {
                    Restore(lastGood);
                    optimizer.Reset();
                    scale *= 0.5f;
                    if (++backoffs > MaxBackoffs)
                    {
                        stopped = true;
                        break;
                    }

                    continue;
                }

                if (o.MaxGradientNorm is float maxNorm)
                {
                    GradientClipping.ClipByGlobalNorm(session.Parameters, maxNorm);
                }

                optimizer.Step(session.Parameters);
                lossSum += (double)loss * rows.Length;
                correct += batchCorrect;
            }

            epochTimes.Add(epochClock.Elapsed);
            if (stopped)
            {
                // Diverged for good: the weights are back at the last good epoch, which was already ranked.
                break;
            }

            float? valLoss = null, valAccuracy = null;
            (double Accuracy, double Loss) score = (0, lossSum / train.Count);
            if (validation is not null)
            {
                var (matrix, loss, _) = Evaluate(session, validation, classCount);
                valLoss = (float)loss;
                valAccuracy = (float)matrix.Accuracy;
                score = (matrix.Accuracy, loss);
            }

            var record = new EpochRecord(epoch, (float)(lossSum / train.Count), (float)correct / train.Count, valLoss, valAccuracy, lr, clock.Elapsed);
            history.Add(record);
            progress?.Report(new TransferProgress(TransferStage.Training, epoch, epochs, record));
            if (!double.IsFinite(score.Loss))
            {
                Restore(lastGood);
                optimizer.Reset();
                scale *= 0.5f;
                stopped = ++backoffs > MaxBackoffs;
                continue;
            }

            lastGood = Snapshot();
            if (validation is not null)
            {
                bestTuned = Math.Max(bestTuned ?? 0, score.Accuracy);
            }

            // On equal accuracy a lower loss wins, by more than the rounding between the ONNX Runtime and C# evaluations.
            if (score.Accuracy > best.Accuracy || (score.Accuracy == best.Accuracy && score.Loss < best.Loss - 1e-5))
            {
                best = score;
                bestEpoch = epoch;
                bestValues = lastGood;
            }
        }

        if (bestValues is not null)
        {
            Restore(bestValues);
        }

        return new Tuning(history, bestEpoch, best, bestTuned, backoffs, stopped, epochTimes);
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
