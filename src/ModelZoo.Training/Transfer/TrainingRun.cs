using System.Diagnostics;
using ModelZoo.Store;
using ModelZoo.Training.Features;
using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// One training run with a pluggable <see cref="ITrainingStage"/>: the dataset and base model
/// (<see cref="TrainingBase"/>), the stage's frozen part run once per image and view through the
/// <see cref="FeatureCache"/> (unreadable images skipped and reported), the split, the stage's training, the evaluation
/// of what it returns on the validation images, and the artifacts published and registered by
/// <see cref="RunPublisher"/>. Whatever the stage, a run rewraps a dataset that became too small after skipping, drops a
/// retrained model's stale copy from both stores, and reports the same timings.
/// </summary>
internal sealed class TrainingRun(ModelStore store, ModelCatalog catalog, ZooSettings settings)
{
    /// <summary>A run reading the base model from <paramref name="store"/>, caching features and registering under <paramref name="settings"/>' home.</summary>
    public static TrainingRun Create(ModelStore store, ModelCatalog catalog, ZooSettings settings) => new(
        store ?? throw new ArgumentNullException(nameof(store)),
        catalog ?? throw new ArgumentNullException(nameof(catalog)),
        settings ?? throw new ArgumentNullException(nameof(settings)));

    /// <summary>Runs <paramref name="stage"/> end to end; <paramref name="options"/> are validated by the caller.</summary>
    public async Task<TransferResult> RunAsync(ITrainingStage stage, TransferOptions options, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var timings = new List<TimingEntry>();
        progress?.Report(new TransferProgress(TransferStage.Preparing, 0, 0));
        var baseModel = await TrainingBase.ResolveAsync(options, catalog, store, stage.Purpose, stage.CheckBase, ct).ConfigureAwait(false);
        var frozen = stage.Prepare(baseModel, options);
        timings.Add(new TimingEntry(frozen.PrepareTiming, clock.Elapsed));

        var data = await ExtractAsync(baseModel, frozen, options, progress, timings, ct).ConfigureAwait(false);
        var trained = await stage.TrainAsync(new StageInput(baseModel, options, data, progress, timings), ct).ConfigureAwait(false);
        var classes = baseModel.Dataset.Classes;
        var (confusion, validationLoss, predictions) = Score(data.Split.Validation, trained.ValidationProbabilities, classes);
        var metrics = new TransferMetrics(trained.TrainAccuracy, confusion?.Accuracy, validationLoss, trained.Training.History.Epochs.Count,
            trained.Training.BestEpoch, data.Split.Train.Count + data.Split.Validation.Count, data.Skipped.Count, data.Hits, data.Misses,
            trained.HeadSolver, trained.L2, trained.L2Selection, trained.FineTuning);

        progress?.Report(new TransferProgress(TransferStage.Artifacts, 0, 0));
        clock.Restart();
        var run = new TransferRun(options, baseModel.Handle, baseModel.BaseCard, baseModel.Spec, trained.Exported, baseModel.Preprocess,
            baseModel.Dataset, data.Split, trained.Head, trained.Training, metrics, confusion, predictions, data.Skipped, timings, data.Stages);
        var outDir = Path.GetFullPath(options.OutputDirectory);
        var (card, cardPath) = RunPublisher.Publish(run, outDir, catalog, settings, DropStored, () =>
        {
            timings.Add(new TimingEntry("artifacts (model, card, plots, report)", clock.Elapsed));
            timings.Add(new TimingEntry("total", total.Elapsed));
            return timings;
        });
        progress?.Report(new TransferProgress(TransferStage.Done, 1, 1));
        return new TransferResult(card, cardPath, outDir, classes, trained.Head, trained.Training.History, metrics, confusion,
            data.Split.Validation.Select(i => i.Path).ToList(), data.Skipped, timings);
    }

    /// <summary>
    /// A retrained model keeps its handle and version: drops the stored copy of the old one, from the store the base model
    /// came from and from the one of the run's home, so that neither (both trust a present file of the right size) can
    /// hand it out again.
    /// </summary>
    internal void DropStored(ModelCard stored)
    {
        store.Remove(stored);
        if (!PathsEqual(store.Settings.Home, settings.Home))
        {
            using var own = new ModelStore(settings);
            own.Remove(stored);
        }
    }

