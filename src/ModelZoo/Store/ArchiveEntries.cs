namespace ModelZoo.Store;

/// <summary>Shared rules for reading entries out of package archives: which names are safe, and bounded copies.</summary>
internal static class ArchiveEntries
{
    /// <summary>Hard cap on any single extracted entry whose size the card does not fix (e.g. an assembly holding a resource).</summary>
    public const long MaxEntryBytes = 4L << 30;

    /// <summary>Hard cap on the decompressed size of a whole tarball (a gzip bomb stops here).</summary>
    public const long MaxArchiveBytes = 16L << 30;

    /// <summary>Why an entry name is unsafe to extract, or null when it stays inside the archive's folder.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "empty name";
        }
        if (name.Contains('\0'))
        {
            return "NUL character in name";
        }
        if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length >= 2 && name[1] == ':') || Path.IsPathRooted(name))
        {
            return "absolute path";
        }
        if (name.Split('/', '\\').Any(segment => segment == ".."))
        {
            return "path traversal";
        }
        return null;
    }

    /// <summary>Copies at most <paramref name="maxBytes"/>; more than that is an <see cref="UnsafeArchiveException"/>.</summary>
    public static async Task<long> CopyBoundedAsync(Stream source, string destination, long maxBytes,
        string archive, string entry, CancellationToken ct)
    {
        await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new UnsafeArchiveException(archive, entry, $"larger than the {maxBytes} bytes allowed");
            }
            await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
        }
        return total;
    }

    public static ZooException NotInPackage(string archive, string path, IEnumerable<string> entries)
    {
        var file = path[(path.LastIndexOf('/') + 1)..];
        var similar = entries.Where(e => e.EndsWith(file, StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        return ZooErrors.NotInPackage.Raise(
            $"Package {archive} has no file '{path}'" + (similar.Count > 0 ? $" (similar: {string.Join(", ", similar)})" : "") +
            "; fix the path in the model card's source URI.");
    }
}
