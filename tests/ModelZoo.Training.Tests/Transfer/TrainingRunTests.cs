using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Data;
using ModelZoo.Training.FineTuning;
using ModelZoo.Training.Tests.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.Tests.Transfer;

/// <summary>
/// The behaviours every training stage shares through <see cref="TrainingRun"/>, checked for both: the frozen head
/// (<see cref="TransferLearner"/>) and fine-tuning (<see cref="FineTuner"/>), on real ResNet-18 runs.
/// </summary>
public sealed class TrainingRunTests
{
    public static TheoryData<bool> Stages => new() { false, true };

    private static TransferOptions Options(string data, string outDir, bool fineTune, string? name = null) => new()
    {
        BaseHandle = "imagenet/resnet18/feature_vector",
        Data = data,
        OutputDirectory = outDir,
        Name = name,
        ValidationSplit = 0.25,
        BatchSize = 4,
        Unfreeze = fineTune ? 1 : null,
        FineTuneEpochs = fineTune ? 1 : null,
    };

    private static async Task<TransferResult> TrainAsync(ModelStore store, ZooSettings settings, TransferOptions options, bool fineTune) =>
        fineTune
            ? (await new FineTuner(store, ModelCatalog.Load(settings), settings).TrainAsync(options)).Transfer
            : await new TransferLearner(store, ModelCatalog.Load(settings), settings).TrainAsync(options);

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task A_class_left_with_one_readable_image_after_skipping_says_images_were_skipped(bool fineTune)
    {
        using var temp = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(temp.Path, "two"), perClass: 2, classes: 2);
        File.WriteAllText(Path.Combine(data, "flowers", "broken.png"), "not a png");
        File.Delete(Directory.GetFiles(Path.Combine(data, "flowers"), "*.png").Order().First(p => !p.EndsWith("broken.png", StringComparison.Ordinal)));
        var settings = SharedStore.Settings with { Home = Path.Combine(temp.Path, "home") };
        using var store = new ModelStore(SharedStore.Settings);

        var ex = await Assert.ThrowsAsync<DatasetException>(() => TrainAsync(store, settings, Options(data, Path.Combine(temp.Path, "out"), fineTune), fineTune));

        Assert.Equal(DatasetException.ClassTooSmallCode, ex.Code);
        Assert.Contains("1 unreadable image(s) were skipped", ex.Message);
        Assert.Contains("'flowers' has 1 usable image", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task Retraining_drops_the_old_models_copy_from_the_base_store_and_from_the_runs_own_store(bool fineTune)
    {
        using var temp = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(temp.Path, "data"), perClass: 4, classes: 2);
        var handle = "local/stale-" + Guid.NewGuid().ToString("N")[..8];
        var settings = SharedStore.Settings with { Home = Path.Combine(temp.Path, "home") };
        using var baseStore = new ModelStore(SharedStore.Settings);
        using var ownStore = new ModelStore(settings);
        var outDir = Path.Combine(temp.Path, "out");
        ModelCard? first = null;
        try
        {
            first = (await TrainAsync(baseStore, settings, Options(data, outDir, fineTune, handle), fineTune)).Card;
            // Running the model copies it into a store; both stores now hold the first model under the handle's version.
            await baseStore.PullAsync(first);
            await ownStore.PullAsync(first);
            Assert.True(baseStore.IsCached(first));
            Assert.True(ownStore.IsCached(first));

            // A different model under the same handle and version, into the same folder.
            File.Delete(Directory.GetFiles(Path.Combine(data, "flowers")).Order(StringComparer.Ordinal).First());
            var second = (await TrainAsync(baseStore, settings, Options(data, outDir, fineTune, handle), fineTune)).Card;

            Assert.Equal(first.Version, second.Version);
            Assert.NotEqual(first.ModelFile.Sha256, second.ModelFile.Sha256);
            Assert.False(baseStore.IsCached(first), "the base store still holds the old model");
            Assert.False(ownStore.IsCached(first), "the run's own store still holds the old model");
            Assert.Equal(second.ModelFile.Sha256, (await ownStore.OpenAsync(second)).Card.ModelFile.Sha256);
        }
        finally
        {
            if (first is not null)
            {
                // Nothing of this test stays in the shared store.
                baseStore.Remove(first);
            }
        }
    }
}
