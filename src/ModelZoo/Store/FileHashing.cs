using System.Security.Cryptography;

namespace ModelZoo.Store;

/// <summary>Hashes files in a streaming way (no whole-file buffers) and compares hash strings.</summary>
internal static class FileHashing
{
    public static async Task<string> Sha256HexAsync(string path, CancellationToken ct)
    {
        await using var stream = OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static async Task<byte[]> HashAsync(string path, HashAlgorithmName algorithm, CancellationToken ct)
    {
        await using var stream = OpenRead(path);
        if (algorithm == HashAlgorithmName.SHA512)
        {
            return await SHA512.HashDataAsync(stream, ct).ConfigureAwait(false);
        }
        if (algorithm == HashAlgorithmName.SHA384)
        {
            return await SHA384.HashDataAsync(stream, ct).ConfigureAwait(false);
        }
        if (algorithm == HashAlgorithmName.SHA256)
        {
            return await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
        }
        if (algorithm == HashAlgorithmName.SHA1)
        {
#pragma warning disable CA5350 // Only used to check what an old registry entry publishes, never as the store's key.
            return await SHA1.HashDataAsync(stream, ct).ConfigureAwait(false);
#pragma warning restore CA5350
        }
        throw new ArgumentException($"Unsupported hash algorithm {algorithm.Name}.", nameof(algorithm));
    }

    /// <summary>True when <paramref name="text"/> is 64 hex digits.</summary>
    public static bool IsSha256Hex(string text) =>
        text.Length == 64 && text.All(Uri.IsHexDigit);

    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
