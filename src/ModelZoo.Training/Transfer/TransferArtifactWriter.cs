using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelZoo.Training.Export;

namespace ModelZoo.Training.Transfer;

/// <summary>Writes a run's output folder: the model and its card first, then history, plots, metrics and report.</summary>
internal static class TransferArtifactWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes model.onnx, labels.txt and card.json into <paramref name="outDir"/> and returns the card, whose
    /// files name their places in <paramref name="finalDir"/> (where <see cref="RunPublisher"/> moves them).</summary>
    public static ModelCard WriteModel(TransferRun run, string outDir, string finalDir)
    {
        Directory.CreateDirectory(outDir);
        var labelsPath = Path.Combine(outDir, TransferArtifacts.LabelsFile);
        AtomicFile.WriteBytes(labelsPath, Utf8.GetBytes(string.Join("\n", run.Classes) + "\n"));

        var exported = ClassifierExporter.Build(run.Backbone, run.BaseInput, run.PreprocessGraph, run.Head.Layers, Metadata(run));
        var modelPath = Path.Combine(outDir, TransferArtifacts.ModelFile);
        var bytes = exported.ToBytes();
        AtomicFile.WriteBytes(modelPath, bytes);

        int? opset = exported.Opsets.TryGetValue("", out var version) ? (int)version : null;
        var card = BuildCard(run, Path.Combine(finalDir, TransferArtifacts.ModelFile), bytes, labelsPath,
            Path.Combine(finalDir, TransferArtifacts.LabelsFile), opset);
        AtomicFile.WriteBytes(Path.Combine(outDir, TransferArtifacts.CardFile), Utf8.GetBytes(ModelCardJson.Serialize(card) + "\n"));
        return card;
    }

    /// <summary>Writes history.csv, the plots, metrics.json and report.html; <paramref name="timings"/> is read last.</summary>
    public static void WriteReports(TransferRun run, string outDir, Func<IReadOnlyList<TimingEntry>> timings)
    {
        run.Training.History.WriteCsv(Path.Combine(outDir, TransferArtifacts.HistoryFile));
        var curves = Path.Combine(outDir, TransferArtifacts.CurvesFile);
        var history = run.Training.History;
        TrainingPlots.WriteCurves(curves, history);
        string? confusionPath = null, gridPath = null;
        if (run.Confusion is { } confusion)
        {
            confusionPath = Path.Combine(outDir, TransferArtifacts.ConfusionFile);
            TrainingPlots.WriteConfusion(confusionPath, confusion.Counts, run.Classes);
            gridPath = Path.Combine(outDir, TransferArtifacts.GridFile);
            PredictionThumbnails.Write(gridPath, run.ValidationPredictions);
        }
        else
        {
            DeleteStale(Path.Combine(outDir, TransferArtifacts.ConfusionFile));
            DeleteStale(Path.Combine(outDir, TransferArtifacts.GridFile));
        }

        var finalTimings = timings();
        AtomicFile.WriteBytes(Path.Combine(outDir, TransferArtifacts.MetricsFile), MetricsJson(run, finalTimings));
        HtmlReport.Write(Path.Combine(outDir, TransferArtifacts.ReportFile), new TrainingReport(
            $"{run.BaseCard.Handle} → {run.Handle}",
            Settings(run),
            ReportMetrics(run.Metrics),
            new ReportImages(curves, confusionPath, gridPath),
            PerClass(run),
            new Reports.DatasetStats(run.DataPath, run.Metrics.Images, run.Split.Train.Count, run.Split.Validation.Count,
                run.Split.Train.Concat(run.Split.Validation).GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                run.Skipped),
            finalTimings));
    }

    /// <summary>What the exported graph takes: RGB 0-255 pixels, resized as for the base model, whose normalisation is
    /// inside the graph.</summary>
    private static InputSpec ExportedInput(InputSpec baseInput) => new()
    {
        Name = ClassifierExporter.PixelsInput,
        Layout = TensorLayout.Nchw,
        Width = baseInput.Width,
        Height = baseInput.Height,
        ColorOrder = ColorOrder.Rgb,
        Scale = 1f,
        Mean = [0f, 0f, 0f],
        Std = [1f, 1f, 1f],
        Resize = baseInput.Resize,
        ResizeShorterSide = baseInput.ResizeShorterSide,
        PadValue = baseInput.PadValue,
    };

    private static OutputSpec ExportedOutput(TransferRun run) =>
        new() { Name = ClassifierExporter.ProbabilitiesOutput, Kind = OutputKind.Probabilities, Size = run.Classes.Count };

    private static Dictionary<string, string> Metadata(TransferRun run)
    {
        var spec = run.BaseInput;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["zoo.input_size"] = string.Create(CultureInfo.InvariantCulture, $"{spec.Width}x{spec.Height}"),
            ["zoo.resize"] = JsonSerializer.Serialize(spec.Resize, ModelCardJson.Options).Trim('"'),
            ["zoo.base_model"] = run.BaseCard.Handle,
            ["zoo.base_sha256"] = run.BaseCard.ModelFile.Sha256,
            ["zoo.data"] = run.DataPath,
            ["zoo.training"] = JsonSerializer.Serialize(Settings(run)),
            ["zoo.metrics"] = JsonSerializer.Serialize(new Dictionary<string, double?>
            {
                ["train_accuracy"] = run.Metrics.TrainAccuracy,
                ["val_accuracy"] = run.Metrics.ValidationAccuracy,
                ["val_loss"] = run.Metrics.ValidationLoss,
            }),
        };
        EmbeddedModelDescription.Write(metadata, ModelTask.ImageClassification, ExportedInput(spec), ExportedOutput(run), run.Classes,
            license: DerivedLicense(run.BaseCard));
        return metadata;
    }

    /// <summary>The base model's licence, with the restriction that it applies to the trained model too.</summary>
    private static LicenseInfo DerivedLicense(ModelCard b) => new()
    {
        Spdx = b.License.Spdx,
        Url = b.License.Url,
        Restrictions = [.. b.License.Restrictions, $"derived from {b.Handle}: its licence ({b.License.Spdx}) and restrictions apply to this model, and the training data's terms apply too"],
    };

    private static ModelCard BuildCard(TransferRun run, string modelPath, byte[] modelBytes, string labelsPath, string finalLabelsPath, int? opset)
    {
        var b = run.BaseCard;
        var spec = run.BaseInput;
        var labelBytes = File.ReadAllBytes(labelsPath);
        var metrics = new Dictionary<string, double> { ["train_accuracy"] = Round(run.Metrics.TrainAccuracy) };
        if (run.Metrics.ValidationAccuracy is { } va)
        {
            metrics["val_accuracy"] = Round(va);
        }

        return new ModelCard
        {
            Handle = run.Handle,
            Version = "1",
            Title = $"{string.Join(", ", run.Classes.Take(6))}{(run.Classes.Count > 6 ? ", …" : "")} classifier (trained on {b.Handle})",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Trained with zoo train: {b.Handle} cut at '{run.Backbone.FeatureTensor}' ({run.Backbone.FeatureSize}-d features) + {run.Head.Kind.ToString().ToLowerInvariant()} head + softmax, {run.Classes.Count} classes; takes RGB 0-255 pixels, the base model's normalisation is inside the graph."),
            Task = ModelTask.ImageClassification,
            Format = ModelFormat.Onnx,
            Files =
            [
                new ModelFile { Name = TransferArtifacts.ModelFile, Role = "model", Source = "file:" + modelPath, Sha256 = Sha(modelBytes), Size = modelBytes.Length },
                new ModelFile { Name = TransferArtifacts.LabelsFile, Role = "labels", Source = "file:" + finalLabelsPath, Sha256 = Sha(labelBytes), Size = labelBytes.Length },
            ],
            License = DerivedLicense(b),
            Input = ExportedInput(spec),
            Output = ExportedOutput(run),
            Labels = new LabelsSpec { Source = LabelSets.FilePrefix + TransferArtifacts.LabelsFile, Count = run.Classes.Count },
            Provenance = new Provenance
            {
                Zoo = "local (zoo train)",
                Metrics = metrics,
                Notes = string.Create(CultureInfo.InvariantCulture,
                    $"Base model {b.Handle} (model SHA-256 {b.ModelFile.Sha256}). Data {run.DataPath}: {run.Metrics.Images} images in {run.Classes.Count} classes, {run.Split.Validation.Count} held out for validation (split {run.Options.ValidationSplit}, seed {run.Options.Seed}), {run.Metrics.Skipped} skipped. {(run.Metrics.HeadSolver == "lbfgs" ? "Linear head solved by L-BFGS" : $"{run.Metrics.Epochs} epochs")}, augmentation {run.Options.Augment.ToString().ToLowerInvariant()}."),
            },
            Opset = opset is >= 1 and <= 30 ? opset : null,
            FineTunable = b.FineTunable,
            Tags = ["trained", "transfer-learning", .. b.Tags.Where(t => t != "headless")],
        };
    }

    private static Dictionary<string, string> Settings(TransferRun run)
    {
        var o = run.Options;
        var h = o.ToHeadTrainingOptions();
        var s = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["base model"] = run.BaseCard.Handle,
            ["base model sha256"] = run.BaseCard.ModelFile.Sha256,
            ["feature tensor"] = string.Create(CultureInfo.InvariantCulture, $"{run.Backbone.FeatureTensor} ({run.Backbone.FeatureSize}-d)"),
            ["data"] = run.DataPath,
            ["registered as"] = run.Handle,
            ["head solver"] = run.Metrics.HeadSolver == "lbfgs"
                ? string.Create(CultureInfo.InvariantCulture, $"full-batch L-BFGS to the optimum; L2 {run.Metrics.L2:0.###} chosen by {run.Metrics.L2Selection}, then refit on all labelled images")
                : "mini-batch",
            ["epochs"] = run.Metrics.HeadSolver == "lbfgs" ? "-" : I(run.Metrics.Epochs),
            ["batch size"] = run.Metrics.HeadSolver == "lbfgs" ? "- (full batch)" : I(o.BatchSize),
            ["learning rate"] = run.Metrics.HeadSolver == "lbfgs" ? "- (none needed)" : h.LearningRate.ToString("0.######", CultureInfo.InvariantCulture),
            ["optimizer"] = run.Metrics.HeadSolver == "lbfgs" ? "lbfgs" : o.Optimizer.ToString().ToLowerInvariant(),
            ["head"] = o.Head == HeadKind.Mlp ? string.Create(CultureInfo.InvariantCulture, $"mlp ({h.HiddenUnits} hidden, dropout {h.Dropout})") : "linear",
            ["validation split"] = o.ValidationSplit.ToString("0.###", CultureInfo.InvariantCulture),
            ["seed"] = I(o.Seed),
            ["augmentation"] = o.Augment == Data.AugmentationLevel.None ? "none" : string.Create(CultureInfo.InvariantCulture, $"{o.Augment.ToString().ToLowerInvariant()} ({o.AugmentViews} views per image)"),
            ["weight decay"] = h.WeightDecay.ToString("0.######", CultureInfo.InvariantCulture),
            ["label smoothing"] = h.LabelSmoothing.ToString("0.###", CultureInfo.InvariantCulture),
            ["schedule"] = h.CosineSchedule ? "cosine" : "constant",
            ["standardize features"] = h.StandardizeFeatures ? "yes" : "no",
            ["balance classes"] = h.BalanceClasses ? "yes" : "no",
        };
        if (h.EarlyStoppingPatience is { } patience)
        {
            s["early stopping patience"] = I(patience);
        }

        if (run.Metrics.FineTuning is { } fineTuning)
        {
            s["fine-tuning"] = fineTuning.Note;
        }

        return s;
    }

    private static Dictionary<string, double> ReportMetrics(TransferMetrics m)
    {
        var d = new Dictionary<string, double> { ["train accuracy"] = m.TrainAccuracy };
        if (m.ValidationAccuracy is { } va)
        {
            d["validation accuracy"] = va;
        }

        if (m.ValidationLoss is { } vl)
        {
            d["validation loss"] = vl;
        }

        if (m.HeadSolver == "lbfgs")
        {
            d["L2 strength (chosen)"] = m.L2 ?? 0;
        }
        else
        {
            d["epochs"] = m.Epochs;
            d["best epoch (weights kept)"] = m.BestEpoch;
        }

        if (m.FineTuning is { } fineTuning)
        {
            if (fineTuning.FrozenValidationAccuracy is { } frozen)
            {
                d["frozen-head validation accuracy"] = frozen;
            }

            d["fine-tuned weights kept"] = fineTuning.Kept ? 1 : 0;
        }
        d["feature cache hits"] = m.CacheHits;
        d["feature cache misses"] = m.CacheMisses;
        return d;
    }

    private static List<ClassMetricsRow> PerClass(TransferRun run)
    {
        if (run.Confusion is not { } confusion)
        {
            return [];
        }

        return run.Classes.Select((label, i) =>
        {
            var m = confusion.PerClass(i);
            return new ClassMetricsRow(label, m.Support, m.Precision, m.Recall, m.F1);
        }).ToList();
    }

    /// <summary>Mean milliseconds per computed vector in each stage of the extraction, the stages image pipelines report
    /// (all zero when every vector came from the feature cache).</summary>
    private static void WriteStages(Utf8JsonWriter w, ModelZoo.Tasks.StageTimings stages)
    {
        double Mean(TimeSpan t) => stages.Images > 0 ? Math.Round(t.TotalMilliseconds / stages.Images, 3) : 0;
        w.WriteStartObject("stages");
        w.WriteNumber("images", stages.Images);
        w.WriteNumber("decode_ms", Mean(stages.Decode));
        w.WriteNumber("preprocess_ms", Mean(stages.Preprocess));
        w.WriteNumber("inference_ms", Mean(stages.Inference));
        w.WriteNumber("postprocess_ms", Mean(stages.Postprocess));
        w.WriteEndObject();
    }

    private static byte[] MetricsJson(TransferRun run, IReadOnlyList<TimingEntry> timings)
    {
        var m = run.Metrics;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("train_accuracy", m.TrainAccuracy);
            WriteNullable(w, "val_accuracy", m.ValidationAccuracy);
            WriteNullable(w, "val_loss", m.ValidationLoss);
            w.WriteNumber("epochs", m.Epochs);
            w.WriteNumber("best_epoch", m.BestEpoch);
            w.WriteString("head_solver", m.HeadSolver);
            WriteNullable(w, "l2", m.L2);
            if (m.L2Selection is { } selection)
            {
                w.WriteString("l2_selection", selection);
            }
            else
            {
                w.WriteNull("l2_selection");
            }

            WriteFineTuning(w, m.FineTuning);
            w.WriteStartArray("classes");
            foreach (var c in run.Classes)
            {
                w.WriteStringValue(c);
            }

            w.WriteEndArray();
            w.WriteNumber("images", m.Images);
            w.WriteNumber("train_images", run.Split.Train.Count);
            w.WriteNumber("val_images", run.Split.Validation.Count);
            w.WriteNumber("skipped", m.Skipped);
            w.WriteStartArray("skipped_images");
            foreach (var s in run.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("path", s.Path);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("cache");
            w.WriteNumber("hits", m.CacheHits);
            w.WriteNumber("misses", m.CacheMisses);
            w.WriteEndObject();
            run.Confusion?.WritePerClass(w, run.Classes);

            w.WriteStartObject("timings");
            foreach (var t in timings)
            {
                w.WriteNumber(t.Stage, Math.Round(t.Duration.TotalSeconds, 4));
            }

            w.WriteEndObject();
            WriteStages(w, run.ExtractionStages ?? ModelZoo.Tasks.StageTimings.Zero);
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteFineTuning(Utf8JsonWriter w, FineTuningOutcome? fineTuning)
    {
        if (fineTuning is null)
        {
            return;
        }

        w.WriteStartObject("fine_tuning");
        w.WriteBoolean("kept", fineTuning.Kept);
        WriteNullable(w, "frozen_val_accuracy", fineTuning.FrozenValidationAccuracy);
        WriteNullable(w, "fine_tuned_val_accuracy", fineTuning.FineTunedValidationAccuracy);
        w.WriteNumber("backoffs", fineTuning.Backoffs);
        w.WriteString("note", fineTuning.Note);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void DeleteStale(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 4);
}