    /// <summary>The frozen part's output for every image, the split of the usable ones, and the augmented training views.</summary>
    private async Task<ExtractedData> ExtractAsync(TrainingBase baseModel, FrozenPart frozen, TransferOptions options,
        IProgress<TransferProgress>? progress, List<TimingEntry> timings, CancellationToken ct)
    {
        var dataset = baseModel.Dataset;
        var key = FeatureKeys.Backbone(baseModel.BaseCard.ModelFile.Sha256, frozen.CacheTensor, baseModel.PreprocessSha);
        var totals = new List<FeatureExtractionRun>();
        var augmented = new Dictionary<string, IReadOnlyList<float[]>>(StringComparer.Ordinal);
        Dictionary<string, float[]> identity;
        List<SkippedImage> skipped;
        DatasetSplit split;
        using (var extractor = BackboneFeatureExtractor.Open(frozen.Model, baseModel.Spec, baseModel.Preprocess, key, new FeatureCache(settings),
                   new ImageTaskOptions { BatchSize = options.ExtractionBatchSize, Session = options.Session, ScaledDecode = options.ScaledDecode }))
        {
            var paths = dataset.Images.Select(i => i.Path).ToList();
            var first = await extractor.ExtractAsync(paths, null, Relay(progress, TransferStage.Features, paths.Count), ct).ConfigureAwait(false);
            totals.Add(first);
            skipped = first.Images.Where(i => !i.Succeeded).Select(i => new SkippedImage(i.Path, i.Error?.Message ?? "no " + frozen.Name + " output")).ToList();
            foreach (var s in skipped)
            {
                progress?.Report(new TransferProgress(TransferStage.Features, paths.Count, paths.Count, Message: $"skipped {s.Path}: {s.Reason}"));
            }

            identity = first.Images.Where(i => i.Succeeded).ToDictionary(i => i.Path, i => i.Features![0], StringComparer.Ordinal);
            RunPublisher.CheckFeatures(baseModel.BaseCard.Handle, identity);
            split = Usable(dataset, skipped).Split(options.ValidationSplit, options.Seed);
            if (options.Augment != AugmentationLevel.None)
            {
                var trainPaths = split.Train.Select(i => i.Path).ToList();
                var second = await extractor.ExtractAsync(trainPaths, sha => AugmentationView.Plan(options.Augment, options.AugmentViews, options.Seed, sha),
                    Relay(progress, TransferStage.Augmenting, trainPaths.Count), ct).ConfigureAwait(false);
                totals.Add(second);
                // An image that decoded a moment ago and fails now is trained on without its views.
                foreach (var image in second.Images.Where(i => i.Succeeded))
                {
                    augmented[image.Path] = image.Features!;
                }
            }

            timings.Add(new TimingEntry("open " + frozen.Name + " session", extractor.SessionOpenTime));
        }

        timings.Add(new TimingEntry("read + hash + cache lookup", Sum(totals, t => t.Reading)));
        timings.Add(new TimingEntry("decode + augment + preprocess (overlaps " + frozen.Name + ")", Sum(totals, t => t.Decoding)));
        timings.Add(new TimingEntry(frozen.Name, Sum(totals, t => t.Backbone)));
        var stages = totals.Aggregate(ModelZoo.Tasks.StageTimings.Zero, (sum, t) => t.Stages is not { } s ? sum
            : new ModelZoo.Tasks.StageTimings(sum.Images + s.Images, sum.Decode + s.Decode, sum.Preprocess + s.Preprocess, sum.Inference + s.Inference, sum.Postprocess + s.Postprocess));
        return new ExtractedData(identity, augmented, skipped, split, totals.Sum(t => t.Hits), totals.Sum(t => t.Misses), stages);
    }

    /// <summary>The dataset without the skipped images; a dataset that becomes too small says that images were skipped.</summary>
    /// <exception cref="DatasetException">Too few classes or images are left.</exception>
    internal static ImageDataset Usable(ImageDataset dataset, IReadOnlyList<SkippedImage> skipped)
    {
        if (skipped.Count == 0)
        {
            return dataset;
        }

        try
        {
            return dataset.Without(skipped.Select(s => s.Path));
        }
        catch (DatasetException ex)
        {
            throw new DatasetException(ex.Code, string.Create(CultureInfo.InvariantCulture,
                $"{skipped.Count} unreadable image(s) were skipped, and now {ex.Message}"), ex);
        }
    }

    /// <summary>Confusion matrix, mean cross-entropy and one prediction per validation image from their probabilities.</summary>
    private static (ConfusionMatrix? Confusion, double? Loss, List<PredictionThumbnails.Item> Predictions) Score(
        IReadOnlyList<LabeledImage> images, float[]? probabilities, IReadOnlyList<string> classes)
    {
        var predictions = new List<PredictionThumbnails.Item>();
        if (probabilities is null || images.Count == 0)
        {
            return (null, null, predictions);
        }

        var confusion = new ConfusionMatrix(classes.Count);
        double loss = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes.Count, classes.Count);
            var predicted = 0;
            for (var c = 1; c < row.Length; c++)
            {
                if (row[c] > row[predicted])
                {
                    predicted = c;
                }
            }

            var label = images[i].ClassIndex;
            confusion.Add(label, predicted);
            loss -= Math.Log(Math.Max(row[label], 1e-12f));
            predictions.Add(new PredictionThumbnails.Item(images[i].Path, classes[label], classes[predicted], row[predicted]));
        }

        return (confusion, loss / images.Count, predictions);
    }

    private static TimeSpan Sum(List<FeatureExtractionRun> runs, Func<FeatureExtractionRun, TimeSpan> part) =>
        runs.Aggregate(TimeSpan.Zero, (sum, run) => sum + part(run));

    private static ProgressRelay? Relay(IProgress<TransferProgress>? progress, TransferStage stage, int total) =>
        progress is null ? null : new ProgressRelay(n => progress.Report(new TransferProgress(stage, n, total)));

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private sealed class ProgressRelay(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
