using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.FineTuning;
using ModelZoo.Training.FineTuning.Gradients;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.Tests.FineTuning;

/// <summary>
/// One real fine-tuning run: ResNet-18's last block and a new head on five Tux Paint categories (8 stamps each),
/// two fine-tuning epochs, in a throw-away home.
/// </summary>
public sealed class FineTunerFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "zoo-finetune-" + Guid.NewGuid().ToString("N")[..10]);

    public ZooSettings StoreSettings { get; private set; } = null!;

    public FineTuneResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = TuxpaintDataset.Create(Path.Combine(Root, "tuxpaint"), perClass: 8);
        StoreSettings = SharedStore.Settings;
        var settings = StoreSettings with { Home = Path.Combine(Root, "home") };
        using var store = new ModelStore(StoreSettings);
        var tuner = new FineTuner(store, ModelCatalog.Load(settings), settings);
        Result = await tuner.TrainAsync(new TransferOptions
        {
            BaseHandle = "imagenet/resnet18/feature_vector",
            Data = data,
            OutputDirectory = Path.Combine(Root, "out"),
            Name = "local/tuxpaint-finetuned",
            Epochs = 10,
            LearningRate = 0.01f,
            ValidationSplit = 0.25,
            BatchSize = 10,
            Unfreeze = 2,
            FineTuneEpochs = 2,
            FineTuneLearningRate = 1e-4f,
        });
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

public sealed class FineTunerTests(FineTunerFixture run) : IClassFixture<FineTunerFixture>
{
    [Fact]
    public void It_trains_the_last_block_and_stays_well_above_chance()
    {
        var r = run.Result;
        Assert.Equal("ReLU379_Output_0", r.Plan.CutTensor);
        Assert.Equal(2, r.Transfer.History.Epochs.Count);
        Assert.Equal(2, r.EpochTimes.Count);
        Assert.NotNull(r.FrozenValidationAccuracy);
        Assert.True(r.Transfer.Metrics.ValidationAccuracy >= 0.6, $"validation accuracy {r.Transfer.Metrics.ValidationAccuracy:P1}");
        Assert.True(r.Transfer.Metrics.TrainAccuracy >= 0.9, $"train accuracy {r.Transfer.Metrics.TrainAccuracy:P1}");
        Assert.Equal(40, r.Transfer.Metrics.CacheMisses);
    }

    [Fact]
    public async Task The_export_is_the_base_graph_with_new_weights_under_the_same_names()
    {
        var card = ModelCatalog.LoadBuiltin().Get("imagenet/resnet18/feature_vector");
        using var store = new ModelStore(run.StoreSettings);
        var local = await store.OpenAsync(card, null, CancellationToken.None);
        var original = OnnxModel.Load(local.ModelPath).Proto.Graph.Initializer.ToDictionary(t => t.Name);
        var exported = OnnxModel.Load(run.Result.Transfer.ModelPath);
        var tensors = exported.Proto.Graph.Initializer.ToDictionary(t => t.Name);
        var trained = run.Result.Plan.Parameters.Select(p => p.Name).ToHashSet();
        var changed = original.Keys.Where(n => tensors.ContainsKey(n) && !GraphEmitter.ReadFloats(tensors[n]).SequenceEqual(GraphEmitter.ReadFloats(original[n])))
            .ToHashSet();
        Assert.Equal(trained, changed);
        Assert.All(original.Keys, n => Assert.True(tensors.ContainsKey(n), $"initializer {n} is missing from the export"));
        Assert.Equal("imagenet/resnet18/feature_vector", exported.Metadata["zoo.base_model"]);
        Assert.Equal(run.Result.Transfer.Labels, System.Text.Json.JsonSerializer.Deserialize<string[]>(exported.Metadata["zoo.labels"]));
    }

