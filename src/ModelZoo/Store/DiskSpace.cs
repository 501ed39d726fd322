namespace ModelZoo.Store;

/// <summary>Refuses a download early when the store's volume clearly cannot hold it, and names a full disk as such
/// when a write fails for lack of space (that is final: retrying cannot help).</summary>
internal static class DiskSpace
{
    private const long Margin = 16L << 20;

    // ENOSPC and EDQUOT as .NET reports them on Linux and macOS (the raw errno), and ERROR_DISK_FULL /
    // ERROR_HANDLE_DISK_FULL on Windows.
    private static readonly HashSet<int> DiskFullResults = [28, 122, 69, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    /// <summary>Replaces the free-space reading for the calling flow only (tests simulate a small volume this way;
    /// the writes themselves still hit the real disk).</summary>
    internal static readonly AsyncLocal<Func<string, long?>?> FreeBytesOverride = new();

    private static long? FreeBytes(string folder) => (FreeBytesOverride.Value ?? ReadFreeBytes)(folder);

    public static void EnsureAvailable(string folder, long bytesNeeded, string what)
    {
        if (FreeBytes(folder) is { } available && available < bytesNeeded + Margin)
        {
            throw Full(folder, bytesNeeded, what, null, available);
        }
    }

    /// <summary>True when <paramref name="e"/> is the operating system saying the disk (or the user's quota) is full.</summary>
    public static bool IsDiskFull(Exception e) =>
        e is IOException && DiskFullResults.Contains(e.HResult);

    /// <summary>The error for a store that cannot hold <paramref name="bytesNeeded"/> more bytes.</summary>
    public static ZooException Full(string folder, long bytesNeeded, string what, Exception? inner, long? available = null)
    {
        var free = available ?? FreeBytes(folder);
        return ZooErrors.DiskFull.Raise(
            $"{what}: no space left on the device holding {ZooSettings.HomeVariable} (need {Megabytes(bytesNeeded + Margin)} MB)" +
            (free is { } f ? $"; {Megabytes(f)} MB are free under {folder}" : $" under {folder}") +
            $"; free some space (`zoo gc` removes unused models and abandoned downloads) or set {ZooSettings.HomeVariable} to a folder on a larger disk.",
            inner);
    }

    private static long Megabytes(long bytes) => (bytes + (1L << 20) - 1) >> 20;

    private static long? ReadFreeBytes(string folder)
    {
        try
        {
            // DriveInfo takes the root on Windows and any path on Unix, where it asks the file system holding it.
            var existing = Path.GetFullPath(folder);
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }
            var drive = OperatingSystem.IsWindows() ? new DriveInfo(Path.GetPathRoot(existing)!) : new DriveInfo(existing);
            return drive.AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null; // Unknown: let the write itself fail if space runs out.
        }
    }
}
