using System.Runtime.InteropServices;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// Ends a training run: refuses a run whose weights or metrics are not finite, writes every artifact into a hidden
/// staging folder (beside a new output folder, inside an existing one), moves them into place, and only then
/// registers the card. A run that
/// fails or is cancelled on the way leaves the output folder as it was and no card.
/// </summary>
internal static class RunPublisher
{
    /// <summary>Publishes <paramref name="run"/> into <paramref name="outDir"/>; returns the card and where it was registered.</summary>
    /// <param name="run">The finished run.</param>
    /// <param name="outDir">The output folder (full path).</param>
    /// <param name="catalog">Catalog the card is registered in.</param>
    /// <param name="settings">Settings of the user catalog.</param>
    /// <param name="dropStored">Removes a stored copy of an earlier model of the same handle (the store trusts present files).</param>
    /// <param name="timings">Read last, while the report is written.</param>
    /// <exception cref="ZooException">Code <c>training-diverged</c>: a loss or a weight is NaN or infinite.</exception>
    public static (ModelCard Card, string CardPath) Publish(TransferRun run, string outDir, ModelCatalog catalog, ZooSettings settings,
        Action<ModelCard> dropStored, Func<IReadOnlyList<TimingEntry>> timings)
    {
        CheckFinite(run);
        RemoveStaleStaging(outDir);
        // Beside a new output folder (renamed into place whole), inside an existing one (its parent may not be writable).
        var id = Guid.NewGuid().ToString("N")[..8];
        var staging = Directory.Exists(outDir)
            ? Path.Combine(outDir, ".zoo-run-" + id + ".tmp")
            : Path.Combine(Path.GetDirectoryName(outDir) ?? outDir, "." + Path.GetFileName(outDir) + ".zoo-run-" + id + ".tmp");
        ModelCard card;
        try
        {
            card = TransferArtifactWriter.WriteModel(run, staging, outDir);
            TransferArtifactWriter.WriteReports(run, staging, timings);
            MoveIntoPlace(staging, outDir);
        }
        finally
        {
            TryDeleteFolder(staging);
        }
        dropStored(card);
        return (card, catalog.Register(card, settings, overwrite: true));
    }

    /// <summary>Refuses features a head cannot learn from: a base model whose numbers overflow gives NaN or infinity.</summary>
    /// <exception cref="ZooException">Code <c>features-not-finite</c>.</exception>
    internal static void CheckFeatures(string baseHandle, IReadOnlyDictionary<string, float[]> features)
    {
        var bad = features.Where(f => !AllFinite(f.Value)).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        if (bad.Count > 0)
        {
            throw ZooErrors.FeaturesNotFinite.Raise(string.Create(CultureInfo.InvariantCulture,
                $"The base model '{baseHandle}' gives features that are not finite (NaN or infinity) for {bad.Count} of {features.Count} images (e.g. {bad[0]}); nothing was written; check the base model's embeddings on a few of these images, or choose another TransferOptions.BaseHandle."));
        }
    }

    /// <summary>Refuses a diverged run before anything is written (its numbers cannot even be written as JSON). What is
    /// checked is what would be exported: the head, the fine-tuned weights and the reported metrics. An epoch whose loss
    /// was not finite but whose weights were rolled back (or not kept) is history, not a reason to refuse.</summary>
    internal static void CheckFinite(TransferRun run)
    {
        float? rate = run.Options.FineTunes ? run.Options.FineTuneLearningRate ?? run.Options.LearningRate / 10 : run.Options.LearningRate;
        var rateText = rate is { } r ? string.Create(CultureInfo.InvariantCulture, $" (learning rate {r:G4})") : "";
        var lower = run.Options.LearningRate is { } lr ? string.Create(CultureInfo.InvariantCulture, $" (e.g. {lr / 10:G4})") : "";
        ZooException Diverged(string what) => new(ZooErrors.TrainingDiverged,
            $"Training diverged: {what}{rateText}; nothing was written, train again with a lower TransferOptions.LearningRate{lower}{(run.Options.FineTunes ? " or TransferOptions.FineTuneLearningRate" : "")}.");

        if (run.Head.Layers.Any(l => !AllFinite(l.Weight) || !AllFinite(l.Bias)))
        {
            throw Diverged("the head's weights are not finite");
        }
        if (!double.IsFinite(run.Metrics.TrainAccuracy) || run.Metrics.ValidationLoss is { } loss && !double.IsFinite(loss))
        {
            throw Diverged(double.IsFinite(run.Metrics.TrainAccuracy)
                ? $"the validation loss is {Describe(run.Metrics.ValidationLoss!.Value)}"
                : "the training accuracy is not a number");
        }
        if (run.Options.FineTunes && run.Backbone.Model.Proto.Graph.Initializer.FirstOrDefault(t => !AllFinite(t)) is { } tensor)
        {
            throw Diverged($"the fine-tuned weight '{tensor.Name}' is not finite");
        }
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    private static bool AllFinite(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return true;
        }
        return tensor.RawData.Length > 0
            ? AllFinite(MemoryMarshal.Cast<byte, float>(tensor.RawData.Span))
            : AllFinite(tensor.FloatData.ToArray());
    }

    /// <summary>A new folder is renamed into place whole; into an existing one each file is renamed over its old version,
    /// and a plot this run did not make is removed so that the folder never mixes two runs' pictures.</summary>
    private static void MoveIntoPlace(string staging, string outDir)
    {
        if (!Directory.Exists(outDir))
        {
            Directory.Move(staging, outDir);
            return;
        }
        foreach (var stale in new[] { TransferArtifacts.ConfusionFile, TransferArtifacts.GridFile })
        {
            var path = Path.Combine(outDir, stale);
            if (!File.Exists(Path.Combine(staging, stale)) && File.Exists(path))
            {
                File.Delete(path);
            }
        }
        // The card goes last: a reader that finds the new card.json finds the files it describes.
        foreach (var file in Directory.GetFiles(staging).OrderBy(f => Path.GetFileName(f) == TransferArtifacts.CardFile))
        {
            File.Move(file, Path.Combine(outDir, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>Staging folders a killed run left (an hour old or more: no live run writes that long after training).</summary>
    private static void RemoveStaleStaging(string outDir)
    {
        var cutoff = DateTime.UtcNow - TimeSpan.FromHours(1);
        IEnumerable<string> Find(string folder, string pattern) =>
            Directory.Exists(folder) ? Directory.EnumerateDirectories(folder, pattern) : [];
        var parent = Path.GetDirectoryName(outDir);
        var stale = Find(outDir, ".zoo-run-*.tmp")
            .Concat(parent is null ? [] : Find(parent, "." + Path.GetFileName(outDir) + ".zoo-run-*.tmp"));
        foreach (var folder in stale.Where(f => Directory.GetLastWriteTimeUtc(f) < cutoff).ToList())
        {
            TryDeleteFolder(folder);
        }
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the user: a hidden .tmp folder beside the output, never trusted or registered.
        }
    }
}
