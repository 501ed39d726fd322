using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ModelZoo.Training.Features;

/// <summary>
/// Backbone feature vectors on disk, so that a second training run on the same images skips the backbone.
/// Layout under <c>&lt;ZOO_HOME&gt;/features/</c>:
/// <code>
/// features/
///   CACHEDIR.TAG
///   &lt;backbone key, 16 hex&gt;/
///     &lt;digest[0..2]&gt;/&lt;digest&gt;.f32     one vector; digest = SHA-256 of (backbone, preprocessing, image SHA-256, view)
/// </code>
/// An entry holds a magic, its digest, the dimension, the floats and a SHA-256 of all that; it is written to a
/// temp file and renamed into place, so readers never see half an entry. A short, damaged or foreign entry is
/// treated as a miss (and overwritten by the next <see cref="Put"/>). Thread-safe.
/// </summary>
public sealed class FeatureCache
{
    /// <summary>Name of the cache folder under the zoo home.</summary>
    public const string FolderName = "features";

    private static ReadOnlySpan<byte> Magic => "ZFC1"u8;
    private const int DigestLength = 32;
    private const int HeaderLength = 4 + DigestLength + 4;

    private int _hits;
    private int _misses;
    private int _corrupt;

    /// <summary>A cache in <c>&lt;settings.Home&gt;/features</c>.</summary>
    public FeatureCache(ZooSettings settings)
        : this(Path.Combine((settings ?? throw new ArgumentNullException(nameof(settings))).Home, FolderName))
    {
    }

    /// <summary>A cache in <paramref name="root"/> (created on first write).</summary>
    public FeatureCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary>Lookups answered from disk since this instance was created.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Lookups that found nothing usable (including damaged entries).</summary>
    public int Misses => Volatile.Read(ref _misses);

    /// <summary>Lookups that found an entry but rejected it as short or damaged (also counted in <see cref="Misses"/>).</summary>
    public int Corrupt => Volatile.Read(ref _corrupt);

    /// <summary>Where the entry for <paramref name="key"/> lives.</summary>
    public string PathOf(FeatureKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var digest = key.Digest;
        return Path.Combine(Root, key.Backbone[..Math.Min(16, key.Backbone.Length)], digest[..2], digest + ".f32");
    }

    /// <summary>Reads the vector for <paramref name="key"/>; false (a miss) when there is none or it is damaged.</summary>
    public bool TryGet(FeatureKey key, out float[] features)
    {
        var path = PathOf(key);
        features = [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Interlocked.Increment(ref _misses);
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _misses);
            Interlocked.Increment(ref _corrupt);
            return false;
        }

        if (!TryParse(bytes, key.DigestBytes(), out features))
        {
            Interlocked.Increment(ref _misses);
            Interlocked.Increment(ref _corrupt);
            return false;
        }

        Interlocked.Increment(ref _hits);
        return true;
    }

    /// <summary>Stores the vector for <paramref name="key"/>, replacing any entry, atomically.</summary>
    public void Put(FeatureKey key, ReadOnlySpan<float> features)
    {
        var path = PathOf(key);
        var bytes = Serialize(key.DigestBytes(), features);
        var dir = Path.GetDirectoryName(path)!;
        EnsureRoot();
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
            throw;
        }
    }

    internal static byte[] Serialize(byte[] digest, ReadOnlySpan<float> features)
    {
        var payload = MemoryMarshal.AsBytes(features);
        var bytes = new byte[HeaderLength + payload.Length + DigestLength];
        Magic.CopyTo(bytes);
        digest.CopyTo(bytes.AsSpan(4));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 + DigestLength), features.Length);
        if (BitConverter.IsLittleEndian)
        {
            payload.CopyTo(bytes.AsSpan(HeaderLength));
        }
        else
        {
            for (var i = 0; i < features.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(HeaderLength + 4 * i), features[i]);
            }
        }

        var body = bytes.AsSpan(0, HeaderLength + payload.Length);
        SHA256.HashData(body, bytes.AsSpan(body.Length));
        return bytes;
    }

    internal static bool TryParse(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> digest, out float[] features)
    {
        features = [];
        if (bytes.Length < HeaderLength + DigestLength || !bytes[..4].SequenceEqual(Magic) || !bytes.Slice(4, DigestLength).SequenceEqual(digest))
        {
            return false;
        }

        var dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 + DigestLength));
        if (dimension < 1 || (long)HeaderLength + (4L * dimension) + DigestLength != bytes.Length)
        {
            return false;
        }

        Span<byte> check = stackalloc byte[DigestLength];
        var body = bytes[..(HeaderLength + (4 * dimension))];
        SHA256.HashData(body, check);
        if (!check.SequenceEqual(bytes[body.Length..]))
        {
            return false;
        }

        features = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            features[i] = BinaryPrimitives.ReadSingleLittleEndian(body.Slice(HeaderLength + (4 * i)));
        }

        if (!features.All(float.IsFinite))
        {
            features = [];
            return false;
        }

        return true;
    }

    private void EnsureRoot()
    {
        var tag = Path.Combine(Root, "CACHEDIR.TAG");
        if (File.Exists(tag))
        {
            return;
        }

        Directory.CreateDirectory(Root);
        try
        {
            File.WriteAllText(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# ModelZoo feature cache: backbone outputs, safe to delete (they are recomputed).\n");
        }
        catch (IOException)
        {
            // Another process wrote it at the same moment.
        }
    }
}
