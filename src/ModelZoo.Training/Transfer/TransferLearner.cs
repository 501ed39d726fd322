using System.Diagnostics;
using System.Globalization;
using System.Text;
using ModelZoo.Catalog;
using ModelZoo.Onnx;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Training.Data;
using ModelZoo.Training.Features;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Reports;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// Transfer learning end to end: base model from the catalog (pulled if needed) cut below its classifier, dataset split
/// per class, backbone features through the <see cref="FeatureCache"/>, a new head trained on them, metrics on the
/// validation images, and one portable ONNX classifier with its card, labels, history, plots and HTML report in the
/// output folder, registered in the user catalog so that <c>zoo classify</c> can run it.
/// </summary>
public sealed class TransferLearner
{
    private readonly ModelStore _store;
    private readonly ModelCatalog _catalog;
    private readonly ZooSettings _settings;

    /// <summary>Creates a learner. The base model is read from <paramref name="store"/>; features are cached and the
    /// trained model registered under <paramref name="settings"/>' home.</summary>
    public TransferLearner(ModelStore store, ModelCatalog catalog, ZooSettings settings)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    /// <summary>The handle a run registers its model under when <see cref="TransferOptions.Name"/> is not given:
    /// <c>local/&lt;data folder or CSV name&gt;</c>, lower-cased, other characters replaced by '-'.</summary>
    public static string DefaultName(string data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(data);
        var full = Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var name = File.Exists(full) ? Path.GetFileNameWithoutExtension(full) : Path.GetFileName(full);
        var b = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            b.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' ? c : '-');
        }

