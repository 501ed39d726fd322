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

    /// <summary>Waits (polling) until the lock is free, then holds it until disposed.</summary>
    public static async Task<StoreLock> AcquireAsync(string lockPath, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var waited = TimeSpan.Zero;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new StoreLock(stream);
            }
            catch (IOException) when (waited < MaxWait)
            {
                // Held by another process or another store instance: wait and try again.
            }
            catch (UnauthorizedAccessException) when (waited < MaxWait)
            {
                // Windows reports a file being opened elsewhere this way at times.
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            waited += PollInterval;
            if (waited >= MaxWait)
            {
                throw new ZooException("store-locked",
                    $"Waited {MaxWait.TotalMinutes:0} minutes for the store lock {lockPath}; stop the other process that is pulling this model and try again.");
            }
        }
    }

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
