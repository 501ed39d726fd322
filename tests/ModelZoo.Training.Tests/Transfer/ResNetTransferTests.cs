using System.Security.Cryptography;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Features;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.Tests.Transfer;

public sealed class ResNetTransferTests(ResNetTransferFixture run) : IClassFixture<ResNetTransferFixture>
{
    [Fact]
    public void Validation_accuracy_is_far_above_chance()
    {
        // Five classes: chance is 0.2.
        Assert.NotNull(run.First.Metrics.ValidationAccuracy);
        Assert.True(run.First.Metrics.ValidationAccuracy >= 0.6, $"validation accuracy {run.First.Metrics.ValidationAccuracy:P1}");
        Assert.True(run.First.Metrics.TrainAccuracy >= 0.9, $"train accuracy {run.First.Metrics.TrainAccuracy:P1}");
        Assert.Equal(5, run.First.Labels.Count);
        Assert.Equal(80, run.First.Metrics.Images);
    }

    [Fact]
    public void At_the_defaults_the_head_is_solved_and_beats_the_old_mini_batch_defaults_on_held_out_stamps()
    {
        var solved = run.Defaults.Metrics;
        Assert.Equal("lbfgs", solved.HeadSolver);
        Assert.NotNull(solved.L2);
        Assert.Equal(run.First.ValidationImages, run.Defaults.ValidationImages);
        // Chance is 20 %; the previous defaults (10 epochs at 0.001 with two batches per epoch) stay far below this bound.
        Assert.True(solved.ValidationAccuracy >= 0.8, $"validation accuracy at the defaults {solved.ValidationAccuracy:P1}");
        Assert.True(solved.ValidationAccuracy > run.OldDefaults.Metrics.ValidationAccuracy,
            $"solved {solved.ValidationAccuracy:P1}, old defaults {run.OldDefaults.Metrics.ValidationAccuracy:P1}");
        Assert.Equal("mini-batch", run.OldDefaults.Metrics.HeadSolver);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Defaults.OutputDirectory, "metrics.json")));
        Assert.Equal("lbfgs", metrics.RootElement.GetProperty("head_solver").GetString());
        Assert.Equal(solved.L2!.Value, metrics.RootElement.GetProperty("l2").GetDouble());
        // One history row per L-BFGS iteration, each with the validation figures after it.
        var steps = File.ReadAllLines(Path.Combine(run.Defaults.OutputDirectory, "history.csv")).Where(l => l.StartsWith("step,", StringComparison.Ordinal)).ToList();
        Assert.Equal(run.Defaults.History.Steps.Count, steps.Count);
        Assert.True(steps.Count >= 3, $"{steps.Count} solver iterations");
        Assert.All(steps, l => Assert.NotEqual("", l.Split(',')[6]));
    }

    [Fact]
    public void Corrupt_images_are_skipped_counted_and_listed_in_the_report()
    {
        Assert.Equal(2, run.First.Metrics.Skipped);
        Assert.Equal(run.Corrupt.Order(), run.First.Skipped.Select(s => s.Path).Order());
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.First.OutputDirectory, "metrics.json")));
        Assert.Equal(2, metrics.RootElement.GetProperty("skipped").GetInt32());
        var listed = metrics.RootElement.GetProperty("skipped_images").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Equal(run.Corrupt.Order(), listed.Order());
        var report = File.ReadAllText(run.First.ReportPath);
        Assert.Contains("zz-truncated.png", report);
        Assert.Contains("zz-not-an-image.jpg", report);
        Assert.DoesNotContain(run.First.ValidationImages, p => run.Corrupt.Contains(p));
    }

    [Fact]
    public void The_rerun_reads_every_feature_from_the_cache()
    {
        Assert.True(run.First.Metrics.CacheMisses > 80, $"first run computed {run.First.Metrics.CacheMisses} vectors");
        Assert.Equal(0, run.First.Metrics.CacheHits);
        Assert.Equal(run.First.Metrics.CacheMisses, run.Second.Metrics.CacheHits);
        Assert.Equal(0, run.Second.Metrics.CacheMisses);
    }

    [Fact]
    public void Metrics_json_has_the_time_per_stage_of_the_vectors_computed()
    {
        using var first = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.First.OutputDirectory, "metrics.json")));
        var stages = first.RootElement.GetProperty("stages");
        Assert.Equal(run.First.Metrics.CacheMisses, stages.GetProperty("images").GetInt32());
        foreach (var stage in new[] { "decode_ms", "preprocess_ms", "inference_ms", "postprocess_ms" })
        {
            Assert.True(stages.GetProperty(stage).GetDouble() > 0, $"{stage} of the first run: {stages}");
        }

        // The rerun reads every vector from the cache, so no stage ran.
        using var second = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Second.OutputDirectory, "metrics.json")));
        Assert.Equal(0, second.RootElement.GetProperty("stages").GetProperty("images").GetInt32());
    }

    [Fact]
    public void The_rerun_trains_the_identical_head_and_reports_identical_metrics()
    {
        var a = run.First.Head.Layers;
        var b = run.Second.Head.Layers;
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Weight, b[i].Weight);
            Assert.Equal(a[i].Bias, b[i].Bias);
        }
        Assert.Equal(run.First.Metrics with { CacheHits = 0, CacheMisses = 0 }, run.Second.Metrics with { CacheHits = 0, CacheMisses = 0 });
        Assert.Equal(File.ReadAllText(Path.Combine(run.First.OutputDirectory, "labels.txt")),
            File.ReadAllText(Path.Combine(run.Second.OutputDirectory, "labels.txt")));
    }

    [Fact]
    public async Task The_exported_model_matches_features_then_head_within_1e4()
    {
        var baseCard = ModelCatalog.LoadBuiltin().Get(ResNetTransferFixture.BaseHandle);
        using var store = new ModelStore(run.StoreSettings);
        var local = store.TryOpen(baseCard) ?? throw new InvalidOperationException("the base model should be in the shared store");
        var spec = baseCard.Input!;
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(local.ModelPath));
        var cacheDir = Path.Combine(run.Root, "parity-cache");
        using var extractor = BackboneFeatureExtractor.Open(backbone, spec, OnnxModel.Load(local.PathOf(spec.PreprocessGraph!)), "parity", new FeatureCache(cacheDir));
        var paths = run.First.ValidationImages;
        var features = await extractor.ExtractAsync(paths);
        Assert.Equal(paths.Count, features.Misses);

        var classes = run.First.Labels.Count;
        var expected = new float[paths.Count * classes];
        run.First.Head.PredictProbabilities(features.Images.SelectMany(i => i.Features![0]).ToArray(), paths.Count, expected);

        var input = run.First.Card.Input!;
        var length = ImagePreprocessor.TensorLength(input);
        var tensor = new float[paths.Count * length];
        for (var i = 0; i < paths.Count; i++)
        {
            using var image = ImageDecoder.Decode(paths[i]);
            ImagePreprocessor.WriteTensor(image, input, tensor.AsSpan(i * length, length));
        }
        using var exported = ModelSession.Open(run.First.ModelPath);
        var actual = exported.Run("pixels", tensor, [paths.Count, 3, input.Height, input.Width], ["probabilities"])[0].AsFloats();

        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"largest probability difference {worst}");
    }

    [Fact]
    public void The_output_folder_holds_every_artifact_and_a_valid_card()
    {
        var dir = run.First.OutputDirectory;
        foreach (var name in new[] { "model.onnx", "card.json", "labels.txt", "history.csv", "metrics.json", "curves.png", "confusion.png", "grid.png", "report.html" })
        {
            Assert.True(new FileInfo(Path.Combine(dir, name)).Length > 0, $"{name} is missing or empty");
        }
        foreach (var png in new[] { "curves.png", "confusion.png", "grid.png" })
        {
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(dir, png))[..4]);
        }

        var card = ModelCardJson.Deserialize(File.ReadAllText(Path.Combine(dir, "card.json")), "card.json");
        Assert.Empty(ModelCardValidator.Validate(card));
        Assert.Equal(ResNetTransferFixture.Name, card.Handle);
        Assert.Equal(ModelTask.ImageClassification, card.Task);
        Assert.Equal(OutputKind.Probabilities, card.Output!.Kind);
        Assert.Equal("file:labels.txt", card.Labels!.Source);
        Assert.Equal("MIT", card.License.Spdx);
        Assert.Contains(card.License.Restrictions, r => r.Contains(ResNetTransferFixture.BaseHandle, StringComparison.Ordinal));
        Assert.Equal(ResizeMode.CenterCrop, card.Input!.Resize);
        Assert.Equal((1f, 224, 224), (card.Input.Scale, card.Input.Width, card.Input.Height));
        Assert.Equal([0f, 0f, 0f], card.Input.Mean);
        foreach (var file in card.Files)
        {
            var path = Path.Combine(dir, file.Name);
            Assert.Equal("file:" + path, file.Source);
            Assert.Equal(new FileInfo(path).Length, file.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), file.Sha256);
        }
        Assert.Equal(["birds", "flowers", "fruit", "houses", "roadsigns"], File.ReadAllLines(Path.Combine(dir, "labels.txt")));

        var model = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
        Assert.Equal(ResNetTransferFixture.BaseHandle, model.Metadata["zoo.base_model"]);
        Assert.Equal(run.First.Labels, JsonSerializer.Deserialize<string[]>(model.Metadata["zoo.labels"]));
        Assert.Equal("224x224", model.Metadata["zoo.input_size"]);
        Assert.Equal("center-crop", model.Metadata["zoo.resize"]);
        Assert.True(model.Metadata.ContainsKey("zoo.features_tensor"));
    }

    [Fact]
    public void Metrics_json_has_the_documented_shape()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.First.OutputDirectory, "metrics.json")));
        var root = doc.RootElement;
        Assert.Equal(run.First.Metrics.TrainAccuracy, root.GetProperty("train_accuracy").GetDouble());
        Assert.Equal(run.First.Metrics.ValidationAccuracy, root.GetProperty("val_accuracy").GetDouble());
        Assert.True(root.GetProperty("val_loss").GetDouble() > 0);
        Assert.Equal(15, root.GetProperty("epochs").GetInt32());
        Assert.Equal(run.First.Labels, root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!).ToList());
        Assert.Equal(80, root.GetProperty("images").GetInt32());
        Assert.Equal(run.First.Metrics.CacheMisses, root.GetProperty("cache").GetProperty("misses").GetInt32());
        Assert.Equal(0, root.GetProperty("cache").GetProperty("hits").GetInt32());
        var timings = root.GetProperty("timings").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("backbone", timings);
        Assert.Contains("total", timings);
        Assert.Contains(timings, t => t.StartsWith("decode", StringComparison.Ordinal));
        Assert.Contains(timings, t => t.StartsWith("head", StringComparison.Ordinal));
        Assert.Contains(timings, t => t.StartsWith("artifacts", StringComparison.Ordinal));
        Assert.Equal(5, root.GetProperty("per_class").EnumerateObject().Count());
    }

    [Fact]
    public async Task The_registered_model_classifies_like_the_trained_head()
    {
        var catalog = ModelCatalog.Load(run.Settings);
        var card = catalog.Get(ResNetTransferFixture.Name);
        using var store = new ModelStore(run.Settings);
        var local = await store.OpenAsync(card);
        using var classifier = ImageClassifier.Open(local);
        Assert.Equal(run.First.Labels, classifier.Labels);
        var paths = run.First.ValidationImages;
        var predicted = new List<string>();
        await foreach (var outcome in classifier.ClassifyFilesAsync(paths, top: 1))
        {
            Assert.True(outcome.Succeeded, outcome.Error?.Message);
            predicted.Add(outcome.Value![0].Label);
        }
        var truth = paths.Select(p => Path.GetFileName(Path.GetDirectoryName(p))!).ToList();
        var accuracy = predicted.Zip(truth).Count(x => x.First == x.Second) / (double)paths.Count;
        Assert.Equal(run.Second.Metrics.ValidationAccuracy!.Value, accuracy, 6);
    }

    [Fact]
    public void Progress_reports_feature_counts_and_every_epoch()
    {
        List<TransferProgress> events;
        lock (run.Events)
        {
            events = [.. run.Events];
        }
        var features = events.Where(e => e.Stage == TransferStage.Features).ToList();
        Assert.Contains(features, e => e.Total == 82 && e.Done == 82);
        Assert.Contains(events, e => e.Stage == TransferStage.Augmenting && e.Done == e.Total && e.Total > 0);
        var epochs = events.Where(e => e.Stage == TransferStage.Training).Select(e => e.Done).ToList();
        Assert.Equal(Enumerable.Range(1, 15), epochs);
        Assert.Equal(TransferStage.Done, events[^1].Stage);
        Assert.Equal(2, events.Count(e => e.Message is not null));
    }
}
