namespace ModelZoo.Batch;

/// <summary>One input of a batch job: an image file by full path, and the SHA-256 (lower-case hex) its bytes had when
/// the job was submitted. Results are keyed by both, so redelivered work is recognised and changed files are refused.</summary>
/// <param name="Path">The image's full path, as every worker sees it (a shared file system).</param>
/// <param name="Sha256">The file's SHA-256 at submission.</param>
public sealed record BatchItem(string Path, string Sha256)
{
    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>The item for a file, hashing it now.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BatchItem ForFile(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return new BatchItem(full, HashFile(full));
    }
}