    [Fact]
    public void The_exported_model_classifies_validation_images_like_the_training_session()
    {
        var paths = run.Result.Transfer.ValidationImages;
        var input = run.Result.Transfer.Card.Input!;
        var length = ImagePreprocessor.TensorLength(input);
        var tensor = new float[paths.Count * length];
        for (var i = 0; i < paths.Count; i++)
        {
            using var image = ImageDecoder.Decode(paths[i]);
            ImagePreprocessor.WriteTensor(image, input, tensor.AsSpan(i * length, length));
        }

        using var session = ModelSession.Open(run.Result.Transfer.ModelPath);
        var probabilities = session.Run("pixels", tensor, [paths.Count, 3, input.Height, input.Width], ["probabilities"])[0].AsFloats();
        var classes = run.Result.Transfer.Labels.Count;
        var correct = 0;
        var confusion = run.Result.Transfer.Confusion!;
        for (var i = 0; i < paths.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var truth = run.Result.Transfer.Labels.ToList().IndexOf(Path.GetFileName(Path.GetDirectoryName(paths[i]))!);
            correct += row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)) == truth ? 1 : 0;
        }

        Assert.Equal(confusion.Accuracy, (double)correct / paths.Count, 6);
    }

    [Fact]
    public void An_unsupported_split_request_names_the_problem()
    {
        var ex = Assert.Throws<ZooUsageException>(() => new TransferOptions
        {
            BaseHandle = "b", Data = "d", OutputDirectory = "o", Unfreeze = 2, UnfreezeFrom = "x",
        }.Validate());
        Assert.Contains("TransferOptions.UnfreezeFrom", ex.Message);
    }
}

public sealed class FineTuneFallbackTests
{
    [Fact]
    public async Task A_diverging_fine_tuning_run_exports_and_registers_the_frozen_head()
    {
        var root = Path.Combine(Path.GetTempPath(), "zoo-finetune-diverge-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var data = TuxpaintDataset.Create(Path.Combine(root, "tuxpaint"), perClass: 8);
            var storeSettings = SharedStore.Settings;
            var settings = storeSettings with { Home = Path.Combine(root, "home") };
            using var store = new ModelStore(storeSettings);
            var catalog = ModelCatalog.Load(settings);
            var result = await new FineTuner(store, catalog, settings).TrainAsync(new TransferOptions
            {
                BaseHandle = "imagenet/resnet18/feature_vector",
                Data = data,
                OutputDirectory = Path.Combine(root, "out"),
                Name = "local/tuxpaint-diverged",
                ValidationSplit = 0.25,
                BatchSize = 10,
                Unfreeze = 2,
                FineTuneEpochs = 2,
                FineTuneLearningRate = 10f, // far too large: every update blows the suffix up
            });

            Assert.False(result.Outcome.Kept);
            Assert.True(result.Outcome.Backoffs >= 1, "no diverging step was rolled back");
            Assert.Contains("did not beat the frozen head", result.Outcome.Note);
            Assert.NotNull(result.FrozenValidationAccuracy);
            Assert.Equal(result.FrozenValidationAccuracy!.Value, result.Transfer.Metrics.ValidationAccuracy!.Value, 9);
            Assert.Equal(0, result.Transfer.Metrics.BestEpoch);

            // The registered card carries the frozen head's validation accuracy…
            var registered = ModelCatalog.Load(settings).Get("local/tuxpaint-diverged");
            Assert.Equal(Math.Round(result.FrozenValidationAccuracy.Value, 4), registered.Provenance!.Metrics["val_accuracy"], 6);
            // …and its model is the frozen backbone: not one initializer differs from the base model's.
            var baseCard = ModelCatalog.LoadBuiltin().Get("imagenet/resnet18/feature_vector");
            var local = await store.OpenAsync(baseCard, null, CancellationToken.None);
            var original = OnnxModel.Load(local.ModelPath).Proto.Graph.Initializer.ToDictionary(t => t.Name);
            var exported = OnnxModel.Load(result.Transfer.ModelPath).Proto.Graph.Initializer.ToDictionary(t => t.Name);
            Assert.All(original.Keys, n => Assert.True(GraphEmitter.ReadFloats(exported[n]).SequenceEqual(GraphEmitter.ReadFloats(original[n])), $"{n} changed"));

            using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(result.Transfer.OutputDirectory, "metrics.json")));
            var fineTuning = metrics.RootElement.GetProperty("fine_tuning");
            Assert.False(fineTuning.GetProperty("kept").GetBoolean());
            Assert.Contains("did not beat the frozen head", File.ReadAllText(Path.Combine(result.Transfer.OutputDirectory, "report.html")));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
