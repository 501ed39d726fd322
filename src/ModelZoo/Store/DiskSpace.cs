namespace ModelZoo.Store;

/// <summary>Refuses a download early when the store's volume clearly cannot hold it.</summary>
internal static class DiskSpace
{
    private const long Margin = 16L << 20;

    public static void EnsureAvailable(string folder, long bytesNeeded, string what)
    {
        long available;
        try
        {
            // DriveInfo takes the root on Windows and any path on Unix, where it asks the file system holding it.
            var drive = OperatingSystem.IsWindows() ? new DriveInfo(Path.GetPathRoot(Path.GetFullPath(folder))!) : new DriveInfo(folder);
            available = drive.AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return; // Unknown: let the write itself fail if space runs out.
        }
        if (available < bytesNeeded + Margin)
        {
            throw new ZooException("disk-full",
                $"{what} needs {bytesNeeded / 1048576.0:0.0} MiB but only {available / 1048576.0:0.0} MiB are free under {folder}; " +
                $"free some space (e.g. `zoo gc`) or point {ZooSettings.HomeVariable} at a larger disk.");
        }
    }
}
