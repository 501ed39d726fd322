using ModelZoo.Catalog;

namespace ModelZoo.Store;

/// <summary>What a garbage collection will delete, computed before anything is deleted (plan, then execute).</summary>
internal sealed class GarbagePlan
{
    private readonly List<string> _modelFolders = [];
    private readonly List<(string Path, string LockKey)> _blobs = [];
    private readonly List<(string Path, string LockKey)> _packages = [];
    private readonly List<string> _tempFiles = [];

    public IReadOnlyList<string> ModelFolders => _modelFolders;

    public static GarbagePlan Create(StoreLayout layout, SourceFetcher fetcher, IReadOnlyList<ModelCard> keep, DateTime staleBeforeUtc)
    {
        var plan = new GarbagePlan();
        var keptFolders = keep.Select(c => Path.GetFullPath(layout.ModelFolder(c.Handle, c.Version))).ToHashSet(StringComparer.Ordinal);
        var keptShas = keep.SelectMany(c => c.Files).Select(f => f.Sha256.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var keptPackages = keep.SelectMany(c => c.Files)
            .Select(f => fetcher.PackagePath(f))
            .OfType<string>()
            .Select(Path.GetFullPath)
            .ToHashSet(StringComparer.Ordinal);

        if (Directory.Exists(layout.ModelsRoot))
        {
            foreach (var handle in Directory.EnumerateDirectories(layout.ModelsRoot))
            {
                plan._modelFolders.AddRange(Directory.EnumerateDirectories(handle)
                    .Select(Path.GetFullPath)
                    .Where(folder => !keptFolders.Contains(folder)));
            }
        }
        if (Directory.Exists(layout.BlobsRoot))
        {
            plan._blobs.AddRange(Directory.EnumerateFiles(layout.BlobsRoot, "*", SearchOption.AllDirectories)
                .Select(path => (Path: path, Sha: Path.GetFileName(path)))
                .Where(b => !keptShas.Contains(b.Sha))
                .Select(b => (b.Path, b.Sha)));
        }
        if (Directory.Exists(layout.PackagesRoot))
        {
            plan._packages.AddRange(Directory.EnumerateFiles(layout.PackagesRoot, "*", SearchOption.AllDirectories)
                .Select(Path.GetFullPath)
                .Where(path => !keptPackages.Contains(path))
                .Select(path => (path, layout.PackageKey(path))));
        }
        if (Directory.Exists(layout.TempRoot))
        {
            plan._tempFiles.AddRange(Directory.EnumerateFiles(layout.TempRoot)
                .Where(path => File.GetLastWriteTimeUtc(path) < staleBeforeUtc));
        }
        return plan;
    }

    public GcReport Execute(StoreLayout layout)
    {
        foreach (var folder in _modelFolders)
        {
            Directory.Delete(folder, recursive: true);
            var handle = Path.GetDirectoryName(folder)!;
            if (!Directory.EnumerateFileSystemEntries(handle).Any())
            {
                Directory.Delete(handle);
            }
        }
        int deleted = 0;
        long freed = 0;
        foreach (var (path, key) in _blobs.Concat(_packages))
        {
            using var held = StoreLock.TryAcquire(layout.Lock(key));
            if (held is null || !File.Exists(path))
            {
                continue; // being written or read by a pull right now
            }
            var size = new FileInfo(path).Length;
            File.Delete(path);
            deleted++;
            freed += size;
        }
        var temps = 0;
        foreach (var path in _tempFiles)
        {
            try
            {
                File.Delete(path);
                temps++;
            }
            catch (IOException)
            {
                // still open by a slow download somewhere: leave it for the next collection
            }
        }
        return new GcReport(deleted, freed, temps);
    }
}
