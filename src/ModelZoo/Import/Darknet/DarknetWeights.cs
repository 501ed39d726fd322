using System.Buffers.Binary;

namespace ModelZoo.Import.Darknet;

/// <summary>
/// A Darknet weights file: a header of three int32 (major, minor, revision) and the number of images seen — an int64
/// when <c>major * 10 + minor ≥ 2</c> and both are below 1000, else an int32, as libdarknet's <c>load_weights</c>
/// decides — followed by the float32 values of every layer in cfg order (little-endian, as libdarknet writes them on
/// the platforms it runs on). A major or minor above 1000 marks connected-layer weights stored transposed.
/// </summary>
internal sealed class DarknetWeights
{
    private readonly byte[] _bytes;
    private readonly string _path;
    private int _offset;

    private DarknetWeights(byte[] bytes, string path)
    {
        _bytes = bytes;
        _path = path;
    }

    public int Major { get; private set; }

    public int Minor { get; private set; }

    public int Revision { get; private set; }

    public long Seen { get; private set; }

    /// <summary>Connected layers' weights are stored [inputs][outputs] rather than [outputs][inputs].</summary>
    public bool Transposed => Major > 1000 || Minor > 1000;

    public long FloatsRead { get; private set; }

    public string Version => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Revision}");

    public static DarknetWeights Read(byte[] bytes, string path)
    {
        var weights = new DarknetWeights(bytes, path);
        if (bytes.Length < 16)
        {
            throw weights.Error($"is {bytes.Length} bytes, shorter than a Darknet weights header (16 bytes)");
        }
        weights.Major = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        weights.Minor = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        weights.Revision = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (weights.Major < 0 || weights.Minor < 0)
        {
            throw weights.Error($"has version {weights.Version} in its header, which no Darknet writes");
        }
        var wide = weights.Major * 10L + weights.Minor >= 2 && weights.Major < 1000 && weights.Minor < 1000;
        if (wide)
        {
            if (bytes.Length < 20)
            {
                throw weights.Error($"is {bytes.Length} bytes, shorter than its version-{weights.Version} header (20 bytes)");
            }
            weights.Seen = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
            weights._offset = 20;
        }
        else
        {
            weights.Seen = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
            weights._offset = 16;
        }
        return weights;
    }

    /// <summary>The next <paramref name="count"/> floats, for the layer <paramref name="what"/> describes.</summary>
    public float[] Take(long count, string what)
    {
        var available = (_bytes.Length - _offset) / 4;
        if (count > available)
        {
            throw Error($"ends at {what}: it needs {count} more float32 values but has {available} ({_bytes.Length} bytes in all)",
                "the file is truncated or was written for a different cfg");
        }
        var result = new float[count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(_offset + 4 * i));
        }
        _offset += 4 * (int)count;
        FloatsRead += count;
        return result;
    }

    /// <summary>Every byte was used: more would mean the weights belong to a larger cfg.</summary>
    public void RequireEnd()
    {
        var left = _bytes.Length - _offset;
        if (left != 0)
        {
            throw Error($"has {left} bytes left after the cfg's last layer ({FloatsRead} float32 values read)",
                "the weights were written for a different cfg");
        }
    }

    private DarknetModelException Error(string what, string cause = "the file is damaged or not a Darknet weights file") =>
        new(DarknetModelException.InvalidCode, _path,
            $"The weights file '{Path.GetFileName(_path)}' {what}; {cause}: use the weights that belong to this cfg.");
}