        var segment = b.ToString().Trim('.', '_', '-');
        return "local/" + (segment.Length == 0 ? "dataset" : segment);
    }

    /// <summary>
    /// Refuses a handle of a built-in card, and, when <see cref="TransferOptions.Overwrite"/> is false, a run that would
    /// replace a user card of the same handle trained into another output folder. Cheap: call it before pulling anything.
    /// </summary>
    /// <exception cref="ZooUsageException">The handle is taken.</exception>
    public static void CheckHandle(TransferOptions options, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        var handle = options.Name ?? DefaultName(options.Data);
        ModelCatalog.FileNameOf(handle);
        if (catalog.IsBuiltin(handle))
        {
            throw new ZooUsageException($"'{handle}' is a built-in model handle; pass another --name, e.g. local/{handle.Split('/')[^1]}.");
        }
        if (options.Overwrite || !catalog.TryGet(handle, out var existing))
        {
            return;
        }
        var ownModel = "file:" + Path.Combine(Path.GetFullPath(options.OutputDirectory), TransferArtifacts.ModelFile);
        if (existing.Files.Any(f => f.Role == "model" && string.Equals(f.Source, ownModel,
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
        {
            return; // retraining into the same folder replaces the files that card describes
        }
        throw new ZooUsageException(
            $"a user model '{handle}' already exists ({catalog.OriginOf(handle)}), trained into another folder; pass --force to replace it, or choose another --name.");
    }

    /// <summary>Runs the whole pipeline; see the class summary. With <see cref="TransferOptions.Unfreeze"/> or
    /// <see cref="TransferOptions.UnfreezeFrom"/> set it fine-tunes instead (<see cref="FineTuning.FineTuner"/>).</summary>
    /// <exception cref="ZooUsageException">A setting is invalid or the base model cannot be used for transfer learning.</exception>
    /// <exception cref="DatasetException">The data is missing or has too few classes or images (also after skipping unreadable images).</exception>
    public async Task<TransferResult> TrainAsync(TransferOptions options, IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.FineTunes)
        {
            var tuned = await new FineTuning.FineTuner(_store, _catalog, _settings).TrainAsync(options, progress, ct).ConfigureAwait(false);
            return tuned.Transfer;
        }

        var total = Stopwatch.StartNew();
        var timings = new List<TimingEntry>();
        var stage = Stopwatch.StartNew();
        progress?.Report(new TransferProgress(TransferStage.Preparing, 0, 0));

        var (dataset, handle, baseCard, spec, backbone, preprocess, preprocessSha) =
            await TrainingBase.ResolveAsync(options, _catalog, _store, "transfer learning", null, ct).ConfigureAwait(false);

        var backboneKey = FeatureKeys.Backbone(baseCard.ModelFile.Sha256, backbone.FeatureTensor, preprocessSha);
        timings.Add(new TimingEntry("prepare (load data, open and cut base model)", stage.Elapsed));

        var cache = new FeatureCache(_settings);
        var extraction = new ExtractionTotals();
        Dictionary<string, float[]> identity;
        List<SkippedImage> skipped;
        DatasetSplit split;
        var augmented = new Dictionary<string, IReadOnlyList<float[]>>(StringComparer.Ordinal);
        using (var extractor = BackboneFeatureExtractor.Open(backbone, spec, preprocess, backboneKey, cache,
                   new ImageTaskOptions { BatchSize = options.ExtractionBatchSize, Session = options.Session }))
        {
            var paths = dataset.Images.Select(i => i.Path).ToList();
            var first = await extractor.ExtractAsync(paths, null,
                progress is null ? null : new Relay<int>(n => progress.Report(new TransferProgress(TransferStage.Features, n, paths.Count))), ct).ConfigureAwait(false);
            extraction.Add(first);
            skipped = first.Images.Where(i => !i.Succeeded)
                .Select(i => new SkippedImage(i.Path, i.Error?.Message ?? "no features"))
                .ToList();
            foreach (var s in skipped)
            {
                progress?.Report(new TransferProgress(TransferStage.Features, paths.Count, paths.Count, Message: $"skipped {s.Path}: {s.Reason}"));
            }

            identity = first.Images.Where(i => i.Succeeded).ToDictionary(i => i.Path, i => i.Features![0], StringComparer.Ordinal);
            RunPublisher.CheckFeatures(baseCard.Handle, identity);
            var usable = dataset;
            if (skipped.Count > 0)
            {
                try
                {
                    usable = dataset.Without(skipped.Select(s => s.Path));
                }
                catch (DatasetException ex)
                {
                    throw new DatasetException(ex.Code, string.Create(CultureInfo.InvariantCulture,
                        $"{skipped.Count} unreadable image(s) were skipped, and now {ex.Message}"), ex);
                }
            }

            split = usable.Split(options.ValidationSplit, options.Seed);
            if (options.Augment != AugmentationLevel.None)
            {
                var trainPaths = split.Train.Select(i => i.Path).ToList();
                var second = await extractor.ExtractAsync(trainPaths,
                    sha => AugmentationView.Plan(options.Augment, options.AugmentViews, options.Seed, sha),
                    progress is null ? null : new Relay<int>(n => progress.Report(new TransferProgress(TransferStage.Augmenting, n, trainPaths.Count))), ct)
                    .ConfigureAwait(false);
                extraction.Add(second);
                foreach (var image in second.Images)
                {
                    // An image that decoded a moment ago and fails now is trained on without its views.
                    if (image.Succeeded)
                    {
                        augmented[image.Path] = image.Features!;
                    }
                }
            }
            timings.Add(new TimingEntry("open backbone session", extractor.SessionOpenTime));
        }

        timings.Add(new TimingEntry("read + hash + cache lookup", extraction.Reading));
        timings.Add(new TimingEntry("decode + augment + preprocess (overlaps backbone)", extraction.Decoding));
        timings.Add(new TimingEntry("backbone", extraction.Backbone));

        var classes = dataset.Classes;
        var dimension = backbone.FeatureSize;
        var trainSet = BuildSet(split.Train, identity, augmented, dimension, classes.Count);
        var trainPlain = BuildSet(split.Train, identity, null, dimension, classes.Count);
        var validationSet = split.Validation.Count > 0 ? BuildSet(split.Validation, identity, null, dimension, classes.Count) : null;

        stage.Restart();
        HeadTrainingResult trained;
        ClassificationHead head;
        // The head whose figures are reported: the solver's selection fit never saw the validation images, whereas the
        // exported head is refit on all of them.
        ClassificationHead scored;
        LinearHeadSolution? solution = null;
        if (options.SolvesHead)
        {
            var solver = new LinearHeadSolver(options.ToSolverOptions());
            var groups = Groups(split.Train, augmented);
            solution = await Task.Run(() => solver.Solve(trainSet, validationSet, groups, ct), ct).ConfigureAwait(false);
            trained = solution.ToTrainingResult();
            head = solution.Head;
            scored = solution.SelectionHead;
            progress?.Report(new TransferProgress(TransferStage.Training, 1, 1, solution.History.Epochs[^1]));
        }
        else
        {
            var trainer = new HeadTrainer(options.ToHeadTrainingOptions());
            if (progress is not null)
            {
                trainer.Progress += p => progress.Report(new TransferProgress(TransferStage.Training, p.Epoch, p.Epochs, p.Record));
            }

            trained = await Task.Run(() => trainer.Train(trainSet, validationSet, ct), ct).ConfigureAwait(false);
            head = trained.Head;
            scored = head;
        }

        var trainAccuracy = scored.Evaluate(trainPlain).Accuracy;
        ConfusionMatrix? confusion = null;
        double? validationLoss = null;
        var predictions = new List<PredictionThumbnails.Item>();
        if (validationSet is not null)
        {
            confusion = scored.Evaluate(validationSet);
            var probabilities = new float[validationSet.Count * classes.Count];
            scored.PredictProbabilities(validationSet.Features, validationSet.Count, probabilities);
            double loss = 0;
            for (var i = 0; i < validationSet.Count; i++)
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

                loss -= Math.Log(Math.Max(row[validationSet.Labels[i]], 1e-12f));
                predictions.Add(new PredictionThumbnails.Item(split.Validation[i].Path, classes[validationSet.Labels[i]], classes[predicted], row[predicted]));
            }

            validationLoss = loss / validationSet.Count;
        }

        timings.Add(new TimingEntry("head training + evaluation", stage.Elapsed));

        var metrics = new TransferMetrics(trainAccuracy, confusion?.Accuracy, validationLoss, trained.History.Epochs.Count, trained.BestEpoch,
            split.Train.Count + split.Validation.Count, skipped.Count, extraction.Hits, extraction.Misses,
            solution is null ? "mini-batch" : "lbfgs", solution?.L2, solution?.Selection);

        progress?.Report(new TransferProgress(TransferStage.Artifacts, 0, 0));
        stage.Restart();
        var run = new TransferRun(options, handle, baseCard, spec, backbone, preprocess, dataset, split, head, trained, metrics,
            confusion, predictions, skipped, timings);
        var outDir = Path.GetFullPath(options.OutputDirectory);
        var (card, cardPath) = RunPublisher.Publish(run, outDir, _catalog, _settings, stored =>
        {
            // A retrained model keeps its handle and version: drop the stored copy of the old one so that the store,
            // which trusts a present file of the right size, cannot hand it out again.
            _store.Remove(stored);
            if (!PathsEqual(_store.Settings.Home, _settings.Home))
            {
                using var own = new ModelStore(_settings);
                own.Remove(stored);
            }
        }, () =>
        {
            timings.Add(new TimingEntry("artifacts (model, card, plots, report)", stage.Elapsed));
            timings.Add(new TimingEntry("total", total.Elapsed));
            return timings;
        });
        progress?.Report(new TransferProgress(TransferStage.Done, 1, 1));
        return new TransferResult(card, cardPath, outDir, classes, head, trained.History, metrics, confusion,
            split.Validation.Select(i => i.Path).ToList(), skipped, timings);
    }

    private static FeatureSet BuildSet(IReadOnlyList<LabeledImage> images, Dictionary<string, float[]> identity,
        Dictionary<string, IReadOnlyList<float[]>>? views, int dimension, int classCount)
    {
        var rows = new List<(float[] Features, int Label)>();
        foreach (var image in images)
        {
            rows.Add((identity[image.Path], image.ClassIndex));
            if (views is not null && views.TryGetValue(image.Path, out var extra))
            {
                rows.AddRange(extra.Select(f => (f, image.ClassIndex)));
            }
        }

        var features = new float[rows.Count * dimension];
        var labels = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Features.CopyTo(features, i * dimension);
            labels[i] = rows[i].Label;
        }

        return new FeatureSet(features, labels, rows.Count, dimension, classCount);
    }

    /// <summary>Source image of each row <see cref="BuildSet"/> makes (an image, then its views).</summary>
    internal static int[] Groups(IReadOnlyList<LabeledImage> images, Dictionary<string, IReadOnlyList<float[]>>? views)
    {
        var groups = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            groups.Add(i);
            if (views is not null && views.TryGetValue(images[i].Path, out var extra))
            {
                groups.AddRange(Enumerable.Repeat(i, extra.Count));
            }
        }

        return [.. groups];
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private sealed class ExtractionTotals
    {
        public int Hits { get; private set; }

        public int Misses { get; private set; }

        public TimeSpan Reading { get; private set; }

        public TimeSpan Decoding { get; private set; }

        public TimeSpan Backbone { get; private set; }

        public void Add(FeatureExtractionRun run)
        {
            Hits += run.Hits;
            Misses += run.Misses;
            Reading += run.Reading;
            Decoding += run.Decoding;
            Backbone += run.Backbone;
        }
    }

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
