using System.Collections.Concurrent;

namespace ModelZoo.Store;

/// <summary>
/// Remembers, for this process, which store files were hashed and matched their card: a stamp of path, length and
/// last-write time. A file whose stamp is unchanged is not hashed again; any write to it (which moves its last-write
/// time) or a different length makes it be hashed on its next use.
/// </summary>
internal static class VerifiedFiles
{
    private static readonly ConcurrentDictionary<string, Stamp> Stamps = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="path"/> has SHA-256 <paramref name="sha256"/> (lower-case hex), hashing it unless an
    /// unchanged stamp says so already.</summary>
    public static bool Check(string path, string sha256)
    {
        var full = Path.GetFullPath(path);
        var before = Read(full, sha256);
        if (before is null)
        {
            return false;
        }
        if (Stamps.TryGetValue(full, out var known) && known == before)
        {
            return true;
        }
        var actual = FileHashing.Sha256Hex(full);
        // Stamp what was there before hashing: a write during the hash moves the time, so the next use hashes again.
        if (actual == sha256 && Read(full, sha256) == before)
        {
            Stamps[full] = before;
            return true;
        }
        Stamps.TryRemove(full, out _);
        return actual == sha256;
    }

    /// <summary>Records that <paramref name="path"/> was just verified (its bytes hashed to <paramref name="sha256"/> by the caller).</summary>
    public static void Record(string path, string sha256)
    {
        var full = Path.GetFullPath(path);
        if (Read(full, sha256) is { } stamp)
        {
            Stamps[full] = stamp;
        }
    }

    /// <summary>Forgets <paramref name="path"/> (it was deleted or found damaged).</summary>
    public static void Forget(string path) => Stamps.TryRemove(Path.GetFullPath(path), out _);

    private static Stamp? Read(string full, string sha256)
    {
        var info = new FileInfo(full);
        return info.Exists ? new Stamp(info.Length, info.LastWriteTimeUtc, sha256) : null;
    }

    private sealed record Stamp(long Length, DateTime LastWriteUtc, string Sha256);
}
