using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Benchmarks;

/// <summary>Locates the fetched test images and pulls benchmark models into the user's store.</summary>
internal static class BenchAssets
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ModelZoo.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("run the benchmarks from inside the repository");
        }
    }

    /// <summary>The darknet and skimage photos, repeated to <paramref name="count"/> paths.</summary>
    public static IReadOnlyList<string> Photos(int count)
    {
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(RepoRoot, ".cache", "testdata");
        var files = new[] { "darknet", "skimage" }
            .Select(d => Path.Combine(testdata, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d))
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"no test photos under {testdata}; run scripts/fetch-test-assets.sh first");
        }
        return Enumerable.Range(0, count).Select(i => files[i % files.Count]).ToList();
    }

    public static LocalModel Pull(string handle)
    {
        var settings = ZooSettings.FromEnvironment();
        var card = ModelCatalog.Load(settings).Get(handle);
        using var store = new ModelStore(settings);
        return store.OpenAsync(card).GetAwaiter().GetResult();
    }
}
