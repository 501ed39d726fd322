using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.Tests.Transfer;

/// <summary>
/// Trains once on five Tux Paint categories (16 stamps each, plus two corrupt files) with the real ResNet-18 from
/// the shared store, then runs the same training again, so that every test can look at one real run and its rerun.
/// The feature cache and the user catalog live in a throw-away home.
/// </summary>
public sealed class ResNetTransferFixture : IAsyncLifetime
{
    public const string BaseHandle = "imagenet/resnet18/feature_vector";
    public const string Name = "local/tuxpaint-five";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "zoo-transfer-" + Guid.NewGuid().ToString("N")[..10]);

    public ZooSettings Settings { get; private set; } = null!;

    public ZooSettings StoreSettings { get; private set; } = null!;

    public string Data => Path.Combine(Root, "tuxpaint-five");

    public IReadOnlyList<string> Corrupt { get; private set; } = [];

    public TransferOptions Options { get; private set; } = null!;

    public TransferResult First { get; private set; } = null!;

    public TransferResult Second { get; private set; } = null!;

    /// <summary>The same images at the library defaults (no augmentation, no epochs or learning rate: the solver), from the warm cache.</summary>
    public TransferResult Defaults { get; private set; } = null!;

    /// <summary>The same images with the previous defaults, <c>--lr 0.001 --epochs 10</c> (mini-batch Adam).</summary>
    public TransferResult OldDefaults { get; private set; } = null!;

    public List<TransferProgress> Events { get; } = [];

    public async Task InitializeAsync()
    {
        TuxpaintDataset.Create(Data, perClass: 16);
        Corrupt = TuxpaintDataset.AddCorruptImages(Data);
        StoreSettings = SharedStore.Settings;
        Settings = StoreSettings with { Home = Path.Combine(Root, "home") };
        Options = new TransferOptions
        {
            BaseHandle = BaseHandle,
            Data = Data,
            OutputDirectory = Path.Combine(Root, "run1"),
            Name = Name,
            Epochs = 15,
            LearningRate = 0.01f,
            Augment = AugmentationLevel.Light,
            AugmentViews = 1,
        };
        using var store = new ModelStore(StoreSettings);
        var learner = new TransferLearner(store, ModelCatalog.Load(Settings), Settings);
        First = await learner.TrainAsync(Options, new Recorder(Events));
        Second = await learner.TrainAsync(Options with { OutputDirectory = Path.Combine(Root, "run2") });
        var plain = new TransferOptions { BaseHandle = BaseHandle, Data = Data, OutputDirectory = Path.Combine(Root, "defaults"), Name = Name + "-defaults" };
        Defaults = await learner.TrainAsync(plain);
        OldDefaults = await learner.TrainAsync(plain with { OutputDirectory = Path.Combine(Root, "old-defaults"), Epochs = 10, LearningRate = 1e-3f });
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

    private sealed class Recorder(List<TransferProgress> events) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (events)
            {
                events.Add(value);
            }
        }
    }
}
