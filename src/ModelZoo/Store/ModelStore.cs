namespace ModelZoo.Store;

/// <summary>
/// The verified, content-addressed model store under <see cref="ZooSettings.Home"/>. Every file is
/// checked against its card's SHA-256 before it enters the store; writes are atomic (temp file, then
/// rename); a cross-process lock per blob lets many processes pull the same model while each file is
/// downloaded once; interrupted downloads resume; with <see cref="ZooSettings.Offline"/> nothing touches
/// the network. This is the only type in the library that opens connections.
/// </summary>
/// <remarks>
/// Layout under the home folder:
/// <code>
/// CACHEDIR.TAG
/// blobs/sha256/ab/abcdef…                 verified bytes, named by SHA-256
/// models/&lt;handle&gt;/&lt;version&gt;/&lt;Name&gt;        each card file under its declared name (hard link to the blob,
///                                         or a copy where links are unsupported)
/// packages/nuget/&lt;id&gt;/&lt;version&gt;.nupkg      package archives, downloaded once per package
/// packages/npm/&lt;name&gt;/&lt;version&gt;.tgz
/// locks/&lt;key&gt;.lock                       one lock file per blob or package
/// tmp/                                    partial (resumable) downloads and temp files
/// </code>
/// Handle, version and package folder names are escaped: characters other than <c>a-z 0-9 . -</c> become
/// <c>_xx</c>. Because model files are hard links, writing into one would change the blob: treat them as
/// read-only. <see cref="VerifyAsync"/> re-hashes them.
/// </remarks>
public sealed class ModelStore : IDisposable
{
    /// <summary>Temp files untouched for this long are abandoned and removed by <see cref="CollectGarbage"/>.</summary>
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromDays(1);

    private readonly StoreLayout _layout;
    private readonly HttpGateway _http;
    private readonly SourceFetcher _fetcher;

    /// <summary>Opens the store described by <paramref name="settings"/>; nothing is created on disk until the first pull.</summary>
    /// <param name="settings">Home folder, offline flag and registry URLs.</param>
    /// <param name="handler">HTTP handler to send requests through (tests pass an in-process one); null for the default.
    /// The caller keeps ownership: the store does not dispose it.</param>
    public ModelStore(ZooSettings settings, HttpMessageHandler? handler = null)
        : this(settings, handler, TimeSpan.FromMilliseconds(500), null)
    {
    }

