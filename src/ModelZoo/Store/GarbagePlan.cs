namespace ModelZoo.Store;

/// <summary>What a garbage collection will delete, computed before anything is deleted (plan, then execute).</summary>
internal sealed class GarbagePlan
{
    private readonly List<string> _modelFolders = [];
    private readonly List<(string Path, string LockKey)> _blobs = [];
    private readonly List<(string Path, string LockKey)> _packages = [];
    private readonly List<(string Path, string? LockKey)> _tempFiles = [];

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
            // A temp file that belongs to a blob or package is abandoned as soon as no pull holds that key's lock
            // (a killed download or extraction); any other temp file once it is a day old.
            plan._tempFiles.AddRange(Directory.EnumerateFiles(layout.TempRoot)
                .Select(path => (Path: path, LockKey: TempLockName(Path.GetFileName(path))))
                .Where(t => t.LockKey is not null || File.GetLastWriteTimeUtc(t.Path) < staleBeforeUtc));
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
        foreach (var (path, lockName) in _tempFiles)
        {
            using var held = lockName is null ? null : StoreLock.TryAcquire(Path.Combine(layout.LocksRoot, lockName));
            if (lockName is not null && held is null)
            {
                continue; // a pull is writing it right now
            }
            try
            {
                var size = new FileInfo(path).Length;
                File.Delete(path);
                temps++;
                freed += size;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // still open by a slow download somewhere: leave it for the next collection
            }
        }
        return new GcReport(deleted, freed, temps);
    }

    /// <summary>The lock file name guarding a temp file, from the names <see cref="StoreLayout"/> gives them:
    /// <c>sha256-&lt;sha&gt;.partial</c> and <c>&lt;sha&gt;[-assembly].&lt;guid&gt;.tmp</c> (the blob's lock),
    /// <c>pkg-….partial</c> (the package's lock); null for other temp files.</summary>
    internal static string? TempLockName(string fileName)
    {
        if (fileName.EndsWith(".partial", StringComparison.Ordinal))
        {
            var key = fileName[..^".partial".Length];
            return (key.StartsWith("sha256-", StringComparison.Ordinal) ? key["sha256-".Length..] : key) + ".lock";
        }
        if (fileName.EndsWith(".tmp", StringComparison.Ordinal) && fileName.Length > 64 && FileHashing.IsSha256Hex(fileName[..64]))
        {
            return fileName[..64] + ".lock";
        }
        return null;
    }
}
