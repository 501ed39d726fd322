namespace ModelZoo.Store;

/// <summary>
/// A cross-process lock on one store key (a blob's SHA-256 or a package name and version): an open
/// <see cref="FileStream"/> with <see cref="FileShare.None"/> on <c>locks/&lt;key&gt;.lock</c>. The operating
/// system releases it when the holder exits, so a crashed process never leaves a stale lock. Lock files
/// are never deleted, because deleting one while another process opens it would split the lock in two.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly FileStream _stream;

    private StoreLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Waits (polling) until the lock is free, then holds it until disposed. Only another holder makes it wait:
    /// a store that cannot be written (read-only file system, no permission) fails at once with
    /// <see cref="StoreNotWritableException"/>, and a full disk with the disk-full error.</summary>
    public static async Task<StoreLock> AcquireAsync(string lockPath, CancellationToken ct)
    {
        var home = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(lockPath)))!;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotUsable(home, e);
        }
        var waited = TimeSpan.Zero;
        var probed = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new StoreLock(stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Held by another process or store instance, or (Windows, at times) a file being opened elsewhere. Any
                // other reason — the folder cannot be written — would never go away: find out once, by writing beside it.
                if (!probed && !IsContention(e))
                {
                    probed = true;
                    if (WriteProbe(Path.GetDirectoryName(lockPath)!) is { } refusal)
                    {
                        throw NotUsable(home, refusal);
                    }
                }
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            waited += PollInterval;
            if (waited >= MaxWait)
            {
                throw ZooErrors.StoreLocked.Raise(
                    $"Waited {MaxWait.TotalMinutes:0} minutes for the store lock {lockPath}; stop the other process that is pulling this model and try again.");
            }
        }
    }

    /// <summary>A lock held elsewhere: EWOULDBLOCK from flock on Linux (11) and macOS (35), a sharing or lock violation on Windows.</summary>
    private static bool IsContention(Exception e) =>
        e is IOException && e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    /// <summary>Creates and deletes a unique file in <paramref name="folder"/>; the refusal when that fails, null when it works.</summary>
    private static Exception? WriteProbe(string folder)
    {
        var probe = Path.Combine(folder, $".probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e;
        }
    }

    private static ZooException NotUsable(string home, Exception e) =>
        DiskSpace.IsDiskFull(e) ? DiskSpace.Full(home, 0, "The store's lock", e) : new StoreNotWritableException(home, e);

    /// <summary>Takes the lock only if it is free right now; null when someone holds it.</summary>
    public static StoreLock? TryAcquire(string lockPath)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            return new StoreLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