    internal ModelStore(ZooSettings settings, HttpMessageHandler? handler, TimeSpan retryBaseDelay, RegistryConfig? config)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _layout = new StoreLayout(settings.Home);
        _http = new HttpGateway(settings, handler) { BaseDelay = retryBaseDelay };
        _fetcher = new SourceFetcher(_http, _layout, settings, config ?? new RegistryConfig(settings));
    }

    /// <summary>The settings this store was opened with.</summary>
    public ZooSettings Settings { get; }

    /// <summary>Makes sure every file of <paramref name="card"/> is in the store, downloading and verifying the
    /// missing ones, and returns their paths.</summary>
    /// <exception cref="ChecksumMismatchException">A file's bytes differ from the card; nothing was cached.</exception>
    /// <exception cref="OfflineException">A file is missing and the store is offline.</exception>
    /// <exception cref="DownloadException">The server refused or the connection kept failing.</exception>
    public async Task<LocalModel> PullAsync(ModelCard card, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        Validate(card);
        try
        {
            _layout.EnsureCreated();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DiskSpace.IsDiskFull(e) ? DiskSpace.Full(_layout.Home, 0, "The store", e) : new StoreNotWritableException(_layout.Home, e);
        }
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in card.Files)
        {
            paths[file.Name] = await PullFileAsync(card, file, progress, ct).ConfigureAwait(false);
        }
        return new LocalModel(card, paths);
    }

    /// <summary>
    /// The model's paths when every file is present and has the SHA-256 its card declares (no network); null when a file
    /// is missing. Each file is hashed on its first use in this process; an unchanged file (same length and last-write
    /// time) is not hashed again.
    /// </summary>
    /// <exception cref="BlobCorruptException">A file's bytes differ from the card; the damaged copy was removed from the store.</exception>
    public LocalModel? TryOpen(ModelCard card)
    {
        if (Locate(card) is not { } paths)
        {
            return null;
        }
        foreach (var file in card.Files)
        {
            var path = paths[file.Name];
            var sha = file.Sha256.ToLowerInvariant();
            bool intact;
            try
            {
                intact = VerifiedFiles.Check(path, sha);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw ZooErrors.StoreUnreadable.Raise(
                    $"File '{file.Name}' of model '{card.Handle}' in the store ({path}) cannot be read ({e.Message.TrimEnd('.')}); " +
                    $"check the permissions under {ZooSettings.HomeVariable}, or run `zoo pull {card.Handle}`.", e);
            }
            if (!intact)
            {
                throw new BlobCorruptException(card.Handle, file.Name, path, RemoveDamaged(path, sha));
            }
        }
        return new LocalModel(card, paths);
    }

    /// <summary><see cref="TryOpen"/>, or <see cref="PullAsync"/> when a file is missing. A file found damaged is fetched
    /// again when that is possible (online, or offline from a cached package); otherwise the
    /// <see cref="BlobCorruptException"/> is thrown.</summary>
    public async Task<LocalModel> OpenAsync(ModelCard card, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        try
        {
            if (TryOpen(card) is { } local)
            {
                return local;
            }
        }
        catch (BlobCorruptException e) when (CanFetch(card.Files.First(f => f.Name == e.FileName)))
        {
            // The damaged copy is gone; the pull below fetches the file again and hashes it.
        }
        return await PullAsync(card, progress, ct).ConfigureAwait(false);
    }

    /// <summary>True when every file of the model is present with its declared size. This does not hash the files:
    /// <see cref="TryOpen"/> does, before they are used.</summary>
    public bool IsCached(ModelCard card) => Locate(card) is not null;

    /// <summary>Re-hashes every file of the model. A file whose hash differs is removed from the store (with its
    /// blob), so that the next pull fetches it again instead of using it.</summary>
    public async Task<IReadOnlyList<FileVerification>> VerifyAsync(ModelCard card, CancellationToken ct = default)
    {
        Validate(card);
        var results = new List<FileVerification>();
        foreach (var file in card.Files)
        {
            var expected = file.Sha256.ToLowerInvariant();
            var path = _layout.ModelFile(card.Handle, card.Version, file.Name);
            if (!File.Exists(path))
            {
                results.Add(new FileVerification(file.Name, path, false, expected, null, "missing: pull the model"));
                continue;
            }
            var actual = await FileHashing.Sha256HexAsync(path, ct).ConfigureAwait(false);
            if (actual == expected)
            {
                VerifiedFiles.Record(path, expected);
                results.Add(new FileVerification(file.Name, path, true, expected, actual, null));
                continue;
            }
            using (await StoreLock.AcquireAsync(_layout.Lock(expected), ct).ConfigureAwait(false))
            {
                DeleteIfExists(path);
                DeleteIfExists(_layout.Blob(expected));
            }
            VerifiedFiles.Forget(path);
            results.Add(new FileVerification(file.Name, path, false, expected, actual,
                "corrupt: SHA-256 differs from the card; the copy was removed, pull the model again"));
        }
        return results;
    }

    /// <summary>Removes the model's folder (its named files). Blobs stay until <see cref="CollectGarbage"/>.</summary>
    /// <returns>True when there was something to remove.</returns>
    public bool Remove(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var folder = _layout.ModelFolder(card.Handle, card.Version);
        if (!Directory.Exists(folder))
        {
            return false;
        }
        Directory.Delete(folder, recursive: true);
        var handleFolder = Path.GetDirectoryName(folder)!;
        if (Directory.Exists(handleFolder) && !Directory.EnumerateFileSystemEntries(handleFolder).Any())
        {
            Directory.Delete(handleFolder);
        }
        return true;
    }

    /// <summary>
    /// Deletes everything no card in <paramref name="keep"/> needs: model folders of other cards, blobs no kept
    /// file references, package archives no kept file comes from, and temp files abandoned for a day. It plans
    /// first, then deletes; a blob or package that another process holds locked is skipped.
    /// </summary>
    public GcReport CollectGarbage(IEnumerable<ModelCard> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var plan = GarbagePlan.Create(_layout, _fetcher, keep.ToList(), DateTime.UtcNow - StaleTempAge);
        return plan.Execute(_layout);
    }

    /// <summary>Releases the HTTP connection pool.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<string> PullFileAsync(ModelCard card, ModelFile file, IProgress<PullProgress>? progress, CancellationToken ct)
    {
        var sha = file.Sha256.ToLowerInvariant();
        var target = _layout.ModelFile(card.Handle, card.Version, file.Name);
        var blob = _layout.Blob(sha);
        using var held = await StoreLock.AcquireAsync(_layout.Lock(sha), ct).ConfigureAwait(false);
        RemoveAbandonedTemps(sha, target);
        if (IsIntact(target, file, sha))
        {
            progress?.Report(new PullProgress(file.Name, file.Size, file.Size, Cached: true));
            return target;
        }
        if (IsIntact(blob, file, sha))
        {
            PlaceVerified(blob, target, file, sha);
            progress?.Report(new PullProgress(file.Name, file.Size, file.Size, Cached: true));
            return target;
        }
        DeleteIfExists(blob);
        if (Settings.Offline && !_fetcher.IsAvailableOffline(file))
        {
            throw new OfflineException($"File '{file.Name}' of model '{card.Handle}'");
        }
        string temp;
        try
        {
            temp = await _fetcher.FetchAsync(file,
                (done, total) => progress?.Report(new PullProgress(file.Name, done, total ?? file.Size, Cached: false)), ct).ConfigureAwait(false);
        }
        catch (IOException e) when (DiskSpace.IsDiskFull(e))
        {
            throw DiskSpace.Full(_layout.Home, file.Size, $"File '{file.Name}' of model '{card.Handle}'", e);
        }
        try
        {
            var actual = await FileHashing.Sha256HexAsync(temp, ct).ConfigureAwait(false);
            if (actual != sha)
            {
                // The package archive may be what is damaged (a zip entry's CRC is not checked on read): drop it too,
                // so that nothing that produced wrong bytes stays in the store.
                _fetcher.TryDeleteCachedPackage(file);
                throw new ChecksumMismatchException(file.Name, sha, actual, file.Source);
            }
            // Right bytes, wrong card: the store finds files by their declared size, so such a file would be fetched
            // again on every open.
            var length = new FileInfo(temp).Length;
            if (length != file.Size)
            {
                throw ZooErrors.CardSizeMismatch.Raise(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"File '{file.Name}' of '{card.Handle}' has {length} bytes, but its card says size {file.Size}; its SHA-256 matches, so fix files[].size in the card to {length}."));
            }
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            File.Move(temp, blob, overwrite: true);
            VerifiedFiles.Record(blob, sha);
        }
        finally
        {
            DeleteIfExists(temp);
        }
        PlaceVerified(blob, target, file, sha);
        return target;
    }

    /// <summary>Links (or copies) a verified blob to its model path; the result is stamped as verified too.</summary>
    private void PlaceVerified(string blob, string target, ModelFile file, string sha)
    {
        try
        {
            HardLink.Place(blob, target);
        }
        catch (IOException e) when (DiskSpace.IsDiskFull(e))
        {
            throw DiskSpace.Full(_layout.Home, file.Size, $"File '{file.Name}'", e);
        }
        VerifiedFiles.Record(target, sha);
    }

    private static bool IsIntact(string path, ModelFile file, string sha)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == file.Size && VerifiedFiles.Check(path, sha);
    }

    /// <summary>Deletes temp files a killed pull of this blob left (only the holder of the blob's lock writes them).</summary>
    private void RemoveAbandonedTemps(string sha, string target)
    {
        var leftovers = new List<string>();
        if (Directory.Exists(_layout.TempRoot))
        {
            leftovers.AddRange(Directory.EnumerateFiles(_layout.TempRoot, sha + "*.tmp"));
        }
        var folder = Path.GetDirectoryName(target)!;
        if (Directory.Exists(folder))
        {
            leftovers.AddRange(Directory.EnumerateFiles(folder, Path.GetFileName(target) + ".*.tmp"));
        }
        foreach (var path in leftovers)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for `zoo gc`; the pull does not depend on it.
            }
        }
    }

    /// <summary>The model's paths when every file is present with its declared size; null otherwise. Nothing is hashed.</summary>
    private Dictionary<string, string>? Locate(ModelCard card)
    {
        Validate(card);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in card.Files)
        {
            var path = _layout.ModelFile(card.Handle, card.Version, file.Name);
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != file.Size)
            {
                return null;
            }
            paths[file.Name] = path;
        }
        return paths;
    }

    /// <summary>Removes a damaged model file and its blob (unless a pull holds the blob right now); true when removed.</summary>
    private bool RemoveDamaged(string path, string sha)
    {
        VerifiedFiles.Forget(path);
        using var held = StoreLock.TryAcquire(_layout.Lock(sha));
        if (held is null)
        {
            return false;
        }
        try
        {
            DeleteIfExists(path);
            var blob = _layout.Blob(sha);
            // The blob is usually the same file (a hard link); a separate copy is kept only if it still verifies.
            if (File.Exists(blob) && !VerifiedFiles.Check(blob, sha))
            {
                File.Delete(blob);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a read-only store: the error still stops its use
        }
    }

    /// <summary>True when the store may fetch <paramref name="file"/> now: online, or offline from a local source or cached package.</summary>
    public bool CanFetch(ModelFile file) => !Settings.Offline || _fetcher.IsAvailableOffline(file);

    private static void Validate(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Files.Count == 0)
        {
            throw new ZooUsageException($"Model card '{card.Handle}' lists no files; add at least the model file.");
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in card.Files)
        {
            if (!StoreLayout.IsSafeRelativeName(file.Name))
            {
                throw new ZooUsageException($"File name '{file.Name}' in card '{card.Handle}' is not a plain relative path; use a name like model.onnx.");
            }
            if (!names.Add(file.Name))
            {
                throw new ZooUsageException($"Card '{card.Handle}' lists file '{file.Name}' twice; give each file its own name.");
            }
            if (!FileHashing.IsSha256Hex(file.Sha256) || file.Size < 0)
            {
                throw new ZooUsageException($"File '{file.Name}' in card '{card.Handle}' needs a 64-digit hex SHA-256 and a size; fix the card.");
            }
        }
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
